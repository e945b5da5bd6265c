"""Demo data the report tests read: the Gjilan 2019 figures and meetings, the Drenas plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from mkk.accounts import demo as accounts_demo
from mkk.directory import demo as directory_demo

GJILAN_START, GJILAN_END = dt.date(2019, 1, 1), dt.date(2019, 9, 30)


@pytest.fixture
def demo(db):
    """Registry, demo users, Gjilan's 2019 and 2018 figures and the meetings of both towns."""
    from mkk.meetings import demo as meetings_demo
    from mkk.statistics import demo as statistics_demo
    from mkk.statistics.catalogue import ensure_default_catalogue

    with translation.override("sq"):
        directory = directory_demo.load()
        accounts_demo.load(directory)
        ensure_default_catalogue()
        statistics_demo._gjilan(directory)
        meetings_demo.load(directory)
    return directory


@pytest.fixture
def gjilan(demo):
    return demo["municipalities"]["gjilan"]


@pytest.fixture
def gjilan_coordinator(demo):
    from mkk.accounts.models import User

    return User.objects.get(username="gjilan.coordinator")
