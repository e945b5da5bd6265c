"""Shared fixtures: two municipalities, their institutions, and a user of every role.

``world`` is the test base every app uses (after healthchecks' alice/bob/charlie): users in
Drenas and Gjilan, of every role, so that each view can be checked for the allowed user,
another municipality (404) and a read-only role (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mkk.accounts.models import Role
from mkk.directory.models import InstitutionKind as K
from mkk.directory.models import MembershipRole

from .factories import (
    InstitutionFactory,
    MechanismFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)

KINDS = [K.POLICE, K.SOCIAL_WORK, K.SHELTER, K.VICTIM_ADVOCATE, K.BASIC_COURT]


@dataclass
class Place:
    municipality: object
    mechanism: object
    institutions: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def inst(self, kind: str):
        return self.institutions[kind]


@dataclass
class World:
    drenas: Place
    gjilan: Place
    admin: object
    national: object


def _place(code: str, sq: str, sr: str) -> Place:
    municipality = MunicipalityFactory(code=code, name_sq=sq, name_sr=sr, name_en=sq)
    mechanism = MechanismFactory(municipality=municipality)
    place = Place(municipality=municipality, mechanism=mechanism)
    for kind in KINDS:
        inst = InstitutionFactory(
            municipality=municipality, kind=kind, name_sq=f"{kind} {sq}", name_en=f"{kind} {sq}"
        )
        place.institutions[kind] = inst
        MembershipFactory(
            mechanism=mechanism,
            institution=inst,
            role=MembershipRole.PARTNER if kind == K.SHELTER else MembershipRole.MEMBER,
        )
    u = place.users
    u["coordinator"] = UserFactory(
        username=f"{code}.coordinator", role=Role.COORDINATOR, municipality=municipality
    )
    u["viewer"] = UserFactory(
        username=f"{code}.viewer", role=Role.VIEWER, municipality=municipality
    )
    for kind in (K.POLICE, K.SOCIAL_WORK, K.SHELTER):
        u[f"focal_{kind}"] = UserFactory(
            username=f"{code}.focal.{kind}",
            role=Role.FOCAL_POINT,
            municipality=municipality,
            institution=place.institutions[kind],
        )
        u[f"case_{kind}"] = UserFactory(
            username=f"{code}.case.{kind}",
            role=Role.CASE_WORKER,
            municipality=municipality,
            institution=place.institutions[kind],
        )
    return place


@pytest.fixture
def world(db) -> World:
    from mkk.directory.kosovo import ensure_kosovo

    ensure_kosovo()  # the 38 municipalities (a transactional test may have flushed them)
    return World(
        drenas=_place("drenas", "Drenas", "Glogovac"),
        gjilan=_place("gjilan", "Gjilan", "Gnjilane"),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        national=UserFactory(username="national", role=Role.NATIONAL),
    )


def login(client, user):
    """Log ``user`` in, with a verified second factor where the role needs one."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login_as(client):
    def _login(user):
        return login(client, user)

    return _login
