"""Every operation of the API with a request that aims at an object of Gjilan (owned by
Gjilan's police), and what a token of another municipality and a token of another Gjilan
institution must get. ``tests/api/test_idor.py`` fails when an operation of the OpenAPI
schema has no entry here, so no new endpoint escapes the check.

Expectations:

* ``404``: the object is out of scope and answers as if it did not exist;
* ``refused``: a write that is refused (403, 404 or 422) and changes nothing;
* ``no_gjilan`` / ``no_police``: a list that answers 200 without any Gjilan / police row;
* ``allowed``: mechanism-wide data the pages show to every institution of the municipality.
"""

from __future__ import annotations

YEAR = {"start": "2024-01-01", "end": "2024-06-30"}


def _token_of_gjilan(world):
    from mkk.api.services import token_create

    token, _raw = token_create(actor=world.gjilan.users["coordinator"], name="idor", days=30)
    return {"pk": token.pk}


#: Id-taking pages of the app (tests/test_idor.py): another user's token answers 404.
CASES = {"api:token_revoke": _token_of_gjilan}


def _g(o):
    return {"municipality": "gjilan"}


API_CASES = {
    ("GET", "/api/municipalities"): {
        "other_municipality": "no_gjilan",
        "other_institution": "allowed",
    },
    ("GET", "/api/municipalities/{code}"): {
        "path": lambda o: {"code": "gjilan"},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/institutions"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/institutions/{institution_id}"): {
        "path": lambda o: {"institution_id": o.police.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/contacts"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/plans"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/plans/{plan_id}"): {
        "path": lambda o: {"plan_id": o.plan.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/plans/{plan_id}/actions"): {
        "path": lambda o: {"plan_id": o.plan.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/actions/{action_id}"): {
        "path": lambda o: {"action_id": o.action.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/actions/{action_id}/progress"): {
        "path": lambda o: {"action_id": o.action.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("PUT", "/api/actions/{action_id}/progress"): {
        "path": lambda o: {"action_id": o.action.pk},
        "body": lambda o: {
            "period_start": "2025-01-01",
            "status": "completed",
            "narrative": "Changed by someone else",
            "submit": False,
        },
        "other_municipality": "refused",
        "other_institution": "refused",
    },
    ("GET", "/api/statistics/data-sets"): {
        "other_municipality": "allowed",
        "other_institution": "allowed",
    },
    ("GET", "/api/statistics/submissions"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "no_police",
    },
    ("POST", "/api/statistics/submissions"): {
        "body": lambda o: {
            "submissions": [
                {
                    "institution": o.police.pk,
                    "data_set": "POLICE",
                    "period_start": "2024-04-01",
                    "period_end": "2024-04-30",
                    "values": [{"element": "POL_CASES", "value": 7}],
                }
            ]
        },
        "other_municipality": "refused",
        "other_institution": "refused",
    },
    ("GET", "/api/statistics/submissions/{submission_id}"): {
        "path": lambda o: {"submission_id": o.submission.pk},
        "other_municipality": "404",
        "other_institution": "404",
    },
    ("GET", "/api/statistics/values"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "no_police",
    },
    ("POST", "/api/statistics/dataValueSets"): {
        "body": lambda o: {
            "dataValues": [
                {
                    "dataElement": o.dhis2_element,
                    "orgUnit": o.dhis2_org_unit,
                    "period": "202405",
                    "value": "9",
                }
            ]
        },
        "other_municipality": "refused",
        "other_institution": "refused",
    },
    ("GET", "/api/statistics/comparison"): {
        "query": lambda o: {"municipality": "gjilan", **YEAR},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/reports"): {
        "query": _g,
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/reports/{report_id}"): {
        "path": lambda o: {"report_id": o.report.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
    ("GET", "/api/reports/{report_id}/files/{file_id}"): {
        "path": lambda o: {"report_id": o.report.pk, "file_id": o.report_file.pk},
        "other_municipality": "404",
        "other_institution": "allowed",
    },
}
