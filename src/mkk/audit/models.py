"""The append-only audit log.

No code path updates or deletes an entry: the model and its queryset refuse it, the admin
shows it read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    """What was done, as an event of the log (context "audit action": "Approved" here reads
    "was approved", unlike the status "Approved" of a submission)."""

    LOGIN = "login", pgettext_lazy("audit action", "Logged in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed login")
    LOGOUT = "logout", pgettext_lazy("audit action", "Logged out")
    OTP_FAILED = "otp_failed", pgettext_lazy("audit action", "Wrong second-factor code")
    OTP_ENROLLED = "otp_enrolled", pgettext_lazy("audit action", "Second factor set up")
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Changed")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    VIEW_IDENTITY = "view_identity", pgettext_lazy("audit action", "Viewed identity data")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    IMPORT = "import", pgettext_lazy("audit action", "Imported")
    SUBMIT = "submit", pgettext_lazy("audit action", "Submitted")
    APPROVE = "approve", pgettext_lazy("audit action", "Approved")
    PUBLISH = "publish", pgettext_lazy("audit action", "Published")
    RETURN = "return", pgettext_lazy("audit action", "Returned for correction")
    SEND = "send", pgettext_lazy("audit action", "Sent")
    # Named events of the case layer and of follow-up tasks (no case content in the reason).
    REFERRAL_SENT = "referral_sent", pgettext_lazy("audit action", "Referral sent")
    REFERRAL_ACCEPTED = "referral_accepted", pgettext_lazy("audit action", "Referral accepted")
    REFERRAL_DECLINED = "referral_declined", pgettext_lazy("audit action", "Referral declined")
    REFERRAL_WITHDRAWN = "referral_withdrawn", pgettext_lazy("audit action", "Referral withdrawn")
    REFERRAL_COMPLETED = "referral_completed", pgettext_lazy("audit action", "Referral completed")
    CASE_CLOSED = "case_closed", pgettext_lazy("audit action", "Case closed")
    CASE_REOPENED = "case_reopened", pgettext_lazy("audit action", "Case reopened")
    CONSENT_RECORDED = "consent_recorded", pgettext_lazy("audit action", "Consent recorded")
    FOLLOW_UP_STATUS = "follow_up_status", pgettext_lazy("audit action", "Task status changed")
    OTHER = "other", pgettext_lazy("audit action", "Other")


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        db_constraint=False,
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(
        pgettext_lazy("audit log", "action"), max_length=20, choices=AuditAction.choices
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=250, blank=True)
    municipality = models.ForeignKey(
        "directory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    #: {field: [before, after]}; sensitive fields appear as "(changed)", never their value.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditQuerySet.as_manager()

    scope_municipality = "municipality"

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        default_permissions = ("view",)

    def __str__(self) -> str:
        when = f"{self.timestamp:%Y-%m-%d %H:%M}" if self.timestamp else "-"
        return f"{when} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
