"""The mechanism's registry: municipalities, institutions, members, contacts, glossary."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import LocalizedNameMixin, localized

code_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,39}$",
    _("Use lowercase ASCII letters, digits and hyphens, e.g. drenas."),
)


class Region(LocalizedNameMixin, models.Model):
    """A Kosovo Police regional directorate's area: the unit regional figures are summed by."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_sq


class Municipality(LocalizedNameMixin, models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Lowercase ASCII name used in addresses and commands, e.g. drenas."),
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("police region"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)

    scope_municipality = ""  # the municipality itself
    data_version_global = True  # named on pages of other municipalities (mkk.core.versions)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name_sq

    @property
    def bilingual_name(self) -> str:
        """'Drenas/Glogovac', as municipalities write their own name."""
        if self.name_sr and self.name_sr != self.name_sq:
            return f"{self.name_sq}/{self.name_sr}"
        return self.name_sq


class InstitutionKind(models.TextChoices):
    POLICE = "police", _("Police")
    SOCIAL_WORK = "social_work", _("Centre for social work")
    VICTIM_ADVOCATE = "victim_advocate", _("Victim advocate")
    PROSECUTION = "prosecution", _("Prosecution")
    BASIC_COURT = "basic_court", _("Basic court")
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Free legal aid")
    HEALTH = "health", _("Health directorate")
    EDUCATION = "education", _("Education directorate")
    EMPLOYMENT = "employment", _("Employment office")
    HUMAN_RIGHTS = "human_rights", _("Human-rights / gender-equality unit")
    MUNICIPALITY = "municipality", _("Municipality")
    MINISTRY = "ministry", _("Ministry")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


class ReportingLevel(models.TextChoices):
    """Where an institution's figures are counted, once: its municipality, its region or
    Kosovo as a whole (a regional police directorate, a basic court with its branches or a
    regional shelter reports once, for every municipality it serves)."""

    MUNICIPAL = "municipal", _("Municipal")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


#: Institutions that give victims a service and so may receive a referral. The municipality,
#: ministries, the human-rights unit (which runs the mechanism) and "other" bodies do not.
SERVICE_KINDS = (
    InstitutionKind.POLICE,
    InstitutionKind.SOCIAL_WORK,
    InstitutionKind.VICTIM_ADVOCATE,
    InstitutionKind.PROSECUTION,
    InstitutionKind.BASIC_COURT,
    InstitutionKind.SHELTER,
    InstitutionKind.LEGAL_AID,
    InstitutionKind.HEALTH,
    InstitutionKind.EDUCATION,
    InstitutionKind.EMPLOYMENT,
    InstitutionKind.NGO,
)


class Institution(LocalizedNameMixin, models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="institutions"
    )
    kind = models.CharField(_("type"), max_length=20, choices=InstitutionKind.choices)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # "në Policinë e Kosovës": the form Albanian prose needs after "në" (optional).
    name_sq_locative = models.CharField(_("name after 'në' (Albanian)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: other ways documents write this institution's name."),
    )
    phone = models.CharField(_("phone"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    level = models.CharField(
        _("reporting level"),
        max_length=10,
        choices=ReportingLevel.choices,
        default=ReportingLevel.MUNICIPAL,
        help_text=_(
            "An institution serving several municipalities reports once, at its level, and is "
            "counted once."
        ),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("region served"),
        help_text=_("For a regional institution: the region it serves (default: its seat's)."),
    )

    scope_municipality = "municipality"
    data_version_global = True  # named on pages of other municipalities (mkk.core.versions)
    scope_institution = "pk"

    class Meta:
        ordering = ["municipality", "name_sq"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name_sq"], name="institution_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name_sq

    def clean(self):
        super().clean()
        if self.level != ReportingLevel.REGIONAL and self.region_id:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"region": _("Only a regional institution serves a region; leave it empty.")}
            )

    @property
    def served_region_id(self) -> int | None:
        """The region whose total this institution's figures go into."""
        if self.level == ReportingLevel.NATIONAL:
            return None
        return self.region_id or (self.municipality.region_id if self.municipality_id else None)

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class Mechanism(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="mechanism"
    )
    name_sq = models.CharField(
        _("name (Albanian)"),
        max_length=250,
        default="Mekanizmi Koordinues Komunal kundër Dhunës në Familje",
    )
    name_sr = models.CharField(
        _("name (Serbian)"),
        max_length=250,
        default="Opštinski koordinacioni mehanizam protiv nasilja u porodici",
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=250,
        default="Municipal Coordination Mechanism against Domestic Violence",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator (user)"),
    )
    coordinator_name = models.CharField(_("coordinator"), max_length=150, blank=True)
    coordinator_title = models.CharField(_("coordinator's position"), max_length=200, blank=True)
    # Who approves the monitoring report: every viewer (the Mayor's office) of the
    # municipality, and this named person if set (see accounts.scoping.can_approve_report).
    report_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named approver of the report"),
        help_text=_("Besides the Mayor's office (viewer accounts), this person may approve."),
    )
    # Four eyes with a single coordinator: this person approves what the coordinator
    # submitted herself (see accounts.scoping.can_approve).
    deputy_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy approver"),
        help_text=_(
            "Approves the submissions and progress updates that the coordinator entered: "
            "nobody approves their own work."
        ),
    )

    scope_municipality = "municipality"

    class Meta:
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self) -> str:
        return f"{self.name_sq} – {self.municipality}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    PARTNER = "partner", _("Supporting partner")


