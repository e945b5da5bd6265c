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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Reports render their files in the request in tests; tests/notifications covers the job.
MKK_REPORT_BACKGROUND_DAYS = 100_000
