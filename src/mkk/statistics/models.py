"""Periodic statistics in the manner of DHIS2, sized for a municipality.

* ``Disaggregation`` / ``DisaggregationOption``: a category such as sex (female, male) or
  age group (adult, child).
* ``DataElement``: one figure an institution reports (code, name in three languages,
  optional disaggregations).
* ``DataSet``: the elements an institution of one kind reports, with its usual period and
  deadline.
* ``Submission``: one institution's figures of one data set for one period (a month, quarter,
  half-year, year or an explicit date range), with its status.
* ``DataValue``: one number of a submission. ``key`` is ``""`` for the total of the element
  or ``"<disaggregation>=<option>"`` for a part of it, e.g. ``"sex=female"``.
* ``Dhis2DataElementMap`` / ``Dhis2OrgUnitMap``: our codes to a DHIS2 instance's UIDs.

The catalogue (disaggregations, elements, data sets) is national: it is shared by every
municipality. Submissions belong to one institution and are scoped through it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mkk.directory.i18n import LocalizedNameMixin
from mkk.directory.models import InstitutionKind

element_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9_]{1,39}$",
    _("Use capital ASCII letters, digits and underscores, e.g. POL_CASES."),
)
category_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,29}$",
    _("Use lowercase ASCII letters, digits and underscores, e.g. sex or female."),
)
dhis2_uid_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9]{10}$",
    _("A DHIS2 identifier has 11 letters and digits and starts with a letter."),
)


#: The named data version of the catalogue (mkk.core.versions), renewed by its models.
CATALOGUE_SCOPE = "statistics-catalogue"


class PeriodType(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")
    RANGE = "range", _("Date range")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported file")
    CASES = "cases", _("Generated from case records")
    DHIS2 = "dhis2", _("DHIS2")


class Disaggregation(LocalizedNameMixin, models.Model):
    data_version_scope = CATALOGUE_SCOPE  # the cached catalogue (statistics.comparison)

    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=[category_code_validator]
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")

    def __str__(self) -> str:
        return self.code


class DisaggregationOption(LocalizedNameMixin, models.Model):
    data_version_scope = CATALOGUE_SCOPE  # the cached catalogue (statistics.comparison)

    disaggregation = models.ForeignKey(
        Disaggregation, on_delete=models.CASCADE, related_name="options"
    )
    code = models.CharField(_("code"), max_length=30, validators=[category_code_validator])
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["disaggregation", "order", "code"]
        verbose_name = _("disaggregation option")
        verbose_name_plural = _("disaggregation options")
        constraints = [
            models.UniqueConstraint(
                fields=["disaggregation", "code"], name="stat_option_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.disaggregation.code}={self.code}"


class DataElement(LocalizedNameMixin, models.Model):
    data_version_scope = CATALOGUE_SCOPE  # the cached catalogue (statistics.comparison)

    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[element_code_validator]
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    disaggregations = models.ManyToManyField(
        Disaggregation, blank=True, related_name="elements", verbose_name=_("disaggregations")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")

    def __str__(self) -> str:
        return self.code

    @property
    def institution_kinds(self) -> list[str]:
        return sorted({ds.institution_kind for ds in self.data_sets.all()})

    @property
    def institution_kind(self) -> str | None:
        kinds = self.institution_kinds
        return kinds[0] if kinds else None


class DataSet(LocalizedNameMixin, models.Model):
    data_version_scope = CATALOGUE_SCOPE  # the cached catalogue (statistics.comparison)

    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[element_code_validator]
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    institution_kind = models.CharField(
        _("institution type"), max_length=20, choices=InstitutionKind.choices, db_index=True
    )
    elements = models.ManyToManyField(
        DataElement, related_name="data_sets", verbose_name=_("data elements")
    )
    period_type = models.CharField(
        _("usual period"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (days after the period ends)"), default=10
    )
    warning_factor = models.DecimalField(
        _("warning factor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("1.01"))],
        help_text=_(
            "A figure that grows or falls by more than this factor against the same period "
            "of the previous year asks for a second look."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["institution_kind", "code"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")

    def __str__(self) -> str:
        return self.code


class Submission(models.Model):
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="statistics_submissions",
        verbose_name=_("institution"),
    )
    data_set = models.ForeignKey(
        DataSet, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("data set")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    period_type = models.CharField(
        _("period type"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    scope_municipality = "institution__municipality"
    scope_institution = "institution"
    audit_ignore_fields = ("updated_at",)

    class Meta:
        ordering = ["-period_start", "institution__name_sq", "data_set__code"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "data_set", "period_start", "period_end"],
                name="stat_submission_unique_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="stat_submission_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.data_set} · {self.period_start}–{self.period_end}"

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def is_locked(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in {Status.DRAFT, Status.RETURNED}

    def values_dict(self) -> dict[tuple[str, str], int]:
        return {(v.element.code, v.key): v.value for v in self.values.select_related("element")}


class DataValue(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    key = models.CharField(
        _("disaggregation"),
        max_length=80,
        blank=True,
        help_text=_('Empty for the total, else "<category>=<option>", e.g. sex=female.'),
    )
    value = models.PositiveIntegerField(_("value"))

    scope_municipality = "submission__institution__municipality"
    scope_institution = "submission__institution"

    class Meta:
        ordering = ["submission", "element__order", "element__code", "key"]
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "element", "key"], name="stat_value_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element.code}[{self.key}]={self.value}"


class Dhis2DataElementMap(models.Model):
    """One of our (element, disaggregation) pairs as a DHIS2 dataElement + categoryOptionCombo."""

    element = models.ForeignKey(
        DataElement,
        on_delete=models.CASCADE,
        related_name="dhis2_maps",
        verbose_name=_("data element"),
    )
    key = models.CharField(_("disaggregation"), max_length=80, blank=True)
    data_element_uid = models.CharField(
        _("DHIS2 data element"), max_length=11, validators=[dhis2_uid_validator]
    )
    category_option_combo_uid = models.CharField(
        _("DHIS2 category option combination"),
        max_length=11,
        blank=True,
        validators=[dhis2_uid_validator],
        help_text=_("Empty for DHIS2's default combination."),
    )

    class Meta:
        ordering = ["element__code", "key"]
        verbose_name = _("DHIS2 data element mapping")
        verbose_name_plural = _("DHIS2 data element mappings")
        constraints = [
            models.UniqueConstraint(fields=["element", "key"], name="stat_dhis2_de_unique_ours"),
            models.UniqueConstraint(
                fields=["data_element_uid", "category_option_combo_uid"],
                name="stat_dhis2_de_unique_theirs",
            ),
        ]

    def __str__(self) -> str:
        theirs = f"{self.data_element_uid}.{self.category_option_combo_uid}"
        return f"{self.element.code}[{self.key}] → {theirs}"


class Dhis2OrgUnitMap(models.Model):
    institution = models.OneToOneField(
        "directory.Institution",
        on_delete=models.CASCADE,
        related_name="dhis2_org_unit",
        verbose_name=_("institution"),
    )
    org_unit_uid = models.CharField(
        _("DHIS2 organisation unit"), max_length=11, unique=True, validators=[dhis2_uid_validator]
    )

    scope_municipality = "institution__municipality"
    scope_institution = "institution"

    class Meta:
        verbose_name = _("DHIS2 organisation unit mapping")
        verbose_name_plural = _("DHIS2 organisation unit mappings")

    def __str__(self) -> str:
        return f"{self.institution} → {self.org_unit_uid}"
