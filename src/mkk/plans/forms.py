from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import VersionedFormMixin
from mkk.directory.models import Institution

from . import services
from .concurrency import action_links, progress_state
from .models import Action, ActionPlan, ActionStatus, Funder, ProgressUpdate, SpecificObjective


class PlanUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Plan document"),
        help_text=_("The Word document (.docx) of the plan, or its plain-text export (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )

    def clean_document(self):
        f = self.cleaned_data["document"]
        if not f.name.lower().endswith((".docx", ".txt")):
            raise forms.ValidationError(
                _("Only .docx documents and .txt exports of the plan can be imported.")
            )
        if f.size > settings.MKK_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)s MB.")
                % {"mb": settings.MKK_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return f


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PlanSettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "status",
            "adoption_decision",
            "adoption_date",
            "reporting_period_months",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"size": 80}),
            "adoption_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ActionForm(VersionedFormMixin, forms.ModelForm):
    lead = forms.ModelMultipleChoiceField(
        label=_("Lead institutions"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_(
            "Institutions of the directory; names written differently in the plan "
            "are kept as written."
        ),
    )
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting institutions"), queryset=Institution.objects.none(), required=False
    )

    class Meta:
        model = Action
        fields = list(Action.EDITED_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        kwargs.setdefault("version_extra", action_links)
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["specific_objective"].queryset = SpecificObjective.objects.filter(
            strategic_objective__plan=plan
        )
        institutions = Institution.objects.filter(
            municipality_id=plan.mechanism.municipality_id, is_active=True
        )
        self.fields["lead"].queryset = institutions
        self.fields["supporting"].queryset = institutions
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update({"min": plan.start_year, "max": plan.end_year})
        if self.instance.pk:
            links = list(self.instance.institution_links.filter(institution__isnull=False))
            self.initial["lead"] = [link.institution_id for link in links if link.role == "lead"]
            self.initial["supporting"] = [
                link.institution_id for link in links if link.role == "supporting"
            ]

    def clean(self):
        data = super().clean()
        for name in ("start_year", "end_year"):
            year = data.get(name)
            if year is not None and not (self.plan.start_year <= year <= self.plan.end_year):
                self.add_error(
                    name,
                    _("The year must lie within the plan (%(a)s–%(b)s).")
                    % {"a": self.plan.start_year, "b": self.plan.end_year},
                )
        if not data.get("lead") and not (
            self.instance.pk and self.instance.institution_links.filter(role="lead").exists()
        ):
            self.add_error("lead", _("Choose at least one lead institution."))
        return data


#: The most evidence files one save may add.
MAX_FILES_PER_SAVE = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES_PER_SAVE:
            raise forms.ValidationError(
                _("Add at most %(n)d files at once.") % {"n": MAX_FILES_PER_SAVE}
            )
        return [single(f, initial) for f in files if f]


class ProgressForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    narrative = forms.CharField(
        label=_("Progress in this period"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What was done, with whom, and what came of it. No names or details of victims."
        ),
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx); you can choose several files at once."
        ),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Funder.choices:
            self.fields[f"spent_{value}"] = forms.DecimalField(
                label=_("Spent, %(source)s (EUR)") % {"source": label},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )

    @classmethod
    def for_update(cls, data, files, update: ProgressUpdate | None) -> ProgressForm:
        """The form of a period, filled with its update (if any) and versioned against it."""
        initial = {}
        if update:
            initial = {"status": update.status, "narrative": update.narrative}
            initial.update({f"spent_{s.funder}": s.amount for s in update.spending.all()})
        return cls(
            data,
            files,
            initial=initial,
            version_of=update,
            version_extra=progress_state,
            version_model=ProgressUpdate,
        )

    @property
    def spending_fields(self):
        return [self[f"spent_{v}"] for v in Funder.values]

    def spending(self) -> dict:
        return {v: self.cleaned_data.get(f"spent_{v}") for v in Funder.values}

    def clean_evidence(self):
        uploads = self.cleaned_data.get("evidence") or []
        for upload in uploads:
            if upload.size > settings.MKK_MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("The file %(name)s is too large: at most %(mb)s MB.")
                    % {"name": upload.name, "mb": settings.MKK_MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
        return uploads

    def save(self, *, actor, action: Action, period, submit: bool) -> ProgressUpdate:
        """Save the period's update through the service (ValidationError when refused)."""
        return services.progress_save(
            actor=actor,
            action=action,
            period_start=period.start,
            status=self.cleaned_data["status"],
            narrative=self.cleaned_data["narrative"],
            spending=self.spending(),
            submit=submit,
            files=[(upload.name, upload.read()) for upload in self.cleaned_data["evidence"]],
            version=self.version,
        )


class ActionFilterForm(forms.Form):
    """Filters of the plan's action list; an invalid value is dropped, never an error page."""

    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    retired = forms.BooleanField(label=_("Retired actions too"), required=False)

    def __init__(self, *args, plan, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["status"].choices = [("", _("All"))] + list(ActionStatus.choices)
        years = range(plan.start_year, plan.end_year + 1)
        self.fields["year"].choices = [("", "---------")] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}
        data.pop("retired", None)
        return data


class ReviewForm(VersionedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what needs to be corrected when returning an update."))
        return data


class RetireForm(VersionedFormMixin, forms.Form):
    """Retire or restore an action. The form posts the state the user asked for (not a
    toggle) and the action's version: of two people clicking at once, the second is told."""

    state = forms.ChoiceField(
        choices=[("retire", _("Retire")), ("restore", _("Make active"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {"state": "restore" if action.is_retired else "retire"})
        super().__init__(*args, version_of=action, **kwargs)

    @property
    def retire(self) -> bool:
        return self.cleaned_data["state"] == "retire"

    def offer_state_of(self, action) -> None:
        """After a conflict: keep the reason typed, and let the button (and what it posts)
        offer the other state of the action as it now is."""
        self.data = self.data.copy()
        self.data[self.add_prefix("state")] = "restore" if action.is_retired else "retire"
