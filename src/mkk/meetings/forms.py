from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mkk.core import periods
from mkk.core.concurrency import VersionedFormMixin
from mkk.core.forms import show_errors

from .models import Activity, AttendanceStatus, Meeting
from .validators import CASE_REFERENCE_RE, case_reference_validator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One agenda item per line."),
    )

    class Meta:
        model = Meeting
        fields = [
            "date",
            "start_time",
            "end_time",
            "place",
            "kind",
            "status",
            "challenges",
            "minutes",
        ]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "challenges": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 12, "data-richtext": "minutes"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        # Built per request, so that it is in the user's language.
        self.fields["minutes"].help_text = _(
            "Use the toolbar for bold, headings and lists. Refer to cases only by their "
            "reference (e.g. DR-2025-000123)."
        )
        if self.instance.pk and "agenda" not in self.initial:
            self.initial["agenda"] = "\n".join(a.title for a in self.instance.agenda_items.all())
        field_order = [
            "date",
            "start_time",
            "end_time",
            "place",
            "kind",
            "status",
            "agenda",
            "challenges",
            "minutes",
        ]
        self.order_fields(field_order)

    def clean(self):
        """Look for personal data here too, so that every error shows at once."""
        data = super().clean()
        from .services import check_meeting_text

        try:
            check_meeting_text(self.instance, data.get("agenda", ""), data)
        except ValidationError as exc:
            show_errors(self, exc)
        return data


class AttendanceForm(VersionedFormMixin, forms.Form):
    """One row per member institution: status and the representative's name."""

    def __init__(self, *args, institutions, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.institutions = institutions
        current = {a.institution_id: a for a in meeting.attendance.all()}
        choices = [("", _("not recorded")), *AttendanceStatus.choices]
        for inst in institutions:
            row = current.get(inst.pk)
            self.fields[f"status_{inst.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": inst.name},
                choices=choices,
                required=False,
                initial=row.status if row else "",
            )
            self.fields[f"person_{inst.pk}"] = forms.CharField(
                label=_("Representative of %(name)s") % {"name": inst.name},
                max_length=150,
                required=False,
                initial=row.person_name if row else "",
            )

    def rows(self):
        """(institution, status field, person field) for the template."""
        return [(i, self[f"status_{i.pk}"], self[f"person_{i.pk}"]) for i in self.institutions]

    def cleaned_rows(self):
        return [
            (
                i,
                self.cleaned_data.get(f"status_{i.pk}") or None,
                self.cleaned_data.get(f"person_{i.pk}", ""),
            )
            for i in self.institutions
        ]

    def clean(self):
        data = super().clean()
        for inst in self.institutions:
            if data.get(f"person_{inst.pk}") and not data.get(f"status_{inst.pk}"):
                self.add_error(
                    f"status_{inst.pk}", _("Choose whether the representative was present.")
                )
        return data


class CaseDiscussedForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("The case's pseudonymous reference, e.g. DR-2025-000123."),
        widget=forms.TextInput(attrs={"pattern": CASE_REFERENCE_RE[1:-1], "autocomplete": "off"}),
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        case_reference_validator(reference)
        return reference


class FollowUpFields(forms.Form):
    owner = forms.ModelChoiceField(label=_("Responsible institution"), queryset=None)
    description = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(
        label=_("Due date"), widget=DATE, input_formats=["%Y-%m-%d", "%d.%m.%Y"]
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = institutions
        self.fields["owner"].label_from_instance = lambda i: i.name


class DecisionForm(FollowUpFields):
    """A decision and, optionally, its first follow-up task."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["text", "owner", "description", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner", "description", "due_date"):
            self.fields[name].required = False
        self.fields["owner"].empty_label = _("(no follow-up task)")

    def clean(self):
        data = super().clean()
        given = [n for n in ("owner", "description", "due_date") if data.get(n)]
        if given and len(given) < 3:
            for name in ("owner", "description", "due_date"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _("Fill in the institution, the task and the due date, or none of them."),
                    )
        return data

    def follow_up(self) -> dict | None:
        d = self.cleaned_data
        if d.get("owner"):
            return {"owner": d["owner"], "description": d["description"], "due_date": d["due_date"]}
        return None


class FollowUpForm(VersionedFormMixin, FollowUpFields):
    pass


class DecisionTextForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))


class ActivityForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "involvement",
            "title",
            "date",
            "partner",
            "participants",
            "meeting",
            "description",
        ]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["meeting"].queryset = meetings
        self.fields["participants"].min_value = 0


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = periods.year(timezone.localdate().year)
        self.default = (this_year.start, this_year.end)
        if not self.is_bound:
            self.initial = {"start": self.default[0], "end": self.default[1]}

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period; the current calendar year by default."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or self.default[0]
        end = data.get("end") or self.default[1]
        if end < start:
            start, end = end, start
        return start, end
