"""Settings for the test suite: production-like (DEBUG off) with throwaway keys."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("MKK_FIELD_KEYS", "gKOdBbyqn4dY3i8nDqEq0-4nTn1Tsv8cRdeLw0Lbw6M=")
os.environ.setdefault("MKK_PSEUDONYM_KEY", "test-pseudonym-key")
os.environ.setdefault("MKK_VAR_DIR", tempfile.mkdtemp(prefix="mkk-test-"))

from .settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Argon2 is the production hasher (a test checks settings.py); tests hash faster.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MKK_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files come from the apps (no collectstatic before tests); whitenoise finds them.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Reports render their files in the request in tests; tests/notifications covers the job.
MKK_REPORT_BACKGROUND_DAYS = 100_000
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Connections are closed after each request in tests (live servers, PostgreSQL teardown).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Test databases are thrown away: a commit need not wait for its WAL record to reach the disk.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
