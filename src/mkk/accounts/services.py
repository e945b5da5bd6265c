"""Users: creating, inviting, deactivating, and their second factor (one-time links)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mkk.audit.context import acting
from mkk.audit.models import AuditAction
from mkk.audit.services import record

from . import scoping
from .models import INSTITUTION_ROLES, MUNICIPAL_ROLES, EnrolmentLink, LinkPurpose, Role, User

#: Roles a municipal coordinator may give (never coordinator, national or administrator).
COORDINATOR_INVITES = (Role.FOCAL_POINT, Role.CASE_WORKER, Role.VIEWER)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    municipality=None,
    institution=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        municipality=municipality,
        institution=institution,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == "admin",
        is_superuser=role == "admin",
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def totp_device_create(
    *, user: User, key_hex: str | None = None, confirmed: bool = True, name: str = "default"
) -> TOTPDevice:
    """A TOTP device with a fresh secret; ``key_hex`` fixes the secret (demo data and tests
    only). Every device is created here (enrolment links through :func:`enrolment_device`)."""
    kwargs = {"user": user, "name": name, "confirmed": confirmed}
    if key_hex:
        kwargs["key"] = key_hex
    return TOTPDevice.objects.create(**kwargs)


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


# --- Invitations and one-time enrolment links ------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrolment_link_find(token: str) -> EnrolmentLink | None:
    """The usable link of ``token`` (not used, not revoked, not expired), or None."""
    if not token or len(token) > 100:
        return None
    link = (
        EnrolmentLink.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    )
    return link if link is not None and link.is_usable and link.user.is_active else None


def enrolment_url(token: str) -> str:
    return settings.MKK_SITE_URL.rstrip("/") + reverse("accounts:enrol", kwargs={"token": token})


@transaction.atomic
def enrolment_link_issue(
    *, actor, user: User, purpose: str = LinkPurpose.ENROLMENT, send: bool = True
) -> EnrolmentLink:
    """Issue a one-time link (earlier unused links of the user are revoked) and e-mail it.

    The returned link carries the plain token as ``link.token`` and the address as
    ``link.url`` (not stored; only the hash is). Allowed to an administrator for anyone and to
    the coordinator for the users of their municipality they may manage.
    """
    if not scoping.can_manage_user(actor, user):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("This account is deactivated; reactivate it first."))
    if not user.email:
        raise ValidationError(_("This user has no e-mail address to send the link to."))
    now = timezone.now()
    for old in EnrolmentLink.objects.select_for_update().filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True
    ):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink(
        user=user,
        purpose=purpose,
        token_hash=_token_hash(token),
        created_by=actor,
        expires_at=now + dt.timedelta(hours=settings.MKK_ENROLMENT_LINK_HOURS),
    )
    link.full_clean()
    link.save()
    link.token = token
    link.url = enrolment_url(token)
    record(AuditAction.SEND, user, actor=actor, reason=f"{purpose} link issued")
    if send:
        context = {
            "user": user,
            "url": link.url,
            "hours": settings.MKK_ENROLMENT_LINK_HOURS,
            "actor": actor,
            "invitation": purpose == LinkPurpose.INVITATION,
        }
        subject = (
            _("Your MKK account")
            if purpose == LinkPurpose.INVITATION
            else _("Set up the second factor of your MKK account")
        )
        send_mail(
            str(subject),
            render_to_string("accounts/email/enrolment.txt", context),
            None,
            [user.email],
        )
    return link


def _username_for(email: str) -> str:
    return email.strip().lower()[:150]


@transaction.atomic
def user_invite(
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    municipality=None,
    institution=None,
) -> User:
    """Create an account without a usable password and e-mail its one-time invitation link.

    A coordinator invites focal points, case workers and viewers of their own municipality
    (the institution must be of that municipality); an administrator invites anyone.
    """
    if not scoping.can_invite_users(actor):
        raise PermissionDenied
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    if actor.role == Role.COORDINATOR:
        if role not in COORDINATOR_INVITES:
            raise ValidationError({"role": _("You cannot give this role.")})
        municipality = actor.municipality
    if role in INSTITUTION_ROLES:
        if institution is None:
            raise ValidationError({"institution": _("Choose the person's institution.")})
        municipality = municipality or institution.municipality
        if institution.municipality_id != getattr(municipality, "pk", None):
            raise ValidationError(
                {"institution": _("The institution is not of this municipality.")}
            )
    else:
        institution = None
    if role not in MUNICIPAL_ROLES:
        municipality = None
    if User.objects.filter(
        models.Q(email__iexact=email) | models.Q(username__iexact=_username_for(email))
    ).exists():
        raise ValidationError({"email": _("An account with this e-mail address exists already.")})
    user = User(
        username=_username_for(email),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        municipality=municipality,
        institution=institution,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    enrolment_link_issue(actor=actor, user=user, purpose=LinkPurpose.INVITATION)
    return user


def needs_totp(user: User) -> bool:
    return user.role in settings.MKK_OTP_REQUIRED_ROLES


def enrolment_device(link: EnrolmentLink) -> TOTPDevice | None:
    """The unconfirmed device this link enrols (created on first view, same key after)."""
    if not needs_totp(link.user):
        return None
    name = f"enrolment-{link.pk}"
    device = TOTPDevice.objects.filter(user=link.user, name=name).first()
    return device or totp_device_create(user=link.user, name=name, confirmed=False)


@transaction.atomic
def enrolment_complete(
    *, link: EnrolmentLink, password: str | None, token: str | None, ip_address=None
) -> User:
    """Use the link: set the password (if given), confirm the device, mark the link used."""
    link = EnrolmentLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if not link.is_usable:
        raise ValidationError(_("This link has been used or has expired."))
    user = link.user
    device = enrolment_device(link)
    if device is not None:
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                {"token": _("Too many wrong codes. Wait a few seconds and try again.")}
            )
        if not device.verify_token(token or ""):
            raise ValidationError(
                {"token": _("The code is wrong or has expired. Try the current code.")}
            )
    with acting(user=user, ip_address=ip_address):
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        if device is not None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.name = "default"
            device.save(update_fields=["confirmed", "name"])
            record(AuditAction.OTP_ENROLLED, user, actor=user, reason=f"{link.purpose} link")
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account; deactivation also revokes its open links."""
    if not scoping.can_manage_user(actor, user) or user.pk == actor.pk:
        raise PermissionDenied
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        now = timezone.now()
        for link in EnrolmentLink.objects.filter(
            user=user, used_at__isnull=True, revoked_at__isnull=True
        ):
            link.revoked_at = now
            link.save(update_fields=["revoked_at"])
    return user
