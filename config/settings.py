"""Settings for Early Help Hub, read from the environment.

Development needs nothing set: an SQLite file in the project and a generated secret key.
Production (``DEBUG`` off, the default) refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")
# The demo shortcuts (printed TOTP secrets) exist only when this is on, and it cannot be
# switched on while DEBUG is off: see earlyhelp.core.demo.
DEMO_MODE = env_bool("DEMO_MODE") and DEBUG


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG and not env_bool("TESTING"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key kept beside the database so that sessions survive a restart.
    key_file = BASE_DIR / "var" / "dev-secret-key"
    key_file.parent.mkdir(exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks_db",
    "earlyhelp.core",
    "earlyhelp.accounts",
    "earlyhelp.people",
    "earlyhelp.sharing",
    "earlyhelp.plans",
    "earlyhelp.alerts",
    "earlyhelp.api",
    "earlyhelp.records",
    "earlyhelp.frontdoor",
    "earlyhelp.assessments",
    "earlyhelp.levels",
    "earlyhelp.safersleep",
    "earlyhelp.chronology",
    "earlyhelp.reviews",
    "earlyhelp.notifications",
    "earlyhelp.worktray",
    "earlyhelp.housing",
    "earlyhelp.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle timeout and absolute lifetime, then "both factors or nothing" for every page.
    "earlyhelp.accounts.middleware.SessionLifetimeMiddleware",
    "earlyhelp.accounts.middleware.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "earlyhelp.core.middleware.NoStoreMiddleware",
    "earlyhelp.core.memo.RequestMemoMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "earlyhelp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'earlyhelp.sqlite3'}"),
        # Persistent connections: about five times the throughput under gunicorn
        # (platform notes); health checks drop connections the server closed.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation suits long analytical queries; on this service's short queries it cost
    # up to 1.8 s of compiling for a 0.2 s family list (measured at 1,000,000 persons).
    # The name-search similarity threshold (pg_trgm's "%" operator) is set once per connection
    # rather than before every search: earlyhelp.people.search.NAME_SIMILARITY.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c pg_trgm.similarity_threshold=0.3"
    )
    # Prepared statements only where the code asks for them (the sharing policy's compiled
    # check, earlyhelp.sharing.policies): Django's own queries bind on the client and are
    # never prepared; psycopg prepares nothing at all when the threshold is None.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 1_000_000
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The policy's covering indexes (INCLUDE columns) are PostgreSQL's; SQLite builds them as
# plain indexes, which is all the embedded demo needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords after NCSC and OWASP ASVS v5 (2.1): a long minimum, a list of common passwords,
# no composition rules and no forced rotation. Django's validators, worded in GOV.UK style,
# plus a ceiling well above the 64 characters ASVS asks services to allow.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "earlyhelp.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "earlyhelp.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "earlyhelp.accounts.passwords.CommonPasswordValidator"},
    {
        "NAME": "earlyhelp.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 256},
    },
]
# Links with which a practitioner sets their password (from a system administrator) work
# once and for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Second factor: a code from an authenticator app. The issuer is the name shown in the app.
# Wrong codes are throttled by django-otp (1, 2, 4, 8... seconds after each failure).
OTP_TOTP_ISSUER = "Early Help Hub"
OTP_TOTP_THROTTLE_FACTOR = 1

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Failed sign-in throttling (django-axes): five failures lock the account and address pair
# for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# A GOV.UK page with status 429 instead of axes' plain text.
AXES_LOCKOUT_CALLABLE = "earlyhelp.accounts.views.locked_out"

# Sessions: idle timeout and an absolute lifetime, both enforced by
# earlyhelp.accounts.middleware.SessionLifetimeMiddleware.
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_LIFETIME_SECONDS = int(
    os.environ.get("SESSION_ABSOLUTE_LIFETIME_SECONDS", str(10 * 60 * 60))
)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies everywhere except plain-http local development. Tests always run with them,
# so the security header tests see the production flags even if DEBUG is set.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG or env_bool("TESTING"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-earlyhelp_session" if SECURE_COOKIES else "earlyhelp_session"
CSRF_COOKIE_NAME = "__Host-earlyhelp_csrf" if SECURE_COOKIES else "earlyhelp_csrf"

SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(63072000)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy without 'unsafe-inline': scripts carry a per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up without it
GOVUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "earlyhelp" / "static", ("govuk", GOVUK_FRONTEND_DIST)]
# GOV.UK Frontend's compiled CSS asks for /assets/fonts and /assets/images.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# How often one process seals the audit chains after its commits (earlyhelp.core.chain).
# Rows written in between wait for the next seal; the daily export and audit_verify
# --seal-first seal anything left. Tests seal at every commit.
AUDIT_SEAL_INTERVAL_SECONDS = float(
    os.environ.get("AUDIT_SEAL_INTERVAL_SECONDS", "0" if env_bool("TESTING") else "0.2")
)

# Requests per API client (token or signed-in user); more get 429 problem details.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min")

# Request bodies: the API answers oversize bodies with problem details.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# R-CW-3: the duty to share in s4 of the Children's Wellbeing and Schools Act 2026 needs
# commencement regulations; none found, so it is off until switched on. When on, the only
# reason accepted for not sharing is that sharing would be more detrimental to the child.
CWSA_S4_IN_FORCE = env_bool("CWSA_S4_IN_FORCE")

SERVICE_NAME = "Early Help Hub"
# The local authorities that make up the partnership's area (used for "inside the area").
PARTNERSHIP_NAME = os.environ.get("PARTNERSHIP_NAME", "Wyvern Safeguarding Children Partnership")

# Background tasks: Django's task framework with its database backend (django-tasks-db), so
# nothing but the database is needed; the worker is ``manage.py db_worker`` (started by
# ``make run``). ADR 0009.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail notifications (earlyhelp.notifications, ADR 0009). "local" records each e-mail it
# would send in a table (development and tests); "govuk" sends through GOV.UK Notify.
NOTIFY_BACKEND = os.environ.get("NOTIFY_BACKEND", "local")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_ALERT_TEMPLATE_ID = os.environ.get(
    "NOTIFY_ALERT_TEMPLATE_ID", "00000000-0000-0000-0000-000000000000"
)
# The address e-mails link to, e.g. https://earlyhelp.example.gov.uk (no personal detail).
NOTIFY_SERVICE_URL = os.environ.get("NOTIFY_SERVICE_URL", "http://127.0.0.1:8000")
NOTIFY_BATCH_SIZE = int(os.environ.get("NOTIFY_BATCH_SIZE", "200"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
# A batch claimed by a worker that then died is claimed again after this long.
NOTIFY_CLAIM_LEASE_SECONDS = int(os.environ.get("NOTIFY_CLAIM_LEASE_SECONDS", "300"))
# Tests only: the local backend kills its own process at this e-mail (the outbox crash test).
NOTIFY_TEST_KILL_AT = (
    int(os.environ["NOTIFY_TEST_KILL_AT"])
    if env_bool("TESTING") and os.environ.get("NOTIFY_TEST_KILL_AT")
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if env_bool("TESTING"):
    # Tests create many accounts; a slow hash there buys nothing.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
