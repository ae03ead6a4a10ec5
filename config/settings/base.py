"""Settings shared by every environment; everything site-specific comes from DJANGO_* variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("KINPLAN_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram name search on PostgreSQL (nothing on SQLite)
    "ninja",
    "django_htmx",
    "js_lib_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "kinplan.core",
    "kinplan.accounts",
    "kinplan.audit",
    "kinplan.cases",
    "kinplan.assessments",
    "kinplan.planning",
    "kinplan.providers",
    "kinplan.referrals",
    "kinplan.meetings",
    "kinplan.court",
    "kinplan.notes",
    "kinplan.permanent_care",
    "kinplan.calendars",
    "kinplan.documents",
    "kinplan.notifications",
    "kinplan.privacy",
    "kinplan.fhir",
    "kinplan.spreadsheets",
    "kinplan.dashboards",
    "kinplan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kinplan.core.middleware_security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that reads the database: a lost connection answers 503 with a friendly page.
    "kinplan.core.middleware_database.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kinplan.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (they tell the user why they were signed out) and the user's language (the refusals' words).
    "kinplan.accounts.middleware.SessionTimeoutMiddleware",
    "kinplan.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # API writes with If-Match are checked against the record's current version (kinplan.core.concurrency).
    "kinplan.core.middleware_versions.RecordVersionMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinplan.demo.context_processors.demo",
                "kinplan.core.terms.terms",
            ],
        },
    },
]

# How near a searched word must be to a word of a name to find it on PostgreSQL (trigram word-similarity, 0 to 1).
KINPLAN_NAME_SIMILARITY = float(os.environ.get("KINPLAN_NAME_SIMILARITY", "0.4"))


def database(url: str) -> dict[str, Any]:
    """A DATABASES entry for `url`, with the options Kinplan needs on its engine."""
    entry: dict[str, Any] = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if entry["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; the timeout waits out a short lock.
        entry["OPTIONS"] = {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
        entry["CONN_MAX_AGE"] = 0
    else:
        # Name search forgives a small typo: a word matches a name when its trigram word-similarity reaches this
        # (pg_trgm's default, 0.6, misses "Tamiti" for "Tāmati"; kinplan.cases.selectors.name_matches).
        entry.setdefault("OPTIONS", {})["options"] = f"-c pg_trgm.word_similarity_threshold={KINPLAN_NAME_SIMILARITY}"
        # Behind PgBouncer in transaction pooling a server-side cursor cannot outlive its transaction: set this, and
        # streamed exports read their rows through an ordinary cursor instead (docs/scaling.md).
        entry["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DJANGO_DISABLE_SERVER_SIDE_CURSORS", False)
    return entry


DATABASES = {"default": database(os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kinplan.sqlite3'}"))}
# Reports (the audit log and its export) may read from a PostgreSQL read replica: DATABASE_REPLICA_URL names it.
# Nothing is ever written there; kinplan.core.db.reports_database() says which alias a report reads from.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["reports"] = database(os.environ["DATABASE_REPLICA_URL"]) | {"TEST": {"MIRROR": "default"}}
KINPLAN_REPORTS_DATABASE = "reports" if "reports" in DATABASES else "default"
DATABASE_ROUTERS = ["kinplan.core.db.PrimaryForWrites"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "kinplan.accounts.backends.UserWithOrganisationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# A working day on a shared tablet: sessions end after 9 hours, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(9 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: kinplan.js (for htmx) takes the token from <meta name="csrf-token">, the API
# docs page from its <body data-csrf-token>; API clients use tokens, not cookies.
CSRF_COOKIE_HTTPONLY = True

# English (New Zealand) and Norwegian Bokmål ship complete; each app keeps its catalogue in <app>/locale/.
LANGUAGE_CODE = "en-nz"
LANGUAGES = [("en-nz", "English"), ("nb", "Norsk bokmål")]
FORMAT_MODULE_PATH = ["kinplan.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Pacific/Auckland")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "kinplan" / "static"]
# Uploaded files. Kinplan stores none today (its documents are made on request and never kept); anything that
# does must save through Django's storage, here: with several app servers, storage they all share (docs/scaling.md).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# A referral sent or acknowledged with no answer for longer than this many days is waiting too long; a
# waitlisted one after the second figure.
KINPLAN_REFERRAL_ANSWER_DAYS = int(os.environ.get("KINPLAN_REFERRAL_ANSWER_DAYS", "10"))
KINPLAN_REFERRAL_WAITLIST_DAYS = int(os.environ.get("KINPLAN_REFERRAL_WAITLIST_DAYS", "42"))

# Background jobs (reminders, e-mail) run on django-tasks. The default queue is the database itself, worked by
# `manage.py kinplan_worker`; at scale point KINPLAN_TASKS_BACKEND at a real broker's backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KINPLAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Reminders: how far ahead "due soon" and "coming up" look, how long an approval may wait, how often they run.
KINPLAN_REMINDER_DUE_SOON_DAYS = int(os.environ.get("KINPLAN_REMINDER_DUE_SOON_DAYS", "3"))
KINPLAN_REMINDER_REVIEW_DAYS = int(os.environ.get("KINPLAN_REMINDER_REVIEW_DAYS", "7"))
KINPLAN_REMINDER_APPROVAL_DAYS = int(os.environ.get("KINPLAN_REMINDER_APPROVAL_DAYS", "5"))
KINPLAN_REMINDER_PERMANENT_CARE_REVIEW_DAYS = int(os.environ.get("KINPLAN_REMINDER_PERMANENT_CARE_REVIEW_DAYS", "14"))
KINPLAN_REMINDER_RUN_SECONDS = float(os.environ.get("KINPLAN_REMINDER_RUN_SECONDS", "300"))
# Where people reach Kinplan, for the links in e-mail.
KINPLAN_BASE_URL = os.environ.get("KINPLAN_BASE_URL", "http://127.0.0.1:8000")

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Kinplan <kinplan@localhost>")

# The organisation's words before anyone signs in; each organisation sets its own in /manage/.
KINPLAN_CHILD_TERM = os.environ.get("KINPLAN_CHILD_TERM", "child")
KINPLAN_FAMILY_TERM = os.environ.get("KINPLAN_FAMILY_TERM", "family")
# Money is shown with this symbol before the amount, the amount in the reader's locale.
KINPLAN_CURRENCY_SYMBOL = os.environ.get("KINPLAN_CURRENCY_SYMBOL", "$")

# Emergency access to a restricted case ("breaking the glass") lasts this many hours.
KINPLAN_BREAK_GLASS_HOURS = float(os.environ.get("KINPLAN_BREAK_GLASS_HOURS", "8"))
# Closed cases are flagged for a retention review (keep, or ask for erasure) after this many years.
KINPLAN_RETENTION_YEARS = int(os.environ.get("KINPLAN_RETENTION_YEARS", "7"))

# How many rows a list page or an API page shows at most.
KINPLAN_PAGE_SIZE = int(os.environ.get("KINPLAN_PAGE_SIZE", "50"))

# --- Authentication and sessions (issue 7) ---
# Sign-in throttling: django-axes locks a username out after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("KINPLAN_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("KINPLAN_SIGN_IN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# axes.W006 warns that the lockout is not also by IP address. Deliberate: a site's staff share one office address,
# so an IP lockout would let five typos lock a whole office out. Per-username lockout stops password guessing.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The lockout page says for how long and whom to ask (429 Too Many Requests); /manage/ lists lockouts and failures.
AXES_LOCKOUT_CALLABLE = "kinplan.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # Kinplan's own read-only page in /manage/ shows them, not Django's default admin site
# Behind load balancers the address recorded with each attempt is the client's, from X-Forwarded-For: set how many
# proxies in front of the app servers append to it (0: none, the address is the connection's).
KINPLAN_TRUSTED_PROXIES = int(os.environ.get("KINPLAN_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "kinplan.core.network.client_ip"
# Who a locked-out or stuck user should ask, shown on the lockout page (e.g. "the IT service desk on 0800 123 456").
KINPLAN_SIGN_IN_HELP = os.environ.get("KINPLAN_SIGN_IN_HELP", "")

# Sessions end after this many minutes without a request (besides SESSION_COOKIE_AGE, counted from sign-in).
KINPLAN_SESSION_IDLE_MINUTES = int(os.environ.get("KINPLAN_SESSION_IDLE_MINUTES", "30"))
# Sensitive actions (API tokens, two-factor, break the glass, exports, erasure) ask for the password again
# when the user last proved who they are longer ago than this.
KINPLAN_REAUTH_MINUTES = int(os.environ.get("KINPLAN_REAUTH_MINUTES", "10"))
# Roles that must use two-factor authentication (TOTP); everyone else may turn it on.
KINPLAN_TWO_FACTOR_ROLES = env_list(
    "KINPLAN_TWO_FACTOR_ROLES", "site_manager,support_manager,national_manager,administrator"
)
OTP_TOTP_ISSUER = "Kinplan"

# --- Security headers and Content Security Policy (issue 7) ---
# Every script and style sheet is a file Kinplan serves under /static/: no inline <script>, <style>, style="…" or
# on…="…" handler, no eval, nothing from another host (agencies also run offline). Images may be data: URLs
# (Swagger UI's icons). The same policy holds on every page, /manage/ and /api/v1/docs included; PDFs get their
# own (kinplan/core/middleware_security.py). docs/security.md explains each directive.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Django's own headers, set here (not only in production) so every environment and test sees them.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy and Cross-Origin-Resource-Policy: kinplan.core.middleware_security.SecurityHeadersMiddleware.
