"""The append-only audit log.

No code path updates or deletes an entry: the model and its queryset refuse it, the admin
shows it read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    OTP_ENROLLED = "otp_enrolled", _("Second factor set up")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    VIEW_IDENTITY = "view_identity", _("Viewed identity data")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    PUBLISH = "publish", _("Published")
    RETURN = "return", _("Returned for correction")
    SEND = "send", _("Sent")
    OTHER = "other", _("Other")


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
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
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
