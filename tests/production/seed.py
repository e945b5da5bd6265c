"""Synthetic data for the production-set test, written through the services (DEBUG off).

Run as ``python -m tests.production.seed`` with the production environment; prints JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django

KEY = "3132333435363738393031323334353637383930"  # fixed TOTP secret (test users only)
PASSWORD = "production-test-password-2026"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mkk.config.settings")
    django.setup()
    from mkk.accounts.services import totp_device_create, user_create
    from mkk.audit.context import acting
    from mkk.cases import services as cases
    from mkk.cases.models import Case
    from mkk.directory.models import Institution, Mechanism, Municipality

    with acting(reason="production test data"):
        town = Municipality.objects.create(
            code="prova", name_sq="Komuna Provë", name_sr="Opština Proba", name_en="Test Town"
        )
        Mechanism.objects.create(municipality=town, decision_number="01-000/26")
        inst = {
            kind: Institution.objects.create(
                municipality=town, kind=kind, name_sq=f"{kind} Provë", name_en=f"{kind} Test"
            )
            for kind in ("police", "social_work", "shelter")
        }
        users = {}
        for name, kind, email in (
            ("prod.police", "police", ""),
            ("prod.qps", "social_work", "qps.prod@example.invalid"),
            ("prod.shelter", "shelter", "shelter.prod@example.invalid"),
        ):
            users[name] = user_create(
                username=name,
                password=PASSWORD,
                role="case_worker",
                municipality=town,
                institution=inst[kind],
                email=email,
            )
            totp_device_create(user=users[name], key_hex=KEY)
        police = users["prod.police"]
        case_ids = []
        for i in range(2):
            case = cases.case_create(
                actor=police,
                institution=inst["police"],
                identity=cases.Identity(
                    full_name=f"Viktima Sintetike {i}",
                    personal_number=f"99900000{i}1",
                    date_of_birth=dt.date(1991, 2, 3 + i),
                    phone="",
                    address="Rruga Sintetike 1",
                ),
                sex="female",
                age_group="adult",
            )
            case_ids.append(case.pk)
    json.dump(
        {
            "cases": case_ids,
            "references": [Case.objects.get(pk=pk).reference for pk in case_ids],
            "social_work": inst["social_work"].pk,
            "shelter": inst["shelter"].pk,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
