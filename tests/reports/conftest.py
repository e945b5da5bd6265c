"""Demo data the report tests read: the Gjilan 2019 figures and meetings, the Drenas plan."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation

from mkk.accounts import demo as accounts_demo
from mkk.directory import demo as directory_demo

GJILAN_START, GJILAN_END = dt.date(2019, 1, 1), dt.date(2019, 9, 30)


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """Registry, demo users, Gjilan's 2019 and 2018 figures and the meetings of both towns,
    loaded once per test module and process inside a transaction that every test of the module
    nests in (a savepoint each) and that is rolled back after the module."""
    from mkk.meetings import demo as meetings_demo
    from mkk.statistics import demo as statistics_demo
    from mkk.statistics.catalogue import ensure_default_catalogue

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("sq"):
                directory = directory_demo.load()
                accounts_demo.load(directory)
                ensure_default_catalogue()
                statistics_demo._gjilan(directory)
                meetings_demo.load(directory)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield directory
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(db, _demo_once):
    """The module's demo (see ``_demo_once``); each test gets its own copies of the objects,
    so that a change one test makes in memory never reaches the next."""
    return copy.deepcopy(_demo_once)


@pytest.fixture
def gjilan(demo):
    return demo["municipalities"]["gjilan"]


@pytest.fixture
def gjilan_coordinator(demo):
    from mkk.accounts.models import User

    return User.objects.get(username="gjilan.coordinator")
