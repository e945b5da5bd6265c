"""Page parts cached per data version (mkk.core.versions): a change gives its scope a new
token, so the next read computes anew; entries are never shared across reader scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from mkk.core import versions
from mkk.directory.models import InstitutionKind as K
from mkk.plans import selectors as plan_selectors
from mkk.plans.models import Action, ProgressUpdate, ReviewState
from mkk.statistics.catalogue import ensure_default_catalogue
from mkk.statistics.models import DataSet
from tests.conftest import login
from tests.plans.helpers import make_plan

pytestmark = pytest.mark.django_db


def test_a_change_renews_its_municipality_only(world):
    drenas, gjilan = world.drenas.municipality.pk, world.gjilan.municipality.pk
    before = versions.tokens(drenas), versions.tokens(gjilan)
    make_plan(world.drenas)  # plan rows of Drenas
    assert versions.tokens(drenas) != before[0]
    assert versions.tokens(gjilan) == before[1]


def test_catalogue_and_directory_changes_renew_every_municipality(world):
    ensure_default_catalogue()
    drenas, gjilan = world.drenas.municipality.pk, world.gjilan.municipality.pk
    before = versions.tokens(drenas), versions.tokens(gjilan)
    ds = DataSet.objects.filter(is_active=True).first()
    ds.name_en = ds.name_en + " (renamed)"
    ds.save()
    after = versions.tokens(drenas), versions.tokens(gjilan)
    assert after[0] != before[0] and after[1] != before[1]
    inst = world.gjilan.inst(K.POLICE)
    inst.name_en = "Police station (renamed)"
    inst.save()  # named on other municipalities' pages too
    assert versions.tokens(drenas) != after[0]


def test_cached_value_is_computed_again_after_a_change(world):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    user = world.drenas.users["coordinator"]
    m = world.drenas.municipality.pk
    first = versions.cached("test.count", compute, municipality_id=m, user=user)
    assert versions.cached("test.count", compute, municipality_id=m, user=user) == first
    assert len(calls) == 1
    make_plan(world.drenas)
    assert versions.cached("test.count", compute, municipality_id=m, user=user) == 2


def test_readers_of_different_scope_never_share_an_entry(world):
    """Role, municipality, institution and language each make their own entry."""
    seen = []

    def compute_for(user, language):
        def compute():
            seen.append((user.pk, language))
            return (user.pk, language)

        return compute

    m = world.drenas.municipality.pk
    readers = [
        world.drenas.users["coordinator"],
        world.drenas.users["viewer"],
        world.drenas.users["focal_police"],
        world.drenas.users["focal_social_work"],
        world.gjilan.users["coordinator"],
    ]
    for language in ("sq", "en"):
        with translation.override(language):
            for user in readers:
                got = versions.cached(
                    "test.scope", compute_for(user, language), municipality_id=m, user=user
                )
                assert got == (user.pk, language)
    assert len(seen) == 2 * len(readers)


def test_plan_page_shows_a_new_update_at_once(client, world, settings, tmp_path):
    """The plan page (its overview and rendered figures) and the dashboard's plan panel are
    cached; a submitted update changes both on the next request."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=2)
    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:index", kwargs={"code": "drenas"})
    today = dt.date.today()
    missing = len(client.get(url).context["board"].without_update)
    assert missing == 2 and len(client.get(url).context["board"].without_update) == 2
    assert "Veprimi 1" in client.get(url).content.decode()  # the cached fragment's list
    dashboard = reverse("web:dashboard")
    assert client.get(dashboard).context["panels"][0]["waiting"] == 0
    period = plan_selectors.overview(world.drenas.users["coordinator"], plan, today).period
    ProgressUpdate.objects.create(
        action=Action.objects.get(plan=plan, code="I.1.1"),
        period_start=period.start,
        period_end=period.end,
        status="in_progress",
        narrative="Dy takime.",
        review_state=ReviewState.SUBMITTED,
        submitted_by=world.drenas.users["focal_social_work"],
    )
    page = client.get(url)
    assert [a.code for a in page.context["board"].without_update] == ["I.1.2"]
    assert len(page.context["board"].waiting) == 1
    assert "Veprimi 1" not in page.content.decode() and "Veprimi 2" in page.content.decode()
    assert client.get(dashboard).context["panels"][0]["waiting"] == 1  # cached panel renewed


def test_plan_page_in_two_languages_is_two_entries(client, world, settings):
    """Lead institutions are named in the reader's language: one entry per language."""
    make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=1)
    inst = world.drenas.inst(K.SOCIAL_WORK)
    inst.name_en = "Centre for Social Work Drenas"
    inst.save()
    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:index", kwargs={"code": "drenas"})
    sq = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url).content.decode()
    assert "Centre for Social Work Drenas" in en and "Centre for Social Work Drenas" not in sq


def test_signing_in_renews_nothing(client, world):
    """Signing in saves the user's last login only: no page's data changed."""
    drenas = world.drenas.municipality.pk
    login(client, world.drenas.users["coordinator"])  # the first time remembers the language
    client.logout()
    before = versions.tokens(drenas)
    login(client, world.drenas.users["coordinator"])
    assert versions.tokens(drenas) == before
    user = world.drenas.users["focal_police"]
    user.first_name = "Arta"
    user.save()  # named on their municipality's pages (submitted by, waiting for review)
    assert versions.tokens(drenas) != before
