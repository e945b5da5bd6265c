"""Users and their roles. A role decides the level; municipality and institution the scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    NATIONAL = "national", _("National coordinator")
    COORDINATOR = "coordinator", _("Municipal coordinator")
    FOCAL_POINT = "focal_point", _("Institution focal point")
    CASE_WORKER = "case_worker", _("Case worker")
    VIEWER = "viewer", _("Viewer (published reports)")


#: Roles bound to one municipality, and to one institution.
MUNICIPAL_ROLES = {Role.COORDINATOR, Role.FOCAL_POINT, Role.CASE_WORKER, Role.VIEWER}
INSTITUTION_ROLES = {Role.FOCAL_POINT, Role.CASE_WORKER}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    municipality = models.ForeignKey(
        "directory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("municipality"),
    )
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institution"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)

    audit_sensitive_fields = ("password",)
    audit_ignore_fields = ("last_login",)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A municipal role needs its municipality; an institution role its institution.
            models.CheckConstraint(
                condition=~models.Q(
                    role__in=[Role.COORDINATOR, Role.FOCAL_POINT, Role.CASE_WORKER, Role.VIEWER]
                )
                | models.Q(municipality__isnull=False),
                name="user_municipal_role_has_municipality",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.FOCAL_POINT, Role.CASE_WORKER])
                | models.Q(institution__isnull=False),
                name="user_institution_role_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_focal_point(self) -> bool:
        return self.role == Role.FOCAL_POINT

    @property
    def is_case_worker(self) -> bool:
        return self.role == Role.CASE_WORKER

    @property
    def is_viewer(self) -> bool:
        return self.role == Role.VIEWER


class LinkPurpose(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    ENROLMENT = "enrolment", _("Second-factor enrolment")


class EnrolmentLink(models.Model):
    """A one-time, expiring link where a person sets a password and enrols the second factor.

    Only a SHA-256 hash of the token is stored; the token itself exists only in the e-mail.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_links", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    scope_municipality = "user__municipality"
    scope_institution = "user__institution"
    audit_sensitive_fields = ("token_hash",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.user}"

    @property
    def is_usable(self) -> bool:
        from django.utils import timezone

        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
