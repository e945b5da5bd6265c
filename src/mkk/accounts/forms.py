from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import VersionedFormMixin

from .models import INSTITUTION_ROLES


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return token


class EnrolForm(SetPasswordForm):
    """The one-time link's form: a new password (when the account has none yet) or the current
    one (to confirm who uses the link), and a code of the new authenticator (roles that need
    the second factor)."""

    current_password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, set_password: bool, with_token: bool, request=None, **kw):
        super().__init__(user, *args, **kw)
        self.request = request
        if set_password:
            del self.fields["current_password"]
        else:
            del self.fields["new_password1"]
            del self.fields["new_password2"]
        if not with_token:
            del self.fields["token"]

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return token

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        user = authenticate(self.request, username=self.user.username, password=password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(_("The password is wrong."))
        return password

    def save(self, commit=True):  # the service saves
        return self.user


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, roles, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["institution"].queryset = institutions

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in INSTITUTION_ROLES and not data.get("institution"):
            self.add_error("institution", _("Choose the person's institution."))
        return data


class FocalPersonForm(VersionedFormMixin, forms.Form):
    """Link a membership to its focal person, with the membership's version (no lost update)."""

    user = forms.ModelChoiceField(label=_("Focal person"), queryset=None, required=False)

    def __init__(self, *args, users, membership, **kwargs):
        kwargs.setdefault("initial", {"user": membership.focal_user_id})
        super().__init__(*args, version_of=membership, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].empty_label = _("— nobody —")
