"""IDOR: every API operation, with a token of another municipality and of another
institution, answers as the pages do: 404 for what is out of scope, nothing changed."""

from __future__ import annotations

import json

import pytest

from mkk.api.api import api
from mkk.plans.models import ProgressUpdate
from mkk.statistics.models import DataValue, Submission

from .conftest import auth, token
from .idor import API_CASES as CASES


def _operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def test_every_operation_has_an_idor_case():
    missing = _operations() - set(CASES)
    assert not missing, f"add these operations to tests/api/idor.py: {sorted(missing)}"
    assert not set(CASES) - _operations(), "tests/api/idor.py names operations that do not exist"


def _state():
    """What a refused write must leave as it was."""
    return (
        sorted(Submission.objects.values_list("pk", "status", "period_start", "period_end")),
        sorted(DataValue.objects.values_list("pk", "value")),
        sorted(ProgressUpdate.objects.values_list("pk", "status", "narrative", "review_state")),
    )


def _call(client, raw, method, path_template, case, objects):
    path = path_template.format(**(case.get("path", lambda o: {})(objects)))
    query = case.get("query", lambda o: {})(objects)
    headers = auth(raw)
    if method == "GET":
        return client.get(path, query, **headers)
    body = json.dumps(case["body"](objects))
    return getattr(client, method.lower())(path, body, content_type="application/json", **headers)


def _check(expect, response, objects, before) -> str | None:
    code = response.status_code
    if expect == "404":
        return None if code == 404 else f"expected 404, got {code}"
    if expect == "refused":
        if code not in (403, 404, 422):
            return f"expected a refusal, got {code}"
        return None if _state() == before else "a refused write changed data"
    if code != 200:
        return f"expected 200, got {code}"
    if expect == "no_gjilan":
        return "Gjilan data in the answer" if b"gjilan" in response.content.lower() else None
    if expect == "no_police":
        items = response.json()["items"]
        leaked = [i for i in items if i.get("institution_id") == objects.police.pk]
        return f"police rows in the answer: {leaked}" if leaked else None
    return None  # allowed


def _run(client, user, which, objects):
    raw = token(user)
    failures = []
    for (method, path), case in sorted(CASES.items()):
        before = _state()
        response = _call(client, raw, method, path, case, objects)
        problem = _check(case[which], response, objects, before)
        if problem:
            failures.append(f"{user.username} {method} {path}: {problem}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "focal_police", "case_police", "viewer"])
def test_token_of_another_municipality(client, world, gjilan_objects, who):
    failures = _run(client, world.drenas.users[who], "other_municipality", gjilan_objects)
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal_social_work", "case_social_work"])
def test_token_of_another_institution(client, world, gjilan_objects, who):
    failures = _run(client, world.gjilan.users[who], "other_institution", gjilan_objects)
    assert not failures, failures


@pytest.mark.django_db
def test_the_owner_reaches_every_object(client, world, gjilan_objects):
    """The same requests with the police focal point's token succeed: the IDOR answers above
    come from scoping, not from broken requests."""
    raw = token(world.gjilan.users["focal_police"])
    for (method, path), case in sorted(CASES.items()):
        if method != "GET":
            continue
        response = _call(client, raw, method, path, case, gjilan_objects)
        assert response.status_code == 200, (method, path, response.content[:300])


@pytest.mark.django_db
def test_a_file_of_another_report_is_not_found(client, world, gjilan_objects):
    from mkk.reports.models import MonitoringReport

    other = MonitoringReport.objects.create(
        mechanism=world.gjilan.mechanism,
        period_start=gjilan_objects.report.period_start,
        period_end=gjilan_objects.report.period_end,
        status="published",
        version=2,
    )
    raw = token(world.gjilan.users["coordinator"])
    url = f"/api/reports/{other.pk}/files/{gjilan_objects.report_file.pk}"
    assert client.get(url, **auth(raw)).status_code == 404
