"""Forms of the reports app (explicit fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import VersionedFormMixin

from .models import MonitoringReport, ReportLanguage

SECTION_LABELS = {
    "mechanism": _("Remarks on the mechanism and its members"),
    "meetings": _("Remarks on meetings and activities"),
    "statistics": _("Remarks on the figures"),
    "plan": _("Remarks on the action plan and budget"),
    "followups": _("Remarks on the follow-up of decisions"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportCreateForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    language = forms.ChoiceField(label=_("Language of the report"), choices=ReportLanguage.choices)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=250,
        help_text=_("Leave empty for “Monitoring report”."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data


class NarrativeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MonitoringReport
        fields = ["title", "summary_remarks", "challenges", "recommendations"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 70}),
            "summary_remarks": forms.Textarea(attrs={"rows": 4}),
            "challenges": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "summary_remarks": _("Plain text; a blank line starts a new paragraph."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        remarks = (self.instance.section_remarks or {}) if self.instance else {}
        for key, label in SECTION_LABELS.items():
            self.fields[f"remarks_{key}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=remarks.get(key, ""),
            )

    def section_remarks(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"remarks_{key}", "") for key in SECTION_LABELS}
