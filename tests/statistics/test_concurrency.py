"""No lost figures (issue 12, item 3): two people entering the same period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from mkk.statistics import services
from mkk.statistics.models import DataSet, DataValue, Submission
from tests.concurrency import in_threads
from tests.conftest import login

PERIOD = {"start": "2025-01-01", "end": "2025-01-31"}


def _url(world):
    return reverse(
        "statistics:entry_form",
        kwargs={
            "institution": world.drenas.inst(K.POLICE).pk,
            "data_set": DataSet.objects.get(code="POLICE").pk,
        },
    )


def _form_data(response, **figures) -> dict:
    form = response.context["form"]
    data = dict(PERIOD)
    for name in form.fields:
        value = form[name].value()
        if value not in (None, ""):
            data[name] = str(value)
    data.update(figures)
    return data


def _field_of(response, code: str) -> str:
    form = response.context["form"]
    return next(n for n in form.fields if code in n and "comment" not in n)


@pytest.mark.django_db
def test_two_first_entries_of_a_period_one_saved_the_other_told(world):
    url = _url(world)
    focal = world.drenas.users["focal_police"]
    anna, besa = Client(), Client()
    login(anna, focal)
    login(besa, focal)
    page_a, page_b = anna.get(url, PERIOD), besa.get(url, PERIOD)
    field = _field_of(page_a, "POL_CASES")
    assert anna.post(url, _form_data(page_a, **{field: "12"})).status_code == 302
    response = besa.post(url, _form_data(page_b, **{field: "15"}))
    assert response.status_code == 200  # never a 500
    message = " ".join(response.context["form"].non_field_errors())
    assert "12" in message  # what the other person entered is shown
    assert response.context["form"][field].value() == "15"  # and Besa's figure is kept
    assert DataValue.objects.get(element__code="POL_CASES").value == 12
    # Besa saves again on purpose: her figure replaces it, with the audit trail
    again = _form_data(response)
    assert besa.post(url, again).status_code == 302
    assert DataValue.objects.get(element__code="POL_CASES").value == 15
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_edit_of_a_draft_over_someone_elses_save(world):
    url = _url(world)
    focal = world.drenas.users["focal_police"]
    inst, ds = world.drenas.inst(K.POLICE), DataSet.objects.get(code="POLICE")
    services.submission_save(
        actor=focal,
        institution=inst,
        data_set=ds,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 1, 31),
        values={("POL_CASES", ""): 5},
    )
    anna, besa = Client(), Client()
    login(anna, focal)
    login(besa, world.drenas.users["coordinator"])
    page_a = anna.get(url, PERIOD)
    field = _field_of(page_a, "POL_CASES")
    page_b = besa.get(url, PERIOD) if besa.get(url, PERIOD).status_code == 200 else None
    assert anna.post(url, _form_data(page_a, **{field: "6"})).status_code == 302
    if page_b is not None:
        response = besa.post(url, _form_data(page_b, **{field: "7"}))
        assert response.status_code == 200
        assert "5" in " ".join(response.context["form"].non_field_errors())
    assert DataValue.objects.get(element__code="POL_CASES").value == 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", ["first_submission", "versioned_edit"])
def test_threads_no_lost_figures(world, case):
    """Four first submissions of one period at once: one success, the others told, never a
    500. Three saves over the same version of a draft: one saved, two refused (no lost
    update)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory SQLite test database locks)")
    from mkk.core.concurrency import stamp

    focal = world.drenas.users["focal_police"]
    inst, ds = world.drenas.inst(K.POLICE), DataSet.objects.get(code="POLICE")
    period = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 1, 31)}
    if case == "first_submission":
        count, base, extra = 4, 10, {"submit": True, "version": None}
    else:
        sub = services.submission_save(
            actor=focal, institution=inst, data_set=ds, values={("POL_CASES", ""): 1}, **period
        )
        count, base, extra = 3, 100, {"version": stamp(sub, services.submission_figures)}

    results = in_threads(
        count,
        lambda n: services.submission_save(
            actor=focal,
            institution=inst,
            data_set=ds,
            values={("POL_CASES", ""): base + n},
            **period,
            **extra,
        ),
    )
    if case == "first_submission":
        assert not [r for r in results if r.startswith("error")], results
        assert results.count("saved") >= 1
        told = [r for r in results if r.startswith("told")]
        assert len(told) + results.count("saved") == 4
        assert Submission.objects.count() == 1
    else:
        assert sorted(results) == ["conflict", "conflict", "saved"], results


def _formset_data(response, **police) -> dict:
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value in (None, "", False):
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)
        if form.instance.code == "POLICE":
            data.update({form.add_prefix(k): v for k, v in police.items()})
    return data


def test_data_set_settings_second_save_refused_and_kept(world):
    manager = world.national  # the catalogue is national (scoping.can_manage_catalogue)
    url = reverse("statistics:data_sets")
    anna, besa = Client(), Client()
    login(anna, manager)
    login(besa, manager)
    a = _formset_data(anna.get(url), deadline_days="15")
    b = _formset_data(besa.get(url), deadline_days="9")
    assert any(k.endswith("-version") and v for k, v in a.items())
    assert anna.post(url, a).status_code == 302
    response = besa.post(url, b)
    assert response.status_code == 200
    police = next(f for f in response.context["formset"].forms if f.instance.code == "POLICE")
    assert "“15”" in " ".join(police.non_field_errors())
    assert str(police["deadline_days"].value()) == "9"
    assert DataSet.objects.get(code="POLICE").deadline_days == 15
    # saving again now deliberately keeps this user's entry
    assert besa.post(url, _formset_data(response)).status_code == 302
    assert DataSet.objects.get(code="POLICE").deadline_days == 9
