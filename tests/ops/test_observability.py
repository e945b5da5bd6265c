"""Request ids on every log line, metrics only to allowed addresses, Sentry scrubbing."""

from __future__ import annotations

import io
import json
import logging

import pytest

from mkk.ops import sentry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]


def _json_lines(err: str) -> list[dict]:
    lines = []
    for line in err.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


@pytest.fixture
def log_output():
    """The configured console handler (settings.LOGGING), writing into a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def test_every_line_of_a_request_has_its_id(client, log_output):
    response = client.get("/test-errors/logs", HTTP_X_REQUEST_ID="req-0123456789")
    assert response["X-Request-ID"] == "req-0123456789"
    lines = _json_lines(log_output.getvalue())
    mine = [line for line in lines if line.get("request_id") == "req-0123456789"]
    assert {line["logger"] for line in mine} >= {"mkk.test", "mkk.request"}
    access = next(line for line in mine if line["logger"] == "mkk.request")
    assert access["status"] == 200 and access["path"] == "/test-errors/logs"
    assert "time" in access and access["level"] == "INFO"


@pytest.mark.parametrize("bad", ["short", "has space 123456", "x" * 65, "évil-0123456789"])
def test_malformed_request_id_is_replaced(client, bad):
    response = client.get("/test-errors/logs", HTTP_X_REQUEST_ID=bad)
    rid = response["X-Request-ID"]
    assert rid != bad and len(rid) == 32 and rid.isalnum()


def test_metrics_only_for_allowed_addresses(client, settings):
    settings.MKK_METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404
    settings.MKK_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404  # the test client is 127.0.0.1
    settings.MKK_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "django_http_requests_total_by_method" in response.content.decode()


def test_metrics_behind_a_proxy_use_the_forwarded_address(client, settings):
    settings.MKK_PROXY_COUNT = 1
    settings.MKK_METRICS_ALLOWED_IPS = ["192.0.2.0/24"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 200


def test_sentry_event_loses_bodies_cookies_and_identity():
    event = {
        "request": {
            "url": "https://mkk.example.org/cases/1/",
            "data": {"full_name": "Arta Krasniqi"},
            "cookies": {"sessionid": "abc"},
            "query_string": "q=Krasniqi",
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "x", "Authorization": "t"},
        },
        "user": {"id": 7, "username": "drenas.qps.case", "email": "a@b.c"},
        "extra": {"identity": {"personal_number": "1234567890", "phone": "044"}, "n": 3},
        "exception": {
            "values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"x": "secret"}}]}}]
        },
    }
    out = sentry.before_send(event, {})
    text = json.dumps(out)
    for secret in ("Arta", "Krasniqi", "abc", "1234567890", "044", "drenas.qps.case", "secret"):
        assert secret not in text
    assert out["request"]["headers"] == {"User-Agent": "x"}
    assert out["user"] == {"id": 7}
    assert out["extra"]["n"] == 3
