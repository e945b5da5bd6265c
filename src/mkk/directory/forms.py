"""Forms of the registry. Fields are listed explicitly: a posted extra field never sets the
municipality, the mechanism or anything else the form does not show."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mkk.accounts.models import User
from mkk.core.concurrency import VersionedFormMixin

from .models import EmergencyContact, GlossaryTerm, Institution, Mechanism, Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MechanismForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Mechanism
        fields = [
            "name_sq",
            "name_sr",
            "name_en",
            "decision_number",
            "decision_date",
            "coordinator_name",
            "coordinator_title",
            "report_approver",
            "deputy_approver",
        ]
        widgets = {"decision_date": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(municipality=municipality, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        for name in ("report_approver", "deputy_approver"):
            self.fields[name].queryset = people


class InstitutionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "kind",
            "name_sq",
            "name_sr",
            "name_en",
            "name_sq_locative",
            "abbreviation",
            "aliases",
            "phone",
            "email",
            "address",
            "is_active",
            "level",
            "region",
        ]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 3})}


class MembershipForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = [
            "institution",
            "role",
            "focal_person",
            "focal_person_title",
            "focal_person_email",
            "focal_person_phone",
            "since",
            "until",
            "order",
        ]
        widgets = {"since": DATE, "until": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the municipality's own institutions can be members of its mechanism.
        self.fields["institution"].queryset = Institution.objects.filter(municipality=municipality)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data


class NumbersField(forms.CharField):
    """Phone numbers, one per line, kept exactly as written."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Give at least one number."))
        for number in value:
            digits = [c for c in number if c.isdigit()]
            if not digits or any(not (c.isdigit() or c in " -+/()") for c in number):
                raise forms.ValidationError(
                    _("“%(number)s” is not a phone number: use digits, spaces, - + / ( )."),
                    params={"number": number},
                )


class EmergencyContactForm(VersionedFormMixin, forms.ModelForm):
    numbers = NumbersField(label=_("Numbers (one per line)"))

    class Meta:
        model = EmergencyContact
        fields = [
            "name_sq",
            "name_sr",
            "name_en",
            "institution",
            "numbers",
            "address",
            "opening_hours",
            "source",
            "order",
        ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(municipality=municipality)


class GlossaryTermForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["abbreviation", "meaning_sq", "meaning_sr", "meaning_en", "order"]
