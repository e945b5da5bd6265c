"""Cases of domestic violence, owned by the institution that opens them, and referrals.

Privacy by design:

* The victim's identity lives in its own table (``VictimIdentity``), every column encrypted
  (``EncryptedTextField``). Pseudonymous pages never join it, so coordinators' querysets and
  templates cannot hold identity data.
* ``Case.victim_key`` is a keyed hash (HMAC) that recognises one person across institutions.
* ``Case.reference`` ("DR-2025-000123") is the pseudonymous reference used everywhere else;
  ``str(case)`` is the reference, so the audit log never names a victim.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mkk.directory.models import InstitutionKind

from .crypto import EncryptedTextField

# --- Choices ----------------------------------------------------------------------------------


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not known")


class AgeGroup(models.TextChoices):
    """The statistics' "age" disaggregation: adult/child."""

    ADULT = "adult", _("Adult (18 or older)")
    CHILD = "child", _("Child (under 18)")


class AgeBand(models.TextChoices):
    """Optional finer band; must agree with the age group."""

    B0_5 = "0-5", _("0–5 years")
    B6_11 = "6-11", _("6–11 years")
    B12_17 = "12-17", _("12–17 years")
    B18_24 = "18-24", _("18–24 years")
    B25_44 = "25-44", _("25–44 years")
    B45_64 = "45-64", _("45–64 years")
    B65 = "65+", _("65 years or older")


CHILD_BANDS = {AgeBand.B0_5, AgeBand.B6_11, AgeBand.B12_17}


class Consent(models.TextChoices):
    YES = "yes", _("Yes, the victim agrees to share")
    NO = "no", _("No")
    NOT_ASKED = "not_asked", _("Not asked yet")


class LegalGround(models.TextChoices):
    """Grounds for sharing identity without the victim's consent."""

    CHILD_AT_RISK = "child_at_risk", _("A child is at risk")
    DANGER_TO_LIFE = "danger_to_life", _("Imminent danger to life or health")
    COURT_ORDER = "court_order", _("Court or prosecutor's order")
    LEGAL_DUTY = "legal_duty", _("Duty set by law (e.g. mandatory report)")


class GroundStatus(models.TextChoices):
    """A legal ground the receiving institution recorded waits for the owner's decision."""

    PENDING = "pending", _("Waiting for the owning institution")
    CONFIRMED = "confirmed", _("Confirmed by the owning institution")
    REFUSED = "refused", _("Refused by the owning institution")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ViolenceForm(models.TextChoices):
    """The forms of violence as Kosovo's law names them (several at once are common)."""

    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SEXUAL = "sexual", _("Sexual")
    ECONOMIC = "economic", _("Economic")


