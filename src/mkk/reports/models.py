"""Monitoring reports ("Raporti i Monitorimit") and their rendered files."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SUBMITTED = "submitted", _("Submitted to the Mayor")
    RETURNED = "returned", _("Returned by the Mayor")
    APPROVED = "approved", _("Approved by the Mayor")
    PUBLISHED = "published", _("Published")


class ReportLanguage(models.TextChoices):
    SQ = "sq", _("Albanian")
    EN = "en", _("English")
    SR = "sr-latn", _("Serbian (Latin)")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"
    HTML = "html", "HTML"


def _public_slug() -> str:
    return secrets.token_urlsafe(12)


class MonitoringReport(models.Model):
    mechanism = models.ForeignKey(
        "directory.Mechanism",
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        verbose_name=_("mechanism"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(
        _("language"), max_length=10, choices=ReportLanguage.choices, default=ReportLanguage.SQ
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    # The coordinator's own words (plain text; paragraphs separated by a blank line).
    summary_remarks = models.TextField(_("summary remarks"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    section_remarks = models.JSONField(_("remarks per section"), default=dict, blank=True)
    # Frozen on submission: the figures as they were, internal and public.
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    public_snapshot = models.JSONField(_("public snapshot"), null=True, blank=True, editable=False)
    public_slug = models.CharField(max_length=32, unique=True, default=_public_slug, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("approved or returned"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    approval_comment = models.TextField(_("the Mayor's comments"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    scope_municipality = "mechanism__municipality"
    audit_ignore_fields = ("snapshot", "public_snapshot", "updated_at")

    class Meta:
        ordering = ["-period_end", "-version", "-pk"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"
        return f"{self.display_title} ({period}, v{self.version})"

    @property
    def display_title(self) -> str:
        return self.title or str(_("Monitoring report"))

    def file_name(self, fmt: str, *, public: bool) -> str:
        """A download's name in the active language, e.g.
        "raporti-i-monitorimit-drenas-20250101-20251231-v1-publik.pdf"."""
        code = self.mechanism.municipality.code
        stem = pgettext("file name", "monitoring-report")
        suffix = "-" + pgettext("file name", "public") if public else ""
        return (
            f"{stem}-{code}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"
            f"-v{self.version}{suffix}.{fmt}"
        )

    @property
    def is_submitted(self) -> bool:
        """Waiting for the Mayor's decision."""
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_frozen(self) -> bool:
        return self.status in {
            ReportStatus.SUBMITTED,
            ReportStatus.APPROVED,
            ReportStatus.PUBLISHED,
        }

    @property
    def is_editable(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.IN_REVIEW, ReportStatus.RETURNED}

    def narrative(self) -> dict:
        remarks = self.section_remarks or {}
        return {
            "summary": self.summary_remarks,
            "challenges": self.challenges,
            "recommendations": self.recommendations,
            **{k: str(v) for k, v in remarks.items() if k != "summary"},
        }

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period is before its start.")})
        if self.section_remarks and not isinstance(self.section_remarks, dict):
            raise ValidationError({"section_remarks": _("Remarks must be given per section.")})


class ReportFile(models.Model):
    report = models.ForeignKey(
        MonitoringReport, on_delete=models.CASCADE, related_name="files", verbose_name=_("report")
    )
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=10, choices=ReportLanguage.choices)
    public = models.BooleanField(_("public version"), default=False)
    path = models.CharField(_("stored file"), max_length=200, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_municipality = "report__mechanism__municipality"

    class Meta:
        ordering = ["report", "public", "format"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format", "public"], name="reportfile_one_per_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.format}{' (public)' if self.public else ''}"

    @property
    def storage_name(self) -> str:
        """Name in the "private" storage (local folder or object store)."""
        return f"reports/{self.path}"

    @property
    def full_path(self):
        """Local path when the private storage is the local folder."""
        return settings.PRIVATE_MEDIA_ROOT / "reports" / self.path

    def read(self) -> bytes:
        from mkk.ops.storage import private_storage

        with private_storage().open(self.storage_name, "rb") as fh:
            return fh.read()

    def read_checked(self) -> bytes | None:
        """The kept bytes, or None when they cannot be read or no longer match their SHA-256
        (a kept file that was altered is never served)."""
        try:
            content = self.read()
        except OSError:
            return None
        return content if hashlib.sha256(content).hexdigest() == self.sha256 else None
