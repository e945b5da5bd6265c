"""The municipality's Local Action Plan, its actions, and the progress reported on them.

Everything imported from the plan document keeps the text as written next to the
normalised value (codes, timeframes, amounts, funders, institutions, references), so that
no cell of the source is lost. Every change is written to the audit log by the signals of
``mkk.audit``; an action's history page reads it back.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    ARCHIVED = "archived", _("Archived")


class Recurrence(models.TextChoices):
    ANNUAL = "annual", _("Every year")
    SEMIANNUAL = "semiannual", _("Every 6 months")
    ONE_OFF = "one_off", _("Once")


class Funder(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DONORS = "donors", _("Donors")
    NGO = "ngo", _("NGO")
    BUSINESS = "business", _("Businesses")
    OTHER = "other", _("Other")


class InstitutionRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORTING = "supporting", _("Supporting")


class MatchMethod(models.TextChoices):
    ABBREVIATION = "abbreviation", _("Abbreviation")
    NAME = "name", _("Name")
    ALIAS = "alias", _("Other name")
    FUZZY = "fuzzy", _("Similar name")
    MANUAL = "manual", _("Chosen by hand")
    NONE = "none", _("Not matched")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


REPORTING_MONTHS = (1, 2, 3, 4, 6, 12)


class ActionPlan(models.Model):
    mechanism = models.ForeignKey(
        "directory.Mechanism",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("mechanism"),
    )
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    adoption_decision = models.CharField(_("adoption decision"), max_length=200, blank=True)
    adoption_date = models.DateField(_("adoption date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    reporting_period_months = models.PositiveSmallIntegerField(
        _("reporting period (months)"),
        default=6,
        choices=[(m, str(m)) for m in REPORTING_MONTHS],
        help_text=_("Progress is reported once per period; 6 means half-years."),
    )
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("source SHA-256"), max_length=64, blank=True)
    preamble = models.TextField(_("text before the table"), blank=True)
    postamble = models.TextField(_("text after the table"), blank=True)
    #: What the document lists besides the table (abbreviations, contact lines), as parsed.
    glossary = models.JSONField(_("abbreviations in the document"), default=list, blank=True)
    contacts = models.JSONField(_("contacts in the document"), default=list, blank=True)
    goals = models.JSONField(_("goals in the document"), default=list, blank=True)
    #: Table text that belongs to no action (e.g. between two parts of the table).
    notes = models.TextField(_("notes from the table"), blank=True)
    #: Column titles and label cells of the table, as written.
    header_cells = models.JSONField(_("table headings"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_municipality = "mechanism__municipality"

    class Meta:
        ordering = ["-start_year", "pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def first_day(self) -> dt.date:
        """1 January of the plan's first year: where its implementation is counted from."""
        return dt.date(self.start_year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        """31 December of the plan's last year."""
        return dt.date(self.end_year, 12, 31)


class StrategicObjective(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="strategic_objectives"
    )
    code = models.CharField(_("code"), max_length=20)
    code_raw = models.CharField(_("code as written"), max_length=40, blank=True)
    title = models.TextField(_("title"))
    title_raw = models.TextField(_("title as written"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "plan__mechanism__municipality"

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"[:250]


class SpecificObjective(models.Model):
    strategic_objective = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="specific_objectives"
    )
    code = models.CharField(_("code"), max_length=20)
    code_raw = models.CharField(_("code as written"), max_length=40, blank=True)
    title = models.TextField(_("title"))
    title_raw = models.TextField(_("title as written"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "strategic_objective__plan__mechanism__municipality"

    class Meta:
        ordering = ["strategic_objective__order", "order", "pk"]
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"[:250]


class Action(models.Model):
    #: What a coordinator writes by hand on an action (the edit form's fields, the service's
    #: writes); the rest comes from the import or follows from these.
    EDITED_FIELDS = (
        "specific_objective",
        "code",
        "description",
        "start_year",
        "end_year",
        "recurrence",
        "outputs",
        "notes",
    )

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    specific_objective = models.ForeignKey(
        SpecificObjective,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("specific objective"),
    )
    code_raw = models.CharField(_("code as written"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=20)
    #: 0 for the first action with this code, 1 for a second one (duplicate codes are kept).
    occurrence = models.PositiveSmallIntegerField(_("occurrence of the code"), default=0)
    description = models.TextField(_("action"))
    timeframe_raw = models.CharField(_("timeframe as written"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=12, choices=Recurrence.choices, blank=True
    )
    funding_raw = models.TextField(_("funding as written"), blank=True)
    institutions_raw = models.TextField(_("institutions as written"), blank=True)
    outputs = models.TextField(_("outputs / indicators"), blank=True)
    references_raw = models.TextField(_("references as written"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    #: Line of the source document the action came from; empty for actions added by hand.
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)

    scope_municipality = "plan__mechanism__municipality"

    class Meta:
        ordering = [
            "plan",
            "specific_objective__strategic_objective__order",
            "specific_objective__order",
            "order",
            "pk",
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code", "occurrence"], name="action_unique_code_occurrence"
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="action_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"[:250]

    @property
    def lead_links(self) -> list[ActionInstitution]:
        """Lead institution links (uses the prefetched links when there are)."""
        return [link for link in self.institution_links.all() if link.role == InstitutionRole.LEAD]

    @property
    def timeframe_display(self) -> str:
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


class ActionInstitution(models.Model):
    """A lead or supporting institution of an action, as written and as matched."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="institution_links")
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("institution"),
    )
    text_as_written = models.CharField(_("as written"), max_length=300)
    role = models.CharField(_("role"), max_length=10, choices=InstitutionRole.choices)
    match_method = models.CharField(
        _("matched by"), max_length=12, choices=MatchMethod.choices, default=MatchMethod.NONE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "action__plan__mechanism__municipality"
    scope_institution = "institution"

    class Meta:
        ordering = ["action", "role", "order", "pk"]
        verbose_name = _("institution of an action")
        verbose_name_plural = _("institutions of actions")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.institution or self.text_as_written}"


class BudgetLine(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    funder = models.CharField(
        _("funding source"), max_length=12, choices=Funder.choices, blank=True
    )
    funder_raw = models.CharField(_("funding source as written"), max_length=200, blank=True)
    cell_raw = models.CharField(_("cell as written"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "action__plan__mechanism__municipality"

    class Meta:
        ordering = ["action", "year", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount} EUR"


class ActionFunder(models.Model):
    """A funding source named for an action (the "Financimi" column)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funders")
    funder = models.CharField(_("funding source"), max_length=12, choices=Funder.choices)
    text_as_written = models.CharField(_("as written"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "action__plan__mechanism__municipality"

    class Meta:
        ordering = ["action", "order", "pk"]
        verbose_name = _("funding source of an action")
        verbose_name_plural = _("funding sources of actions")

    def __str__(self) -> str:
        return self.get_funder_display()


class LegalReference(models.Model):
    """A law, strategy or convention an action refers to, normalised ("Ligji nr. 08/L-185")."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="legal_references")
    name = models.CharField(_("reference"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_municipality = "action__plan__mechanism__municipality"

    class Meta:
        ordering = ["action", "order", "pk"]
        verbose_name = _("legal reference")
        verbose_name_plural = _("legal references")

    def __str__(self) -> str:
        return self.name


class ProgressUpdate(models.Model):
    """What the lead institution reports on one action for one reporting period."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    narrative = models.TextField(_("progress"), blank=True)
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    scope_municipality = "action__plan__mechanism__municipality"
    audit_ignore_fields = ("updated_at",)

    class Meta:
        ordering = ["action", "-period_start"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period_start"], name="progress_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="progress_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.period_start:%m.%Y}–{self.period_end:%m.%Y}"

    @property
    def is_editable(self) -> bool:
        return self.review_state in {ReviewState.DRAFT, ReviewState.RETURNED}


class Spending(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="spending")
    funder = models.CharField(_("funding source"), max_length=12, choices=Funder.choices)
    amount = models.DecimalField(
        _("amount spent (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    scope_municipality = "update__action__plan__mechanism__municipality"

    class Meta:
        ordering = ["update", "funder"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["update", "funder"], name="spending_one_per_funder")
        ]

    def __str__(self) -> str:
        return f"{self.get_funder_display()}: {self.amount} EUR"


class Evidence(models.Model):
    """A file attached to a progress update, stored outside the web root under a random name."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    #: Path relative to settings.PRIVATE_MEDIA_ROOT ("evidence/<random>"), never the user's name.
    stored_name = models.CharField(_("stored as"), max_length=100, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope_municipality = "update__action__plan__mechanism__municipality"

    class Meta:
        ordering = ["update", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ImportRun(models.Model):
    """One confirmed import of a plan document, with its counts, warnings and cell report."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="imports")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    counts = models.JSONField(_("counts"), default=dict)
    changes = models.JSONField(_("created, changed, unchanged"), default=dict)
    warnings = models.JSONField(_("warnings"), default=list)
    report = models.JSONField(_("where each cell went"), default=list)

    scope_municipality = "plan__mechanism__municipality"
    # The full report is kept here; the audit entry records that the run happened.
    audit_ignore_fields = ("warnings", "report")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
