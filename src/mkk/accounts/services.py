"""Creating users and their second factor."""

from __future__ import annotations

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


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
    *, user: User, key_hex: str | None = None, confirmed: bool = True
) -> TOTPDevice:
    """A TOTP device; ``key_hex`` fixes the secret (demo data and tests only)."""
    kwargs = {"user": user, "name": "default", "confirmed": confirmed}
    if key_hex:
        kwargs["key"] = key_hex
    return TOTPDevice.objects.create(**kwargs)


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")
