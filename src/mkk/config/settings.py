"""MKK settings: everything that differs between machines comes from the environment.

Development (``make run``) sets DEBUG=True and gets generated keys kept in ``var/``.
Production (DEBUG unset or False) refuses to start without SECRET_KEY and the two
data-protection keys, and turns on HTTPS-only cookies, HSTS and secure headers.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from mkk.ops.logs import mkk_logging

from .env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent  # src/mkk
BASE_DIR = SRC_DIR.parent.parent  # repository root
VAR_DIR = Path(env_str("MKK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)


def _dev_keys() -> dict[str, str]:
    """Random keys for development, generated once and kept in var/ (never committed)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-keys.json"
    if path.exists():
        return json.loads(path.read_text())
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MKK_FIELD_KEYS": Fernet.generate_key().decode(),
        "MKK_PSEUDONYM_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


#: Secrets missing with DEBUG off. Commands that need no secret (makemigrations) still work;
#: the WSGI/ASGI application (and so runserver) refuses to start, `check --deploy` reports
#: mkk.E001, and encryption and pseudonymisation refuse to run.
MKK_MISSING_SECRETS: list[str] = []


def _secret(name: str) -> str:
    value = env_str(name)
    if value:
        return value
    if DEBUG:
        return _dev_keys()[name]
    MKK_MISSING_SECRETS.append(name)
    return ""


SECRET_KEY = _secret("SECRET_KEY")
# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation: prepend a new key,
# run `manage.py rotate_keys`, then drop the old one).
MKK_FIELD_KEYS = [k for k in _secret("MKK_FIELD_KEYS").split(",") if k.strip()]
# Key of the keyed hash (HMAC-SHA256) that makes pseudonymous victim keys.
MKK_PSEUDONYM_KEY = _secret("MKK_PSEUDONYM_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "ninja",  # django-ninja's bundled Swagger UI files (the API docs, no CDN)
    "mkk.web",
    "mkk.core",
    "mkk.accounts",
    "mkk.audit",
    "mkk.directory",
    "mkk.plans",
    "mkk.statistics",
    "mkk.meetings",
    "mkk.cases",
    "mkk.reports",
    "mkk.national",
    "mkk.notifications",
    "mkk.ops",
    "mkk.api",
]

