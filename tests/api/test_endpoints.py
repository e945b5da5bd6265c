"""What the API does for a user who may: reads that match the pages' selectors, writes
through the services (all or nothing, the entry form's rules), the national comparison
equal to the SQL sum of what was loaded, report downloads audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models import Sum

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.statistics.models import DataValue, Status, Submission

from .conftest import auth, token

pytestmark = pytest.mark.django_db


def _post(client, raw, url, body):
    return client.post(url, json.dumps(body), content_type="application/json", **auth(raw))


def test_submissions_are_saved_all_or_nothing_with_the_forms_rules(client, world):
    g = world.gjilan
    raw = token(g.users["focal_social_work"])
    qps = g.inst(K.SOCIAL_WORK)
    good = {
        "institution": qps.pk,
        "data_set": "SOCIAL_WORK",
        "period_start": "2024-01-01",
        "period_end": "2024-01-31",
        "values": [
            {"element": "QPS_VICTIMS", "value": 10},
            {"element": "QPS_VICTIMS", "disaggregation": "sex=female", "value": 8},
            {"element": "QPS_VICTIMS", "disaggregation": "sex=male", "value": 2},
        ],
        "submit": True,
    }
    bad = {
        **good,
        "period_start": "2024-02-01",
        "period_end": "2024-02-29",
        "values": [
            {"element": "QPS_VICTIMS", "value": 76},
            {"element": "QPS_VICTIMS", "disaggregation": "sex=female", "value": 60},
            {"element": "QPS_VICTIMS", "disaggregation": "sex=male", "value": 20},
        ],
    }
    refused = _post(client, raw, "/api/statistics/submissions", {"submissions": [good, bad]})
    assert refused.status_code == 422
    body = refused.json()
    assert any("Submission 2" in e or "Dorëzimi 2" in e for e in body["errors"]), body
    assert not Submission.objects.filter(institution=qps).exists()  # nothing of either

    saved = _post(client, raw, "/api/statistics/submissions", {"submissions": [good]})
    assert saved.status_code == 200, saved.content
    sub = Submission.objects.get(institution=qps)
    assert sub.status == Status.SUBMITTED and sub.submitted_by == g.users["focal_social_work"]
    assert sub.values_dict() == {
        ("QPS_VICTIMS", ""): 10,
        ("QPS_VICTIMS", "sex=female"): 8,
        ("QPS_VICTIMS", "sex=male"): 2,
    }
    # Audited as the token's user, with the request's address.
    entry = AuditEntry.objects.filter(action=AuditAction.SUBMIT, object_id=str(sub.pk)).get()
    assert entry.actor == g.users["focal_social_work"] and entry.ip_address == "127.0.0.1"
    # Read back through the API.
    listed = client.get(
        "/api/statistics/submissions", {"period_from": "2024-01-01"}, **auth(raw)
    ).json()
    assert [s["id"] for s in listed["items"]] == [sub.pk]


def test_dhis2_data_value_sets_import_all_or_nothing(client, world, gjilan_objects):
    raw = token(world.gjilan.users["coordinator"])
    value = {
        "dataElement": gjilan_objects.dhis2_element,
        "orgUnit": gjilan_objects.dhis2_org_unit,
        "period": "202405",
        "value": "9",
    }
    wrong = {**value, "period": "202406", "orgUnit": "Zzzzzzzzzzz"}
    refused = _post(client, raw, "/api/statistics/dataValueSets", {"dataValues": [value, wrong]})
    assert refused.status_code == 422
    assert "Zzzzzzzzzzz" in " ".join(refused.json()["errors"])
    police = gjilan_objects.police
    may = Submission.objects.filter(institution=police, period_start=dt.date(2024, 5, 1))
    assert not may.exists()
    ok = _post(client, raw, "/api/statistics/dataValueSets", {"dataValues": [value]})
    assert ok.status_code == 200, ok.content
    assert ok.json()["values"] == 1
    assert may.get().values_dict() == {("POL_CASES", ""): 9}


def test_progress_update_through_the_service(client, world, gjilan_objects):
    g = world.gjilan
    action = gjilan_objects.action
    raw = token(g.users["focal_police"])
    url = f"/api/actions/{action.pk}/progress"
    body = {
        "period_start": "2025-07-01",
        "status": "in_progress",
        "narrative": "U mbajt takimi i parë me shkollat.",
        "spending": {"municipality": "250.50"},
        "submit": True,
    }
    response = client.put(url, json.dumps(body), content_type="application/json", **auth(raw))
    assert response.status_code == 200, response.content
    update = action.updates.get(period_start=dt.date(2025, 7, 1))
    assert update.review_state == "submitted" and update.submitted_by == g.users["focal_police"]
    assert str(update.spending.get().amount) == "250.50"
    # Submitted: locked until returned, as on the page (a clear reason, nothing changed).
    again = client.put(
        url, json.dumps({**body, "narrative": "x"}), content_type="application/json", **auth(raw)
    )
    assert again.status_code == 422 and again.json()["errors"]
    update.refresh_from_db()
    assert update.narrative.startswith("U mbajt")
    # A period that is not a reporting period of the plan.
    odd = client.put(
        url,
        json.dumps({**body, "period_start": "2025-07-02"}),
        content_type="application/json",
        **auth(raw),
    )
    assert odd.status_code == 422


def test_national_comparison_equals_the_sql_sum(client, world, gjilan_objects):
    from mkk.statistics import services

    drenas_police = world.drenas.inst(K.POLICE)
    from mkk.statistics.models import DataSet

    services.submission_save(
        actor=None,
        institution=drenas_police,
        data_set=DataSet.objects.get(code="POLICE"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 3, 31),
        values={("POL_CASES", ""): 5},
        submit=True,
    )
    raw = token(world.national)
    params = {"scope": "national", "start": "2024-01-01", "end": "2024-03-31"}
    response = client.get("/api/statistics/comparison", params, **auth(raw))
    assert response.status_code == 200, response.content
    data = response.json()
    expected = DataValue.objects.filter(
        element__code="POL_CASES",
        key="",
        submission__period_start__gte=dt.date(2024, 1, 1),
        submission__period_end__lte=dt.date(2024, 3, 31),
        submission__status__in=["submitted", "approved"],
    ).aggregate(total=Sum("value"))["total"]
    total = next(
        r for r in data["totals"]["rows"] if r["element"] == "POL_CASES" and not r["disaggregation"]
    )
    assert expected == 17 and total["current"] == 17 and total["previous"] is None
    assert data["rows"] == [] and data["area"] == "kosovo"
    by_region = {
        r["key"]: next(
            (x for x in r["rows"] if x["element"] == "POL_CASES" and not x["disaggregation"]),
            None,
        )
        for r in data["regions"]
    }
    assert sum(v["current"] or 0 for v in by_region.values() if v) == 17
    # One region; an unknown region; a municipal coordinator may not ask for Kosovo.
    region = world.gjilan.municipality.region.code
    one = client.get(
        "/api/statistics/comparison", {**params, "scope": "region", "region": region}, **auth(raw)
    ).json()
    assert one["totals"]["rows"] and one["area"] == region
    assert (
        client.get(
            "/api/statistics/comparison",
            {**params, "scope": "region", "region": "nowhere"},
            **auth(raw),
        ).status_code
        == 404
    )
    coordinator = token(world.drenas.users["coordinator"])
    assert client.get("/api/statistics/comparison", params, **auth(coordinator)).status_code == 403


def test_report_file_download_is_checked_and_audited(client, world, gjilan_objects):
    raw = token(world.gjilan.users["viewer"])
    report = gjilan_objects.report
    detail = client.get(f"/api/reports/{report.pk}", **auth(raw)).json()
    assert detail["files"][0]["url"].endswith(f"/files/{gjilan_objects.report_file.pk}")
    response = client.get(detail["files"][0]["url"], **auth(raw))
    assert response.status_code == 200
    assert response["X-Checksum-SHA256"] == gjilan_objects.report_file.sha256
    assert b"Gjilan 2024" in response.content
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, object_id=str(report.pk), actor=world.gjilan.users["viewer"]
    ).exists()
    # A file altered on disk is never served.
    gjilan_objects.report_file.full_path.write_bytes(b"changed")
    assert client.get(detail["files"][0]["url"], **auth(raw)).status_code == 404
    # Drafts are not published reports.
    report.status = "draft"
    report.save()
    assert client.get(f"/api/reports/{report.pk}", **auth(raw)).status_code == 404


def test_pagination_and_filters(client, world, gjilan_objects):
    raw = token(world.national)
    first = client.get("/api/municipalities", {"limit": 5}, **auth(raw)).json()
    assert first["count"] >= 38 and len(first["items"]) == 5
    second = client.get("/api/municipalities", {"limit": 5, "offset": 5}, **auth(raw)).json()
    assert not {m["code"] for m in first["items"]} & {m["code"] for m in second["items"]}
    too_many = client.get("/api/municipalities", {"limit": 100000}, **auth(raw))
    assert too_many.status_code == 422 and too_many.json()["errors"]
    coordinator = token(world.gjilan.users["coordinator"])
    reports = client.get("/api/reports", {"period_from": "2025-01-01"}, **auth(coordinator)).json()
    assert reports["count"] == 0
    reports = client.get(
        "/api/reports", {"period_from": "2024-01-01", "municipality": "gjilan"}, **auth(coordinator)
    ).json()
    assert [r["id"] for r in reports["items"]] == [gjilan_objects.report.pk]


def test_refusals_speak_the_callers_language(client, world, gjilan_objects):
    raw = token(world.gjilan.users["focal_police"])
    url = f"/api/actions/{gjilan_objects.action.pk}/progress"
    body = json.dumps({"period_start": "2025-07-02", "status": "in_progress"})
    albanian = client.put(url, body, content_type="application/json", **auth(raw))
    assert albanian.status_code == 422
    assert albanian.json()["detail"] == "Kërkesa u refuzua; asgjë nuk u ruajt."
    english = client.put(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **auth(raw)
    )
    assert english.json()["detail"] == "The request was refused; nothing was saved."
    assert english.json()["errors"] == ["That is not the first day of a reporting period."]
    serbian = client.put(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="sr-Latn", **auth(raw)
    )
    assert serbian.json()["detail"] == "Zahtev je odbijen; ništa nije sačuvano."
