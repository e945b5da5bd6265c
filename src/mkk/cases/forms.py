"""Forms of the case layer. Fields are listed explicitly; owner, status and keys never are."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import VersionedFormMixin
from mkk.directory.models import SERVICE_KINDS, Institution, InstitutionKind, Municipality

from . import selectors
from .models import (
    AgeBand,
    AgeGroup,
    Case,
    CaseStatus,
    Consent,
    CourtOutcome,
    Incident,
    LegalGround,
    ProtectionOrder,
    ReferralDeadline,
    RiskLevel,
    ServiceGiven,
    Sex,
    ShelterStay,
    Urgency,
    ViolenceForm,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
NO_AUTOFILL = {"autocomplete": "off"}


def _blank(choices):
    return [("", "—"), *choices]


class CaseSearchForm(forms.Form):
    """Filters of a case worker's list; every field optional, bad values simply ignored."""

    q = forms.CharField(label=_("Reference"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(CaseStatus.choices), required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=_blank(RiskLevel.choices), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, institutions, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["year"].choices = [("", "---------")] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        """The valid filters only: an invalid one is dropped, never an error page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class CaseForm(forms.Form):
    """A new case with the victim's identity (sent by POST only, stored encrypted)."""

    full_name = forms.CharField(
        label=_("Victim's full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(NO_AUTOFILL),
    )
    personal_number = forms.CharField(
        label=_("Personal number"),
        max_length=20,
        required=False,
        widget=forms.TextInput({**NO_AUTOFILL, "inputmode": "numeric"}),
        help_text=_("10 digits. Without it, give the full name and the date of birth."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput(NO_AUTOFILL)
    )
    phone = forms.CharField(
        label=_("Safe phone number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(NO_AUTOFILL),
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False, widget=forms.TextInput(NO_AUTOFILL)
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_group = forms.ChoiceField(label=_("Age group at the incident"), choices=AgeGroup.choices)
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=_blank(AgeBand.choices), required=False
    )
    residence_municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=Municipality.objects.all(), required=False
    )
    opened_on = forms.DateField(
        label=_("Opened on"), widget=DateInput(), initial=timezone.localdate
    )
    external_reference = forms.CharField(
        label=_("Reference in your own system"), max_length=60, required=False
    )
    consent_to_share = forms.ChoiceField(
        label=_("Consent to share the identity"), choices=Consent.choices, initial=Consent.NOT_ASKED
    )
    consent_date = forms.DateField(label=_("Date of consent"), required=False, widget=DateInput())
    sharing_legal_ground = forms.ChoiceField(
        label=_("Legal ground for sharing without consent"),
        choices=_blank(LegalGround.choices),
        required=False,
    )
    sharing_reason = forms.CharField(
        label=_("Reason for sharing without consent"),
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required with a legal ground. No names or addresses."),
    )

    def clean(self):
        data = super().clean()
        _check_ground_reason(self, data)
        if not data.get("personal_number") and not (
            data.get("full_name") and data.get("date_of_birth")
        ):
            raise forms.ValidationError(
                _(
                    "Give the personal number, or the full name and the date of birth, "
                    "so that the person can be recognised."
                )
            )
        return data


IDENTITY_FIELDS = ("full_name", "personal_number", "date_of_birth", "phone", "address")
CASE_FIELDS = (
    "sex",
    "age_group",
    "age_band",
    "residence_municipality",
    "consent_to_share",
    "consent_date",
    "sharing_legal_ground",
    "sharing_reason",
    "opened_on",
    "external_reference",
)


class IdentityForm(VersionedFormMixin, forms.Form):
    """The identity correction. ``version`` is ``services.identity_version(case)``: the
    identity row's version, whose encrypted fields enter it only as a keyed hash."""

    full_name = CaseForm.base_fields["full_name"]
    personal_number = CaseForm.base_fields["personal_number"]
    date_of_birth = CaseForm.base_fields["date_of_birth"]
    phone = CaseForm.base_fields["phone"]
    address = CaseForm.base_fields["address"]
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    def __init__(self, *args, version: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version


def _check_ground_reason(form, data) -> None:
    if (
        data.get("sharing_legal_ground")
        and data.get("consent_to_share") != Consent.YES
        and not (data.get("sharing_reason") or "").strip()
    ):
        form.add_error(
            "sharing_reason", _("Say why the identity is shared without the victim's consent.")
        )


class ConsentForm(VersionedFormMixin, forms.ModelForm):
    """The owner's record of consent, or of a legal ground (with its reason)."""

    class Meta:
        model = Case
        fields = ["consent_to_share", "consent_date", "sharing_legal_ground", "sharing_reason"]
        widgets = {"consent_date": DateInput(), "sharing_reason": forms.Textarea({"rows": 2})}

    def clean(self):
        data = super().clean()
        _check_ground_reason(self, data)
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see the identity?"),
        max_length=500,
        min_length=5,
        help_text=_("Written to the audit log with your name and the time."),
        widget=forms.TextInput(NO_AUTOFILL),
    )


class IncidentForm(forms.ModelForm):
    reported_at = forms.DateTimeField(
        label=_("Reported to the police at"),
        required=False,
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
    )

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "forms",
            "gbvims_type",
            "relation",
            "perpetrator_sex",
            "perpetrator_age_group",
            "risk_level",
            "children_affected",
            "reported_at",
            "summary",
        ]
        widgets = {"occurred_on": DateInput(), "summary": forms.Textarea({"rows": 3})}

    # Declared last: the field's name shadows the ``forms`` module inside the class body.
    forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every form that applies."),
    )


def grouped_targets(institutions, home_municipality_id: int) -> list:
    """Choices grouped by municipality and type: the case's own municipality first, then the
    others alphabetically; inside a group, institutions sorted by name. Every label names the
    municipality, so two bodies with the same name (legal aid of two municipalities) differ."""
    kind_label = dict(InstitutionKind.choices)
    kind_rank = {kind: i for i, kind in enumerate(SERVICE_KINDS)}
    groups: dict[tuple, list] = {}
    for inst in institutions:
        town = inst.municipality.name
        key = (inst.municipality_id != home_municipality_id, town, kind_rank[inst.kind], inst.kind)
        groups.setdefault(key, []).append((inst.pk, f"{inst.name} ({town})"))
    choices: list = [("", "---------")]
    for key in sorted(groups):
        _away, town, _rank, kind = key
        options = sorted(groups[key], key=lambda option: option[1].casefold())
        choices.append((f"{town} — {kind_label[kind]}", options))
    return choices


class ReferralForm(forms.Form):
    to_institution = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Institution.objects.none()
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reason = forms.CharField(
        label=_("Reason and what is asked"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        help_text=_(
            "No names, addresses or phone numbers: the receiving side sees this before accepting."
        ),
    )

    def __init__(self, *args, case: Case, own_institution_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        targets = selectors.referral_targets(case, own_institution_id)
        field = self.fields["to_institution"]
        field.queryset = targets
        # Validation still goes through the queryset; only the rendering is grouped.
        field.widget.choices = grouped_targets(targets, case.institution.municipality_id)


class AcceptForm(forms.Form):
    """The receiver's answer. Consent is the owner's: where the owner recorded a "No", the
    receiver cannot record consent; a legal ground the receiver records needs a reason and
    shares the identity only after the owning institution confirms it."""

    consent_recorded = forms.BooleanField(
        label=_("The victim has agreed that we receive the identity (consent recorded)"),
        required=False,
    )
    legal_ground = forms.ChoiceField(
        label=_("Or: legal ground for receiving it without consent"),
        choices=_blank(LegalGround.choices),
        required=False,
    )
    ground_reason = forms.CharField(
        label=_("Reason for the legal ground"),
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_(
            "Required with a legal ground; the owning institution decides whether to share."
        ),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None and case.consent_refused:
            del self.fields["consent_recorded"]

    def clean(self):
        data = super().clean()
        if self.case is not None and self.case.consent_refused and "consent_recorded" in self.data:
            raise forms.ValidationError(
                _(
                    "The owning institution recorded that the victim does not agree to share. "
                    "Only the owning institution can change that."
                )
            )
        if data.get("legal_ground") and not (data.get("ground_reason") or "").strip():
            self.add_error(
                "ground_reason", _("Say why the identity is needed without the victim's consent.")
            )
        return data


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea({"rows": 2}), max_length=2000
    )


class ProtectionOrderForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ProtectionOrder
        fields = ["kind", "status", "requested_on", "decided_on", "valid_until", "violated_on"]
        widgets = {
            f: DateInput() for f in ["requested_on", "decided_on", "valid_until", "violated_on"]
        }


class CourtOutcomeForm(forms.ModelForm):
    class Meta:
        model = CourtOutcome
        fields = ["decided_on", "outcome", "final"]
        widgets = {"decided_on": DateInput()}


class ShelterStayForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ShelterStay
        fields = ["admitted_on", "discharged_on", "accompanying_children"]
        widgets = {"admitted_on": DateInput(), "discharged_on": DateInput()}


class ServiceForm(forms.ModelForm):
    class Meta:
        model = ServiceGiven
        fields = ["kind", "given_on"]
        widgets = {"given_on": DateInput()}


CHILD_FORMS = {
    "order": ProtectionOrderForm,
    "court": CourtOutcomeForm,
    "shelter": ShelterStayForm,
    "service": ServiceForm,
}


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, first row the column names."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        return upload


class DeadlineForm(VersionedFormMixin, forms.ModelForm):
    """One row of the municipality's deadline table; its version covers the whole table."""

    class Meta:
        model = ReferralDeadline
        fields = ["from_kind", "to_kind", "urgency", "hours"]


class StatisticsForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    period_start = forms.DateField(label=_("First day of the period"), widget=DateInput())
    period_end = forms.DateField(label=_("Last day of the period"), widget=DateInput())

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
