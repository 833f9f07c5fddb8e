"""Settings, read from the environment and failing fast on bad values.

`YUNGHAP_ENV=production` turns on the deployment hardening (`yunghap check --deploy` is clean then);
anything else is a development set-up on SQLite unless `DATABASE_URL` says otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Generic Django classes (ModelAdmin[Model], ModelForm[Model]) are subscriptable at run time, as mypy --strict wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent  # the yunghap package
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("YUNGHAP_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("YUNGHAP_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, overridden by templates/django/forms/ (FORM_RENDERER)
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "yunghap.core",
    "yunghap.accounts",
    "yunghap.network",
    "yunghap.programmes",
    "yunghap.activities",
    "yunghap.surveys",
    "yunghap.insights",
    "yunghap.matching",
    "yunghap.introductions",
    "yunghap.coaching",
    "yunghap.stories",
    "yunghap.events",
    "yunghap.competitions",
    "ninja",  # the API docs page's own Swagger UI files (no CDN)
    "yunghap.api",
    "yunghap.proposals",
    "django.contrib.sitemaps",
    "yunghap.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yunghap.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yunghap.core.middleware.KoreanFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yunghap.accounts.otp.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yunghap.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # The error page for the 405s Django answers without a body (core/error.html).
    "yunghap.core.middleware_errors.ErrorPageMiddleware",
    "yunghap.core.middleware_errors.BadRequestMiddleware",
    # Innermost, so that it sees a view's database errors first: a Korean 503 instead of a 500.
    "yunghap.core.middleware_errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "yunghap.urls"
WSGI_APPLICATION = "yunghap.wsgi.application"

# Every form renders KRDS markup: project templates override Django's widget templates (core/components.py).
FORM_RENDERER = "yunghap.core.components.KrdsFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "yunghap.accounts.context_processors.access",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "yunghap.accounts.backends.RoleGrantBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10 characters of two kinds or 8 of three (개인정보의 안전성 확보조치 기준 해설); the length is part of it.
    {"NAME": "yunghap.accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The client's address: REMOTE_ADDR, or with N trusted reverse proxies in front the N-th address from the
# right of X-Forwarded-For (each proxy appends the address it received the request from).
# See yunghap.core.http.client_ip; everything that logs or throttles by address uses it.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# Five failed logins lock the account-and-address pair for 30 minutes (personal-data safety standard);
# the pair, so that a stranger elsewhere cannot lock a user out everywhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "yunghap.core.http.client_ip"
AXES_HANDLER = "yunghap.accounts.lockout.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "yunghap.accounts.lockout.lockout_response"
# Every failure is kept (address, username, time): the per-address throttle counts them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Password spraying: more than this many failed logins from one address, whatever the usernames, within
# the window refuse that address until the failures age out of the window.
LOGIN_ADDRESS_FAILURE_LIMIT = int(env_str("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_ADDRESS_WINDOW_MINUTES = int(env_str("LOGIN_ADDRESS_WINDOW_MINUTES", "15"))

# Staff (central and regional) sign in with a password and a TOTP code (personal-data safety standard).
# Off only where a test of another area logs staff in directly (tests/conftest.py).
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", True)
OTP_TOTP_ISSUER = "융합 이업종교류 정보망"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-otp's own exponential back-off is replaced by one rule in accounts.otp: after
# OTP_MAX_FAILURES wrong codes in a row, the user waits OTP_LOCKOUT_MINUTES.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_MAX_FAILURES = int(env_str("OTP_MAX_FAILURES", "5"))
OTP_LOCKOUT_MINUTES = int(env_str("OTP_LOCKOUT_MINUTES", "5"))
OTP_RECOVERY_CODE_COUNT = 10

# Server-side sessions: logout deletes the session row, so a saved cookie opens nothing afterwards.
# `cached_db` reads through the cache and writes through to the database. A per-process cache (locmem)
# would keep a logged-out session alive in the other workers' caches, so without a shared cache (Redis)
# the plain database backend is used. SESSION_ENGINE may be set explicitly.
SESSION_ENGINE = env_str(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("REDIS_URL")
    else "django.contrib.sessions.backends.db",
)
# Idle timeout and absolute lifetime, in minutes (yunghap.accounts.sessions.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(env_str("SESSION_IDLE_TIMEOUT", "30"))
SESSION_ABSOLUTE_LIFETIME = int(env_str("SESSION_ABSOLUTE_LIFETIME", str(12 * 60)))
if SESSION_IDLE_TIMEOUT < 1 or SESSION_ABSOLUTE_LIFETIME < SESSION_IDLE_TIMEOUT:
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT must be ≥ 1 and SESSION_ABSOLUTE_LIFETIME ≥ it (minutes)"
    )
# The cookie and the stored row expire with the idle timeout; each recorded activity renews both.
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT * 60
SESSION_COOKIE_HTTPONLY = True
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["yunghap.formats"]

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(PROJECT_DIR / "var" / "media")))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IMPORT_MAX_BYTES = int(env_str("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Limits checked before a spreadsheet is parsed (core.spreadsheets): a small XLSX can expand to millions of
# rows, and one cell of a CSV to the whole file. Data rows (the header not counted).
IMPORT_MAX_ROWS = int(env_str("IMPORT_MAX_ROWS", "100000"))
IMPORT_MAX_COLUMNS = int(env_str("IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_CELL_CHARS = int(env_str("IMPORT_MAX_CELL_CHARS", "32767"))  # Excel's own limit per cell
IMPORT_MAX_EXPANDED_BYTES = int(env_str("IMPORT_MAX_EXPANDED_BYTES", str(300 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = int(env_str("IMPORT_MAX_COMPRESSION_RATIO", "200"))
# A web import that has not moved for this long lost its worker; its owner may run the commit again.
IMPORT_JOB_STALL_MINUTES = int(env_str("IMPORT_JOB_STALL_MINUTES", "30"))
# Days a firm that left a group keeps the access its membership gave (group pages, officers' view of its
# people). 0 = rights end on the day the membership ends (architecture principle 10).
MEMBERSHIP_GRACE_DAYS = int(env_str("MEMBERSHIP_GRACE_DAYS", "0"))
if MEMBERSHIP_GRACE_DAYS < 0:
    raise ImproperlyConfigured("MEMBERSHIP_GRACE_DAYS must be 0 or more")
# Hours during which a deleted ledger record (meeting with its attendance, trade, result, activity) can be
# restored by those who may change the group's ledger; the record is kept as deleted either way.
LEDGER_UNDO_HOURS = int(env_str("LEDGER_UNDO_HOURS", "24"))
if LEDGER_UNDO_HOURS < 0:
    raise ImproperlyConfigured("LEDGER_UNDO_HOURS must be 0 or more")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@yunghap.example")

TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if not PRODUCTION
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }

CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "yunghap.core.middleware_errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Personal-data access log (개인정보 접속기록): kept at least two years (the safety standard's minimum for
# a system of this size); `yunghap purge_access_log` deletes older rows and refuses anything shorter.
ACCESS_LOG_MIN_RETENTION_DAYS = 730
ACCESS_LOG_RETENTION_DAYS = int(env_str("ACCESS_LOG_RETENTION_DAYS", "730"))
# Who runs the site, shown in every page's footer and on the privacy page (개인정보처리방침, /privacy/).
# The defaults are for the demo: set the operator's real ones in production.
SITE_OPERATOR = env_str("SITE_OPERATOR", "중소기업 이업종교류연합회")
SITE_ADDRESS = env_str("SITE_ADDRESS", "(07242) 서울특별시 영등포구 은행로 30")
SITE_PHONE = env_str("SITE_PHONE", "02-000-0000")
SITE_EMAIL = env_str("SITE_EMAIL", "help@yunghap.example")
SITE_HOURS = env_str("SITE_HOURS", "평일 09:00~18:00 (점심시간 12:00~13:00 제외)")
PRIVACY_OFFICER = env_str("PRIVACY_OFFICER", "정보화팀장")
PRIVACY_OFFICER_PHONE = env_str("PRIVACY_OFFICER_PHONE", SITE_PHONE)
PRIVACY_OFFICER_EMAIL = env_str("PRIVACY_OFFICER_EMAIL", "privacy@yunghap.example")
PRIVACY_POLICY_EFFECTIVE = env_str("PRIVACY_POLICY_EFFECTIVE", "2026-01-01")
# PostgreSQL: with 1, an access-log row's own transaction does not wait for the disk (core.audit.record_access);
# off by default, since the access log is evidence: turn it on only where a lost last second is acceptable.
ACCESS_LOG_ASYNC_COMMIT = env_bool("ACCESS_LOG_ASYNC_COMMIT", False)
# core.middleware.SecurityHeadersMiddleware; `{nonce}` is replaced per request (request.csp_nonce).
# No inline script or event handler anywhere: JS lives in static files, data in json_script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        # Style elements only from our files; style *attributes* are allowed because ECharts' SVG
        # renderer and tooltips write them as markup (docs/decisions.md).
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
# No feature is used; camera=(self) once QR scanning of attendance comes (issue 11).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "display-capture",
    )
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if not DEBUG:
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [  # type: ignore[index]
        (
            "django.template.loaders.cached.Loader",
            ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
        )
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Personal data is shown unmasked only to roles that need it; see yunghap.accounts.scope.
PAGE_SIZE = 25

# REST API (/api/v1/): requests per token per minute (429 with Retry-After past it; 0 = no limit).
API_RATE_LIMIT_PER_MINUTE = int(env_str("API_RATE_LIMIT_PER_MINUTE", "600"))
# Ninja's own CSRF check stays off: the API takes no cookies, only Bearer tokens.
NINJA_PAGINATION_MAX_LIMIT = 1000
# Policy proposals (issue 12 §5): the largest attachment accepted, per file.
PROPOSAL_ATTACHMENT_MAX_BYTES = int(env_str("PROPOSAL_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# API tokens: the latest expiry a new token may have, in days from today (the token form's default is a year).
API_TOKEN_MAX_DAYS = int(env_str("API_TOKEN_MAX_DAYS", "730"))
# The public portal (yunghap.portal): the site's public address for canonical links and the sitemap (empty:
# the request's own host), the attachment limits and the terms of use's effective date.
SITE_BASE_URL = env_str("SITE_BASE_URL", "").rstrip("/")
PORTAL_ATTACHMENT_MAX_BYTES = int(env_str("PORTAL_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
PORTAL_ATTACHMENT_MAX_FILES = int(env_str("PORTAL_ATTACHMENT_MAX_FILES", "10"))
TERMS_EFFECTIVE = env_str("TERMS_EFFECTIVE", "2026-01-01")