class Membership(models.Model):
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    focal_person = models.CharField(_("focal person"), max_length=150, blank=True)
    focal_person_title = models.CharField(_("position"), max_length=150, blank=True)
    focal_person_email = models.EmailField(_("focal person's e-mail"), blank=True)
    focal_person_phone = models.CharField(_("focal person's work phone"), max_length=60, blank=True)
    #: The focal person's account, when linked by the coordinator (name and e-mail follow it).
    focal_user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_memberships",
        verbose_name=_("focal person's account"),
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    until = models.DateField(_("member until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "mechanism__municipality"
    scope_institution = "institution"

    class Meta:
        ordering = ["mechanism", "role", "order", "institution__name_sq"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True)
                | models.Q(since__isnull=True)
                | models.Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_role_display()})"

    def is_current(self, on=None) -> bool:
        from django.utils import timezone

        day = on or timezone.localdate()
        return (self.since is None or self.since <= day) and (
            self.until is None or self.until >= day
        )


class EmergencyContact(LocalizedNameMixin, models.Model):
    """A public emergency number, as the plan lists them on its first page."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    numbers = models.JSONField(_("numbers"), default=list)
    free_of_charge = models.BooleanField(_("free of charge"), default=False)
    # Public institutional data only; leave empty when no public source gives it.
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the address and opening hours were published (document or page)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "municipality"

    class Meta:
        ordering = ["municipality", "order", "pk"]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return f"{self.name_sq}: {', '.join(self.numbers)}"

    @property
    def number_items(self) -> list[dict]:
        """Each number with its dialable form, whether calling it is free in Kosovo, and whether
        it is answered around the clock: the three-digit short codes are Kosovo's emergency lines
        (112 emergency, 192 police, 193 fire, 194 ambulance), free and staffed day and night."""
        items = []
        for number in self.numbers:
            digits = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
            short = len(digits) <= 3
            free = digits.startswith("0800") or short
            items.append({"number": number, "tel": digits, "free": free, "always": short})
        return items

    @property
    def address_confidential(self) -> bool:
        """A shelter's address is never published (the safety of the people it houses)."""
        return self.institution is not None and self.institution.kind == InstitutionKind.SHELTER


class GlossaryTerm(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="glossary"
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    meaning_sq = models.CharField(_("meaning (Albanian)"), max_length=250)
    meaning_sr = models.CharField(_("meaning (Serbian)"), max_length=250, blank=True)
    meaning_en = models.CharField(_("meaning (English)"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "municipality"

    class Meta:
        ordering = ["municipality", "order", "abbreviation"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "abbreviation"], name="glossary_unique_abbreviation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation}: {self.meaning_sq}"

    @property
    def meaning(self) -> str:
        return localized(self, "meaning")