MIDDLEWARE = [
    # ops: request id on every log line, metrics, /health before anything touches the database
    "mkk.ops.middleware.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "mkk.ops.middleware.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mkk.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mkk.accounts.middleware.SecondFactorMiddleware",
    "mkk.audit.middleware.AuditContextMiddleware",
    "mkk.web.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mkk.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "mkk.config.urls"
WSGI_APPLICATION = "mkk.config.wsgi.application"
ASGI_APPLICATION = "mkk.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mkk.web.context_processors.navigation",
                "mkk.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'mkk.sqlite3'}",
        # Persistent connections (seconds) with a liveness check before reuse; 0 closes the
        # connection after each request (the development default).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle expiry. Every request renews the cookie, so SESSION_COOKIE_AGE is the
# idle limit, not an absolute one.
MKK_IDLE_TIMEOUT = env_int("MKK_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = MKK_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Absolute session lifetime (ASVS 3.3.2): a session ends this many seconds after login,
# however active it is (on top of the idle expiry above).
MKK_SESSION_MAX_AGE = env_int("MKK_SESSION_MAX_AGE", 12 * 60 * 60)
# One-time links (invitation, second-factor enrolment) expire after this many hours.
MKK_ENROLMENT_LINK_HOURS = env_int("MKK_ENROLMENT_LINK_HOURS", 72)
# Password reset requests per client address and per e-mail address (django-ratelimit).
MKK_RESET_RATE = env_str("MKK_RESET_RATE", "5/h")
# The address people use to reach MKK (links in e-mails).
MKK_SITE_URL = env_str("MKK_SITE_URL", "http://127.0.0.1:8000")

# Roles that must pass a TOTP second factor before they reach anything else.
MKK_OTP_REQUIRED_ROLES = env_list(
    "MKK_OTP_REQUIRED_ROLES", ["admin", "national", "coordinator", "case_worker"]
)
OTP_TOTP_ISSUER = "MKK"

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Behind a reverse proxy, set MKK_PROXY_COUNT to the number of trusted proxies so that axes
# and the audit log read the real client address from X-Forwarded-For; 0 trusts no header.
MKK_PROXY_COUNT = env_int("MKK_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = MKK_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if MKK_PROXY_COUNT else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "sq"
LANGUAGES = [
    ("sq", _("Albanian")),
    ("en", _("English")),
    ("sr-latn", _("Serbian (Latin)")),
]
# Each app keeps its own locale/ folder. They are also named here so that MKK's words win
# over the catalogues of Django's own apps (admin, auth), which INSTALLED_APPS lists first:
# otherwise "Change" reads as the admin's button "Ndryshoje" (issue 15.8).
LOCALE_PATHS: list[Path] = [
    SRC_DIR / app.removeprefix("mkk.") / "locale"
    for app in INSTALLED_APPS
    if app.startswith("mkk.") and (SRC_DIR / app.removeprefix("mkk.") / "locale").is_dir()
]
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded evidence and generated reports live outside the web root and are served only
# through views that check access.
PRIVATE_MEDIA_ROOT = Path(env_str("MKK_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Files go through Django's storage API. "private" (evidence, frozen reports, pending plan
# imports) is the local private folder, files 0600, unless MKK_S3_BUCKET names an
# S3-compatible bucket shared by several application servers (django-storages, `.[s3]` extra).
# "staticfiles": whitenoise serves compressed, hashed files after `collectstatic`.
MKK_S3_BUCKET = env_str("MKK_S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": MKK_S3_BUCKET,
                "endpoint_url": env_str("MKK_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("MKK_S3_REGION", "") or None,
                "access_key": env_str("MKK_S3_ACCESS_KEY_ID", "") or None,
                "secret_key": env_str("MKK_S3_SECRET_ACCESS_KEY", "") or None,
                "location": env_str("MKK_S3_PREFIX", "private"),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        }
        if MKK_S3_BUCKET
        else {"BACKEND": "mkk.ops.storage.PrivateFileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# collectstatic keeps only the hashed copies (every page names its files through {% static %}),
# and compresses them, but not the source maps, which only a developer's tools fetch: the
# compression (Brotli and gzip) took half a minute of CPU time, now a few seconds.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "woff", "woff2"),
    *("zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("swf", "flv", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv"),
    "map",
)
# Caches and sessions shared by several application servers: MKK_CACHE_URL=redis://... puts
# the cache in Redis and the sessions in the database with a Redis cache in front
# (cached_db); without it, sessions live in the database and the cache in each process.
MKK_CACHE_URL = env_str("MKK_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": MKK_CACHE_URL}
        if MKK_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = env_str(
    "MKK_SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if MKK_CACHE_URL
    else "django.contrib.sessions.backends.db",
)
MKK_MAX_UPLOAD_BYTES = env_int("MKK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Closed cases lose their identity data this many days after closing (`anonymize_cases`).
MKK_CASE_RETENTION_DAYS = env_int("MKK_CASE_RETENTION_DAYS", 5 * 365)
# Public reports show counts from 1 to this minus one as "<5" (small-number suppression).
MKK_SUPPRESSION_THRESHOLD = env_int("MKK_SUPPRESSION_THRESHOLD", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Every e-mail is recorded in the outbox (mkk.notifications) and sent by a background job with
# retries; MKK_EMAIL_DELIVERY_BACKEND is what finally delivers it.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "mkk.notifications.backends.QueuedEmailBackend")
MKK_EMAIL_DELIVERY_BACKEND = env_str(
    "MKK_EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MKK_EMAIL_MAX_TRIES = env_int("MKK_EMAIL_MAX_TRIES", 6)
MKK_EMAIL_RETRY_SECONDS = env_int("MKK_EMAIL_RETRY_SECONDS", 60)  # doubles after each try
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mkk@localhost")
# Links in e-mails start with this address (the address users open MKK at).
MKK_SITE_URL = env_str("MKK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background jobs (Celery, mkk/config/celery.py). Without a broker, tasks run in-process.
MKK_BROKER_URL = env_str("MKK_BROKER_URL", "")
CELERY_BROKER_URL = MKK_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not MKK_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down delays a user's action by about two seconds: the outbox keeps the
# e-mail and the sweep (resend_stuck_mail) starts it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2}
CELERY_TIMEZONE = "Europe/Belgrade"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Reports of periods longer than this many days are rendered by a background job.
MKK_REPORT_BACKGROUND_DAYS = env_int("MKK_REPORT_BACKGROUND_DAYS", 190)
# Statistics reminders go this many days before each deadline; referral warnings when this
# share (percent) of the time to answer has passed.
MKK_REMINDER_DAYS_BEFORE = env_int("MKK_REMINDER_DAYS_BEFORE", 3)
MKK_REFERRAL_WARN_PERCENT = env_int("MKK_REFERRAL_WARN_PERCENT", 75)

# Security headers. Cookies are HTTPS-only and HSTS is on outside development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("MKK_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The REST API (mkk.api): requests per personal access token (django-ninja rate syntax),
# counted in Django's cache (CACHES above: Redis when MKK_CACHE_URL is set, so that every
# worker process shares the counts).
MKK_API_RATE = env_str("MKK_API_RATE", "120/min")

# Logs: one JSON object per line on stderr (MKK_LOG_FORMAT=text for development), each line
# of a request carrying its request id. See mkk/ops/logs.py.
MKK_LOG_FORMAT = env_str("MKK_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = mkk_logging(fmt=MKK_LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
# The worker logs through LOGGING too (JSON, with the request id of the request that started
# the job: mkk/ops/celery_signals.py), instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Prometheus metrics at /metrics, answered only to these addresses/networks (else 404).
MKK_METRICS_ALLOWED_IPS = env_list("MKK_METRICS_ALLOWED_IPS", [])
# Errors to Sentry (or a compatible service) only when SENTRY_DSN is set; never request
# bodies, cookies, local variables or identity fields (mkk/ops/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from mkk.ops.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# Error pages inside the site's layout (mkk/ops/templates/), CSRF failure included.
CSRF_FAILURE_VIEW = "mkk.ops.errors.csrf_failure"

# `make bench` only: routes the bare authenticated view its load run compares pages with.
MKK_BENCH_VIEWS = env_bool("MKK_BENCH_VIEWS", False)