class GbvimsType(models.TextChoices):
    """The six GBVIMS core incident types (one per incident)."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL = "denial", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological", _("Psychological or emotional abuse")


#: The GBVIMS type suggested for an incident from the forms of the law, by precedence
#: (GBVIMS takes the most severe that applies; rape and forced marriage need the worker's choice).
GBVIMS_FROM_FORMS = [
    (ViolenceForm.SEXUAL, GbvimsType.SEXUAL_ASSAULT),
    (ViolenceForm.PHYSICAL, GbvimsType.PHYSICAL_ASSAULT),
    (ViolenceForm.ECONOMIC, GbvimsType.DENIAL),
    (ViolenceForm.PSYCHOLOGICAL, GbvimsType.PSYCHOLOGICAL),
]


def gbvims_type_for(forms: list[str]) -> str:
    for form, gbv in GBVIMS_FROM_FORMS:
        if form in forms:
            return gbv
    return ""


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    FORMER_SPOUSE = "former_spouse", _("Former spouse or partner")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Son or daughter")
    SIBLING = "sibling", _("Brother or sister")
    IN_LAW = "in_law", _("In-law")
    OTHER_FAMILY = "other_family", _("Other family member")
    HOUSEHOLD = "household", _("Other member of the household")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReferralKind(models.TextChoices):
    SOCIAL_WORK = "social_work", _("To the centre for social work")
    VICTIM_ADVOCATE = "victim_advocate", _("To the victim advocate")
    SHELTER = "shelter", _("To a shelter")
    LEGAL_AID = "legal_aid", _("To free legal aid")
    HEALTH = "health", _("To health services")
    POLICE = "police", _("To the police")
    OTHER = "other", _("Other")


def referral_kind_for(institution_kind: str) -> str:
    return institution_kind if institution_kind in ReferralKind.values else ReferralKind.OTHER


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


ANSWERED = {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED}


class OrderKind(models.TextChoices):
    INTERIM_POLICE = "interim_police", _("Interim emergency protection order (police)")
    EMERGENCY = "emergency", _("Emergency protection order")
    PROTECTION = "protection", _("Protection order")


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    VIOLATED = "violated", _("Violated")
    EXPIRED = "expired", _("Expired")


class CourtOutcomeKind(models.TextChoices):
    CONVICTION_PRISON = "prison", _("Convicted: imprisonment")
    CONVICTION_SUSPENDED = "suspended", _("Convicted: suspended sentence")
    CONVICTION_FINE = "fine", _("Convicted: fine")
    ACQUITTAL = "acquittal", _("Acquitted")
    DISMISSED = "dismissed", _("Charges dismissed or dropped")
    OTHER = "other", _("Other")


class ServiceKind(models.TextChoices):
    PSYCHO_SOCIAL = "psycho_social", _("Psycho-social support")
    MEDICAL = "medical", _("Medical care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class CaseAudit:
    """Audit privacy of case records (mkk.audit.privacy): the values of the fields in
    ``audit_private_fields`` are shown in the audit log only to those who may open the case
    through the case pages; the record is named by its case reference only."""

    #: Every concrete field except ``id`` and the reference must be listed (a test holds it).
    audit_private_fields: tuple[str, ...] = ()

    def _audit_case(self):
        return self if isinstance(self, Case) else self.case

    def audit_repr(self) -> str:
        return self._audit_case().reference

    @classmethod
    def audit_may_read_values(cls, user, object_id) -> bool:
        from mkk.accounts import scoping

        if not scoping.can_work_cases(user):
            return False
        obj = cls._default_manager.filter(pk=object_id).first()
        if obj is None:
            return False
        from .services import can_handle

        return can_handle(user, obj._audit_case())


# --- Case and identity --------------------------------------------------------------------------


class CaseSequence(models.Model):
    """Last reference number per municipality and year (a counter, not domain data)."""

    municipality = models.ForeignKey(
        "directory.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    audit_exclude = True
    scope_municipality = "municipality"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class Case(CaseAudit, models.Model):
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("institution"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    external_reference = models.CharField(
        _("reference in the institution's own system"), max_length=60, blank=True
    )
    victim_key = models.CharField(_("victim key"), max_length=64, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_group = models.CharField(
        _("age group at the incident"), max_length=10, choices=AgeGroup.choices
    )
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    residence_municipality = models.ForeignKey(
        "directory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    consent_to_share = models.CharField(
        _("consent to share identity with receiving institutions"),
        max_length=10,
        choices=Consent.choices,
        default=Consent.NOT_ASKED,
    )
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sharing_legal_ground = models.CharField(
        _("legal ground for sharing without consent"),
        max_length=20,
        choices=LegalGround.choices,
        blank=True,
    )
    #: Why the owner shares without consent (required with a legal ground).
    sharing_reason = models.TextField(_("reason for sharing without consent"), blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_municipality = "institution__municipality"
    scope_institution = "institution"
    audit_sensitive_fields = ("victim_key",)
    audit_private_fields = (
        "institution",
        "external_reference",
        "sex",
        "age_group",
        "age_band",
        "residence_municipality",
        "consent_to_share",
        "consent_date",
        "consent_recorded_by",
        "sharing_legal_ground",
        "sharing_reason",
        "opened_on",
        "status",
        "closed_at",
        "anonymized_at",
        "created_by",
        "created_at",
    )

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["institution", "opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="case_closed_has_closed_at",
            )
        ]

    def __str__(self) -> str:
        return self.reference or _("new case")

    def clean(self):
        if self.age_band and self.age_group:
            is_child_band = self.age_band in CHILD_BANDS
            if is_child_band != (self.age_group == AgeGroup.CHILD):
                raise ValidationError({"age_band": _("The age band does not match the age group.")})
        if self.consent_to_share == Consent.YES and not self.consent_date:
            raise ValidationError({"consent_date": _("Give the date the victim agreed.")})

    @property
    def may_share_identity(self) -> bool:
        """The owner recorded the victim's consent, or chose a legal ground (with a reason)."""
        return self.consent_to_share == Consent.YES or bool(self.sharing_legal_ground)

    @property
    def consent_refused(self) -> bool:
        return self.consent_to_share == Consent.NO

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None


