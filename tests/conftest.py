"""Shared fixtures: two municipalities, their institutions, and a user of every role.

``world`` is the test base every app uses (after healthchecks' alice/bob/charlie): users in
Drenas and Gjilan, of every role, so that each view can be checked for the allowed user,
another municipality (404) and a read-only role (403).
"""

from __future__ import annotations

import importlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

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

# --- property tests: a bounded number of examples by default, the full count on demand -------
#: `make test` (and a plain pytest) runs each property test with at most this many examples;
#: `make test-long` (HYPOTHESIS_PROFILE=long) runs every one with its full, written count.
CI_EXAMPLES = 25
hypothesis_settings.register_profile("ci", max_examples=CI_EXAMPLES, deadline=None)
hypothesis_settings.register_profile("long", deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


# --- tests that run on one database backend only -----------------------------------------------
#: `make test` runs the suite on SQLite and on PostgreSQL. A test whose subject does not depend on
#: the database backend runs once, in the PostgreSQL run (the production database): parsers and
#: other pure functions, catalogues, the rendering of documents (their format and text; the
#: figures in them come from selectors that the workflow and selector tests check on both), the
#: HTML validity and accessibility of pages, and browser walks (marker ``browser``). Tests of
#: database behaviour (queries, constraints, concurrency, scoping, imports) run on both.
#: Such tests get the marker ``one_backend``; the SQLite run of `make test` deselects them with
#: ``-m "not one_backend"`` (a plain pytest runs everything). Paths are files or test ids.
ONE_BACKEND = (
    # catalogues and pure functions
    "tests/test_translations.py",
    "tests/test_po_format.py",
    "tests/audit/test_field_labels.py",
    "tests/cases/test_crypto.py",
    "tests/core/test_spreadsheet.py",
    "tests/meetings/test_guard.py",
    "tests/ops/test_job_request_id.py",
    "tests/statistics/test_periods.py",
    "tests/statistics/test_validation.py",
    "tests/web/test_safehtml.py",
    # parsers of plan documents
    "tests/plans/test_parsing.py",
    "tests/plans/test_units.py",
    "tests/plans/test_damage.py",
    "tests/plans/test_real_plans.py",
    # report text and documents
    "tests/reports/test_prose.py",
    "tests/reports/test_labels.py",
    "tests/reports/test_suppression.py",
    "tests/reports/test_documents.py",
    "tests/reports/test_report_text.py",
    "tests/meetings/test_minutes.py::test_minutes_docx_and_pdf_for_signing",
    "tests/meetings/test_minutes.py::test_minutes_in_serbian",
    # HTML validity and accessibility of every reachable page (the crawl itself runs on both)
    "tests/web/test_pages.py::test_every_reachable_page_is_valid",
    "tests/api/test_html.py",
    # settings and code checks (a subprocess with production settings; a scan of the views)
    "tests/web/test_security.py::test_check_deploy_passes_with_production_settings",
    "tests/web/test_security.py::test_production_refuses_to_start_without_keys",
    "tests/web/test_security.py::test_no_view_uses_objects_get_on_scoped_models",
)


def _one_backend(item) -> bool:
    if item.get_closest_marker("browser"):
        return True
    path = item.nodeid.split("::", 1)[0]
    return any(item.nodeid.startswith(p) if "::" in p else path == p for p in ONE_BACKEND)


def pytest_collection_modifyitems(config, items):
    """Mark the tests that run on one backend; in the bounded profile, cap the example count a
    property test asks for in its own @settings too."""
    for item in items:
        if _one_backend(item):
            item.add_marker(pytest.mark.one_backend)
    if HYPOTHESIS_PROFILE == "long":
        return
    for item in items:
        fn = getattr(item, "obj", None)
        inner = getattr(fn, "hypothesis", None)
        target = getattr(inner, "inner_test", None) and fn
        own = getattr(target, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > CI_EXAMPLES:
            target._hypothesis_internal_use_settings = hypothesis_settings(
                own, max_examples=CI_EXAMPLES
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and before it is dropped, no session left on it.

    A connection opened in another context (a browser test's helper, a thread) can outlive its
    test; PostgreSQL then waits five seconds for it before refusing to drop the database, which
    is left behind. Such sessions are ended first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached page parts and the statistics catalogue are keyed by data versions that live in
    the database; a test's rolled-back transaction can give the next test the same tokens over
    other data, so every test starts with an empty cache."""
    from django.core.cache import cache

    from mkk.statistics.comparison import catalogue_forget

    cache.clear()
    catalogue_forget()


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


@contextmanager
def _unrecorded():
    """The world is the stage of a test, not its subject: it is built without an audit entry
    and a data-version bump per row (the audit and version receivers are disconnected while it
    is built; every test's own changes are recorded as ever). Half of the world's build time
    was this bookkeeping, paid by some five hundred tests on each database."""
    from django.db.models.signals import m2m_changed, post_save, pre_save

    from mkk.audit import signals

    hooks = [
        (pre_save, signals._remember_before),
        (post_save, signals._audit_save),
        (post_save, signals._version_save),
        (m2m_changed, signals._version_m2m),
    ]
    for signal, receiver in hooks:
        assert signal.disconnect(receiver), receiver
    try:
        yield
    finally:
        for signal, receiver in hooks:
            signal.connect(receiver)


def _reseed_after_flush() -> None:
    from django.apps import apps

    from mkk.cases.models import ReferralDeadline
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import DataSet

    if not DataSet.objects.exists():
        ensure_default_catalogue()
    if not ReferralDeadline.objects.filter(municipality=None).exists():
        # The migration's own function (its module name starts with a digit).
        deadlines = importlib.import_module("mkk.cases.migrations.0002_default_referral_deadlines")
        deadlines.add_defaults(apps, None)


@pytest.fixture
def seeded(db) -> None:
    """What the data migrations install, present again if a transactional test before this one
    flushed it: the 38 municipalities and their regions, the statistics catalogue and the
    national referral deadlines (each installed again only when missing). As in a migration,
    nothing of it is audited (the migrations' historical models are not MKK's)."""
    from mkk.directory.kosovo import MUNICIPALITIES, ensure_kosovo
    from mkk.directory.models import Municipality

    with _unrecorded():
        if Municipality.objects.filter(region__isnull=False).count() < len(MUNICIPALITIES):
            ensure_kosovo()
        _reseed_after_flush()


@pytest.fixture
def world(seeded) -> World:
    with _unrecorded():
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


def logged_in_clients(user, language: str = "sq", count: int = 2) -> list:
    """``count`` separate browsers (test clients) of ``user``, each in ``language``: the same
    person's page open twice, or two people sharing one account, for the concurrency tests."""
    from django.test import Client

    clients = []
    for _ in range(count):
        client = Client()
        client.cookies["django_language"] = language
        clients.append(login(client, user))
    return clients


@pytest.fixture
def login_as(client):
    def _login(user):
        return login(client, user)

    return _login
