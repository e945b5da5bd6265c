"""Building cases for tests through the services (synthetic people only)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mkk.cases import services
from mkk.cases.models import Consent

NAME = "Zana Testimi"
NUMBER = "1234509876"
ADDRESS = "Rruga e Fshehtë 7"
PHONE = "044 111 222"


def identity(name=NAME, number=NUMBER, dob=dt.date(1990, 5, 4), address=ADDRESS, phone=PHONE):
    return services.Identity(
        full_name=name, personal_number=number, date_of_birth=dob, phone=phone, address=address
    )


def open_case(
    user,
    *,
    ident=None,
    consent=Consent.NOT_ASKED,
    opened_on=None,
    sex="female",
    age_group="adult",
    **kw,
):
    case = services.case_create(
        actor=user,
        institution=user.institution,
        identity=ident or identity(),
        sex=sex,
        age_group=age_group,
        consent_to_share=consent,
        consent_date=timezone.localdate() if consent == Consent.YES else None,
        opened_on=opened_on or timezone.localdate(),
        **kw,
    )
    services.incident_add(
        actor=user,
        case=case,
        occurred_on=case.opened_on,
        forms=["physical", "psychological"],
        relation="spouse",
        perpetrator_sex="male",
        risk_level="high",
        children_affected=2,
        reported_at=timezone.make_aware(dt.datetime.combine(case.opened_on, dt.time(9, 0))),
        summary="Dhunë fizike në shtëpi.",
    )
    return case
