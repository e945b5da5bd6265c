"""Property-based test of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests (valid and invalid: odd strings, huge numbers, dates
at the ends of the calendar, bodies with missing or extra fields) through Django's WSGI
application, with a valid token of a coordinator so the requests reach the logic behind the
authentication. No request may produce a server error; every answer must match the schema
(status code, content type, body). The example count is bounded so the run stays short.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import token

#: Examples per operation and mode: enough to find crashes, small enough to run in seconds.
EXAMPLES = 8


@pytest.fixture
def api_schema(db, world, gjilan_objects):
    # Django's test client does the same: the WSGI handler must not close the connection
    # that holds the test's transaction at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with override_settings(MKK_API_RATE="100000/min"):
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()


def _runner(operation, mode, bearer, checks, answered, path_parameters=None):
    key = f"{operation.method.upper()} {operation.path}"
    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in (path_parameters or {}).items() if k in names} or None

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=bearer)
        answered.setdefault(key, set()).add(response.status_code)
        case.validate_response(response, checks=checks)

    return run


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api_schema, world, gjilan_objects, mode):
    """Each operation, with schema-valid (positive) and schema-invalid (negative) input."""
    bearer = {"Authorization": f"Bearer {token(world.gjilan.users['coordinator'])}"}
    checks = [not_a_server_error, content_type_conformance]
    if mode == GenerationMode.POSITIVE:
        checks += [status_code_conformance, response_schema_conformance]
    failures, answered = [], {}
    operations = list(_operations(api_schema))
    assert len(operations) >= 20

    o = gjilan_objects
    real = {
        "code": "gjilan",
        "institution_id": o.police.pk,
        "plan_id": o.plan.pk,
        "action_id": o.action.pk,
        "submission_id": o.submission.pk,
        "report_id": o.report.pk,
        "file_id": o.report_file.pk,
    }
    for operation in operations:
        # Generated ids (mostly unknown: 404), and in the positive run the ids of real objects
        # too, so that the generated queries and bodies reach the logic behind the lookup.
        variants = [None, real] if mode == GenerationMode.POSITIVE else [None]
        for path_parameters in variants:
            run = _runner(operation, mode, bearer, checks, answered, path_parameters)
            try:
                run()
            except Exception as exc:  # collect every operation's failure, then fail once
                failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
    if mode == GenerationMode.POSITIVE:
        # The token works: the generated requests reach the logic (not just 401 answers).
        reached = [k for k, codes in answered.items() if codes & {200, 403, 404, 422}]
        assert len(reached) == len(operations), answered
        assert sum(200 in codes for codes in answered.values()) >= 16, answered