class VictimIdentity(CaseAudit, models.Model):
    """The victim's identity: every column encrypted at rest, read only through services."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = EncryptedTextField(_("full name"), blank=True)
    personal_number = EncryptedTextField(_("personal number"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)  # ISO date, encrypted
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)

    IDENTITY_FIELDS = ("full_name", "personal_number", "date_of_birth", "phone", "address")
    scope_municipality = "case__institution__municipality"
    scope_institution = "case__institution"
    audit_sensitive_fields = IDENTITY_FIELDS
    audit_private_fields = ("case",)

    class Meta:
        verbose_name = _("victim identity")
        verbose_name_plural = _("victim identities")

    def __str__(self) -> str:
        return f"{self.case.reference} ({_('identity')})"

    @property
    def birth_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None
        except ValueError:
            return None


# --- What happened --------------------------------------------------------------------------------


class CaseChild(CaseAudit, models.Model):
    """Abstract: a record that belongs to a case (scoped by the case's institution)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)ss")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_municipality = "case__institution__municipality"
    scope_institution = "case__institution"
    CHILD_FIELDS = ("case", "recorded_by", "recorded_at")

    class Meta:
        abstract = True


class Incident(CaseChild):
    audit_private_fields = (
        *CaseChild.CHILD_FIELDS,
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
    )
    occurred_on = models.DateField(_("date of the incident"))
    forms = models.JSONField(_("forms of violence"), default=list)
    gbvims_type = models.CharField(
        _("GBVIMS incident type"), max_length=20, choices=GbvimsType.choices, blank=True
    )
    relation = models.CharField(
        _("relation of the perpetrator to the victim"), max_length=20, choices=Relation.choices
    )
    perpetrator_sex = models.CharField(_("perpetrator's sex"), max_length=10, choices=Sex.choices)
    perpetrator_age_group = models.CharField(
        _("perpetrator's age group"),
        max_length=10,
        choices=AgeGroup.choices,
        default=AgeGroup.ADULT,
    )
    risk_level = models.CharField(
        _("risk level (from the assessment)"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    children_affected = models.PositiveSmallIntegerField(_("children affected"), default=0)
    reported_at = models.DateTimeField(_("reported to the police at"), null=True, blank=True)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What happened, without names, addresses or phone numbers."),
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.occurred_on:%d.%m.%Y}"

    def clean(self):
        unknown = [f for f in self.forms or [] if f not in ViolenceForm.values]
        if not self.forms:
            raise ValidationError({"forms": _("Choose at least one form of violence.")})
        if unknown:
            raise ValidationError({"forms": _("Unknown form of violence.")})
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date is in the future.")})
        if (
            self.reported_at
            and self.occurred_on
            and self.reported_at.date() < self.occurred_on - dt.timedelta(days=1)
        ):
            raise ValidationError({"reported_at": _("The report cannot come before the incident.")})

    def form_labels(self) -> list[str]:
        labels = dict(ViolenceForm.choices)
        return [str(labels.get(f, f)) for f in self.forms]


class ReferralDeadline(models.Model):
    """How many hours the receiving institution has to answer a referral.

    A row with no municipality is the national default; a municipality may override it. A row
    with an empty ``from_kind`` applies to referrals from any kind of institution.
    """

    municipality = models.ForeignKey(
        "directory.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality (empty: every municipality)"),
    )
    from_kind = models.CharField(
        _("from (type of institution)"), max_length=20, choices=InstitutionKind.choices, blank=True
    )
    to_kind = models.CharField(_("referral type"), max_length=20, choices=ReferralKind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    hours = models.PositiveIntegerField(_("hours to answer"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    scope_municipality = "municipality"

    class Meta:
        ordering = ["municipality", "to_kind", "from_kind", "urgency"]
        verbose_name = _("referral deadline")
        verbose_name_plural = _("referral deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "from_kind", "to_kind", "urgency"],
                name="referral_deadline_unique",
            ),
            models.UniqueConstraint(
                fields=["from_kind", "to_kind", "urgency"],
                condition=models.Q(municipality__isnull=True),
                name="referral_deadline_unique_national",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=1), name="referral_deadline_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_kind or '*'} → {self.to_kind} ({self.urgency}): {self.hours} h"


class Referral(CaseAudit, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=pgettext_lazy("referral recipient", "to"),
    )
    kind = models.CharField(_("referral type"), max_length=20, choices=ReferralKind.choices)
    reason = models.TextField(
        _("reason"), help_text=_("Why, and what is asked; no names or addresses.")
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline_at = models.DateTimeField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    #: Consent or legal ground the receiving side recorded when accepting (besides the case's).
    consent_recorded = models.BooleanField(
        _("the victim's consent to share is recorded"), default=False
    )
    legal_ground = models.CharField(
        _("legal ground for sharing without consent"),
        max_length=20,
        choices=LegalGround.choices,
        blank=True,
    )
    ground_reason = models.TextField(_("reason for the legal ground"), blank=True)
    ground_status = models.CharField(
        _("owner's decision on the legal ground"),
        max_length=10,
        choices=GroundStatus.choices,
        blank=True,
    )
    ground_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ground_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    scope_municipality = "case__institution__municipality"
    scope_institution = "case__institution"
    audit_private_fields = (
        "case",
        "from_institution",
        "to_institution",
        "kind",
        "reason",
        "urgency",
        "sent_at",
        "sent_by",
        "deadline_at",
        "status",
        "responded_at",
        "responded_by",
        "decline_reason",
        "consent_recorded",
        "legal_ground",
        "ground_reason",
        "ground_status",
        "ground_decided_at",
        "ground_decided_by",
        "completed_at",
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_institution", "status"]),
            models.Index(fields=["status", "deadline_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_institution=models.F("to_institution")),
                name="referral_not_to_self",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.to_institution}"

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.deadline_at < timezone.now()

    @property
    def response_hours(self) -> float | None:
        if not self.responded_at:
            return None
        return round((self.responded_at - self.sent_at).total_seconds() / 3600, 1)

    @property
    def answered_in_time(self) -> bool | None:
        if not self.responded_at:
            return None
        return self.responded_at <= self.deadline_at

    @property
    def shares_identity(self) -> bool:
        """Accepted, and one of: the owner recorded consent or chose a legal ground; the
        receiver recorded consent where the owner had not recorded a "No"; the receiver
        recorded a legal ground that the owner confirmed. Consent is the owner's: a "No" on
        the case is never overturned by the receiver."""
        if self.status not in {ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}:
            return False
        case = self.case
        if case.may_share_identity:
            return True
        if self.consent_recorded and not case.consent_refused:
            return True
        return bool(self.legal_ground) and self.ground_status == GroundStatus.CONFIRMED


class ProtectionOrder(CaseChild):
    audit_private_fields = (
        *CaseChild.CHILD_FIELDS,
        "kind",
        "status",
        "requested_on",
        "decided_on",
        "valid_until",
        "violated_on",
    )
    kind = models.CharField(_("type of order"), max_length=20, choices=OrderKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    violated_on = models.DateField(_("violated on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("protection order")
        verbose_name_plural = _("protection orders")

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.get_kind_display()}"

    def clean(self):
        if self.decided_on and self.requested_on and self.decided_on < self.requested_on:
            raise ValidationError({"decided_on": _("The decision cannot come before the request.")})
        if self.status in {OrderStatus.ISSUED, OrderStatus.REFUSED} and not self.decided_on:
            raise ValidationError({"decided_on": _("Give the date of the decision.")})
        if self.status == OrderStatus.VIOLATED and not self.violated_on:
            raise ValidationError({"violated_on": _("Give the date of the violation.")})


class CourtOutcome(CaseChild):
    audit_private_fields = (*CaseChild.CHILD_FIELDS, "decided_on", "outcome", "final")
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=CourtOutcomeKind.choices)
    final = models.BooleanField(_("final (no appeal pending)"), default=False)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("court outcome")
        verbose_name_plural = _("court outcomes")

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.get_outcome_display()}"


class ShelterStay(CaseChild):
    audit_private_fields = (
        *CaseChild.CHILD_FIELDS,
        "institution",
        "admitted_on",
        "discharged_on",
        "accompanying_children",
    )
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shelter"),
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    accompanying_children = models.PositiveSmallIntegerField(_("accompanying children"), default=0)

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.admitted_on:%d.%m.%Y}"

    def clean(self):
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            raise ValidationError({"discharged_on": _("Discharge cannot come before admission.")})


class ServiceGiven(CaseChild):
    audit_private_fields = (*CaseChild.CHILD_FIELDS, "kind", "given_on", "institution")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    given_on = models.DateField(_("date"))
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("service given")
        verbose_name_plural = _("services given")

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.get_kind_display()}"
