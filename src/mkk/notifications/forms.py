from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import MailStatus


class PreferenceForm(forms.Form):
    CHANNELS = [
        ("email", _("In the MKK inbox and by e-mail")),
        ("inbox", _("In the MKK inbox only")),
    ]
    channel = forms.ChoiceField(
        label=_("How do you want to be told?"), choices=CHANNELS, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language of notifications and e-mails"), choices=settings.LANGUAGES
    )


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *MailStatus.choices],
    )
