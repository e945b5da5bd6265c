"""Demo users, one per role where it makes sense, with fixed demo TOTP secrets.

Only for development: ``load_demo`` refuses to run with DEBUG off. Names are synthetic.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User
from .services import totp_secret_base32

DEMO_PASSWORD = "mkk-demo-2026"  # noqa: S105 - published demo password, DEBUG only

# username, role, municipality code, institution key, first name, last name
USERS = [
    ("admin", Role.ADMIN, None, None, "Admin", "Demo"),
    ("national", Role.NATIONAL, None, None, "Nora", "Kombëtare"),
    ("drenas.coordinator", Role.COORDINATOR, "drenas", None, "Arta", "Koordinatore"),
    ("drenas.police", Role.FOCAL_POINT, "drenas", "police", "Besnik", "Policia"),
    ("drenas.qps", Role.FOCAL_POINT, "drenas", "social_work", "Drita", "Sociale"),
    ("drenas.shelter", Role.FOCAL_POINT, "drenas", "shelter", "Hana", "Strehimi"),
    ("drenas.court", Role.FOCAL_POINT, "drenas", "court", "Ilir", "Gjykata"),
    ("drenas.police.case", Role.CASE_WORKER, "drenas", "police", "Valon", "Hetuesi"),
    ("drenas.qps.case", Role.CASE_WORKER, "drenas", "social_work", "Teuta", "Punëtore"),
    ("drenas.shelter.case", Role.CASE_WORKER, "drenas", "shelter", "Lule", "Këshilltare"),
    ("drenas.viewer", Role.VIEWER, "drenas", None, "Kryetari", "Demo"),
    ("gjilan.coordinator", Role.COORDINATOR, "gjilan", None, "Vjosa", "Barazia"),
    ("gjilan.police", Role.FOCAL_POINT, "gjilan", "police", "Agron", "Policia"),
    ("gjilan.qps", Role.FOCAL_POINT, "gjilan", "social_work", "Mimoza", "Sociale"),
    ("gjilan.liria", Role.FOCAL_POINT, "gjilan", "shelter", "Shpresa", "Liria"),
    ("gjilan.viewer", Role.VIEWER, "gjilan", None, "Kryetari", "Gjilan"),
]


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte TOTP key per demo user (hex), so the demo can be scripted."""
    return hashlib.sha256(f"mkk-demo-totp:{username}".encode()).hexdigest()[:40]


@transaction.atomic
def load(directory: dict, out=None) -> list[dict]:
    rows = []
    # One (deliberately slow) Argon2 hash of the shared demo password, not one per user.
    password_hash = None
    for username, role, mcode, ikey, first, last in USERS:
        municipality = directory["municipalities"][mcode] if mcode else None
        institution = directory[mcode][ikey] if ikey else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "municipality": municipality,
                "institution": institution,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.save()
        secret = ""
        if role in settings.MKK_OTP_REQUIRED_ROLES:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": demo_totp_key(username), "confirmed": True}
            )
            secret = totp_secret_base32(device)
        rows.append({"username": username, "role": user.get_role_display(), "totp": secret})
        if role == Role.COORDINATOR and municipality is not None:
            mechanism = municipality.mechanism
            if mechanism.coordinator_id != user.pk:
                mechanism.coordinator = user
                mechanism.coordinator_name = user.get_full_name()
                mechanism.save(update_fields=["coordinator", "coordinator_name"])
    return rows
