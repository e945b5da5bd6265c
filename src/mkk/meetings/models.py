"""Meetings of the mechanism: agenda, attendance, minutes, cases discussed, decisions and
follow-ups, and the trainings, round tables and campaigns it held or attended."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mkk.directory.models import Institution, Mechanism

from . import richtext
from .validators import case_reference_validator


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    CASE_CONFERENCE = "case_conference", _("Case conference")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("mechanism")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    challenges = models.TextField(
        _("challenges raised"),
        blank=True,
        help_text=_("Challenges and problems the members raised, for the monitoring report."),
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    invitation_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_municipality = "mechanism__municipality"
    audit_ignore_fields = ("updated_at",)

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="meeting_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.minutes = richtext.sanitize(self.minutes)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The meeting must end after it starts.")
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Enter the start time as well as the end time.")
        if self.status == MeetingStatus.HELD and self.date and self.date > timezone.localdate():
            errors["status"] = _("A meeting in the future cannot be marked as held yet.")
        if errors:
            raise ValidationError(errors)

    @property
    def municipality(self):
        return self.mechanism.municipality

    @property
    def minutes_html(self):
        return richtext.as_html(self.minutes)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("agenda item"), max_length=300)

    scope_municipality = "meeting__mechanism__municipality"

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    person_name = models.CharField(
        _("representative"),
        max_length=150,
        blank=True,
        help_text=_("Name of the institution's representative at the meeting."),
    )

    scope_municipality = "meeting__mechanism__municipality"

    class Meta:
        ordering = ["meeting", "institution__name_sq"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "institution"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_status_display()}"


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    ROUND_TABLE = "round_table", _("Round table")
    CAMPAIGN = "campaign", _("Campaign")
    OTHER = "other", _("Other activity")


class Involvement(models.TextChoices):
    HELD = "held", _("Held by the mechanism")
    ATTENDED = "attended", _("Attended by members")


class Activity(models.Model):
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="activities")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("related meeting"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    involvement = models.CharField(
        _("the mechanism"), max_length=10, choices=Involvement.choices, default=Involvement.HELD
    )
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    partner = models.CharField(
        _("partner"), max_length=200, blank=True, help_text=_("e.g. UN Women, National Coordinator")
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    scope_municipality = "mechanism__municipality"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def clean(self):
        if self.meeting_id and self.mechanism_id and self.meeting.mechanism_id != self.mechanism_id:
            raise ValidationError({"meeting": _("Choose a meeting of this mechanism.")})


class CaseDiscussed(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cases_discussed")
    reference = models.CharField(
        _("case reference"), max_length=20, validators=[case_reference_validator]
    )

    scope_municipality = "meeting__mechanism__municipality"

    class Meta:
        ordering = ["meeting", "reference"]
        verbose_name = _("case discussed")
        verbose_name_plural = _("cases discussed")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "reference"], name="case_discussed_once")
        ]

    def __str__(self) -> str:
        return self.reference


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    scope_municipality = "meeting__mechanism__municipality"

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    owner = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible institution"),
    )
    description = models.TextField(_("task"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_municipality = "decision__meeting__mechanism__municipality"
    scope_institution = "owner"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self) -> str:
        return f"{self.description[:80]} ({self.due_date:%d.%m.%Y})"

    def clean(self):
        if (
            self.owner_id
            and self.decision_id
            and self.owner.municipality_id != self.decision.meeting.mechanism.municipality_id
        ):
            raise ValidationError({"owner": _("Choose an institution of this municipality.")})

    @property
    def is_closed(self) -> bool:
        return self.status in {FollowUpStatus.DONE, FollowUpStatus.CANCELLED}

    def is_overdue(self, on=None) -> bool:
        return not self.is_closed and self.due_date < (on or timezone.localdate())
