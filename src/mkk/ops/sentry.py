"""Optional error reporting to Sentry (or a compatible service), configured by SENTRY_DSN only.

Nothing about a person leaves the server: no request bodies, cookies, headers that carry
credentials, query strings, local variables, user names or e-mail addresses, and any value
under a key named like an identity field is replaced, wherever it sits in the event.
"""

from __future__ import annotations

from typing import Any

#: Keys whose values are never sent (the VictimIdentity fields and other personal data).
SCRUBBED_KEYS = {
    "full_name",
    "personal_number",
    "date_of_birth",
    "phone",
    "address",
    "victim_key",
    "first_name",
    "last_name",
    "email",
    "username",
    "password",
    "otp_token",
    "token",
    "secret",
    "summary",
    "sessionid",
    "csrftoken",
}
FILTERED = "[Filtered]"
_DROPPED_HEADERS = {"cookie", "authorization", "x-csrftoken", "proxy-authorization"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: FILTERED if str(k).lower() in SCRUBBED_KEYS else _scrub(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def before_send(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                k: v for k, v in headers.items() if k.lower() not in _DROPPED_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exc in (event.get("exception") or {}).get("values", []) or []:
        for frame in (exc.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    return _scrub(event)


def init_sentry(dsn: str, *, environment: str = "production") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
        traces_sample_rate=0.0,
    )
