"""Django settings of the jixiao web application, read from the environment.

``JIXIAO_ENV=production`` switches on every deployment protection (HTTPS
only, secure cookies, HSTS) and demands ``JIXIAO_SECRET_KEY`` and
``JIXIAO_ALLOWED_HOSTS``. The database is SQLite by default (embedded,
the demo) and PostgreSQL through ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from jixiao.web.private import PRIVATE_DIR, PRIVATE_FILE, private_dir, private_sqlite

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting from the environment (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    """An integer setting from the environment."""
    value = os.environ.get(name)
    return default if value is None or not value.strip() else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list setting from the environment."""
    value = os.environ.get(name)
    return default if value is None else [v.strip() for v in value.split(",") if v.strip()]


PRODUCTION = os.environ.get("JIXIAO_ENV", "development") == "production"
DEBUG = env_bool("JIXIAO_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ["JIXIAO_SECRET_KEY"]
    ALLOWED_HOSTS = env_list("JIXIAO_ALLOWED_HOSTS", [])
else:
    # development and tests only; production refuses to start without its own key
    SECRET_KEY = os.environ.get("JIXIAO_SECRET_KEY", "dev-only-" + "x" * 50)
    ALLOWED_HOSTS = env_list("JIXIAO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

# Behind a reverse proxy that sets X-Forwarded-For, its last hop is the client (deployment.md).
JIXIAO_TRUST_PROXY = env_bool("JIXIAO_TRUST_PROXY", False)

DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR", Path.cwd() / "var"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web.orgs",
    "jixiao.web.accounts",
    "jixiao.web.audit",
    "jixiao.web.cycle",
    "jixiao.web.portal",
    "ninja",  # its templates and static files serve the API docs page without a CDN (CSP: self only)
    "jixiao.web.api",
    "jixiao.web.imports",
    "jixiao.web.summary",
    "jixiao.web.backups",
    "jixiao.web.monitoring",
    "jixiao.web.notices",
    "jixiao.web.assessments",
    "jixiao.web.library",
    "jixiao.web.results",
    "jixiao.web.rectification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jixiao.web.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.web.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a password an administrator set opens nothing but the page that changes it (三员分立)
    "jixiao.web.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # a NUL byte in a parameter or a form field is a 400 here, not a PostgreSQL error in the view that reads it
    # (inside CSP and frame denial, so its page has their headers; after CSRF, which reads the form first)
    "jixiao.web.middleware.NulByteMiddleware",
    # AxesMiddleware must be last: it turns a lockout into its response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

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
                "csp.context_processors.nonce",
                "jixiao.web.accounts.context.account",
                "jixiao.web.notices.context.unread_notices",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'jixiao.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    private_dir(DATA_DIR)  # 0700: the database and the uploads are nobody else's (private.py)
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_sqlite(Path(DATABASES["default"]["NAME"]))
    # reliability.md: WAL, IMMEDIATE transactions and a busy timeout; synchronous stays FULL
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # tests that run threads need the test database in a file, not in memory
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-jixiao.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("JIXIAO_PG_PREPARED", True):
    # Server-side binding lets psycopg prepare a statement once it has run five times on a connection, so that
    # PostgreSQL plans it once rather than on every request (a record page's five-table join spent 1 ms of its
    # 1.4 ms in planning). A PgBouncer in transaction mode cannot keep prepared statements: JIXIAO_PG_PREPARED=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jixiao.web.accounts.backends.AccountBackend",  # ModelBackend, with the account read alongside
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jixiao.web.accounts.validators.CharacterClassValidator"},
    # the similarity check above lets a padded user name through (finance-Bureau-1): refuse containment
    {"NAME": "jixiao.web.accounts.validators.UserNameValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cycle:home"
LOGOUT_REDIRECT_URL = "portal:home"

# 等保 level 3: 5 failures lock the account for 15 minutes; sessions end after 30 idle minutes.
AXES_FAILURE_LIMIT = env_int("JIXIAO_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = 0.25  # hours
# The client's address as the audit log has it (X-Forwarded-For only behind a trusted proxy), not REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "jixiao.web.middleware.client_ip"
# An account locks at the address its failures came from, so nobody elsewhere can lock its owner out; behind a
# proxy that is not trusted every client has the proxy's address, and that is a lock of the account alone.
# Failures under any names from one address never lock an account: they count towards the address throttle
# (accounts/throttle.py). JIXIAO_LOCKOUT_BY_IP=0 locks an account wherever its failures came from.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]] if env_bool("JIXIAO_LOCKOUT_BY_IP", True) else ["username"]
# A lockout ends 15 minutes after the failure that caused it: trying again meanwhile does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Failed logins and API tokens from one client address within those 15 minutes before the address is refused.
JIXIAO_ADDRESS_FAILURES = env_int("JIXIAO_ADDRESS_FAILURES", 30)
# API tokens expire this many days after they are made (and end with their owner's password or account).
JIXIAO_TOKEN_DAYS = env_int("JIXIAO_TOKEN_DAYS", 90)
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 30 * 60
# the idle clock: IdleSessionMiddleware writes the session when its last write is a minute old, rather
# than on every request (SESSION_SAVE_EVERY_REQUEST: a commit per page view)
SESSION_SAVE_EVERY_REQUEST = False
JIXIAO_SESSION_REFRESH = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# outside production, serve static files straight from the apps (no collectstatic needed)
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"
# uploaded forms are readable by the application's user only, whatever the process's umask
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("JIXIAO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("JIXIAO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("JIXIAO_CSRF_TRUSTED_ORIGINS", [])

# Behind a proxy that sends HSTS and redirects to HTTPS itself (deployment.md), the deployment check's two warnings
# about them may be silenced, and nothing else: any other id is refused rather than quietly hiding a problem.
SILENCEABLE_CHECKS = {"security.W004", "security.W008"}
SILENCED_SYSTEM_CHECKS = env_list("JIXIAO_SILENCED_CHECKS", [])
if set(SILENCED_SYSTEM_CHECKS) - SILENCEABLE_CHECKS:
    raise ImproperlyConfigured(
        "JIXIAO_SILENCED_CHECKS 只能包含 security.W004（HSTS 由反向代理发送）"
        "和 security.W008（由反向代理跳转到 HTTPS），"
        f"不能包含：{', '.join(sorted(set(SILENCED_SYSTEM_CHECKS) - SILENCEABLE_CHECKS))}。"
    )

# The summaries' figures are cached by data version (summary/cache.py): per process unless a shared cache is
# named (Django's Redis backend, which needs the redis package installed).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["JIXIAO_REDIS_URL"]}
        if os.environ.get("JIXIAO_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

# Background work (imports): inline unless JIXIAO_TASKS=database, then `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("JIXIAO_TASKS") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# Uploads go to disk as they arrive (never whole into memory), each within the 20 MB limit and all of one request
# within JIXIAO_UPLOAD_MAX_MB (web/uploads.py); the reverse proxy's body limit should be at least as large.
FILE_UPLOAD_HANDLERS = ["jixiao.web.uploads.BoundedUploadHandler"]
JIXIAO_UPLOAD_MAX_MB = env_int("JIXIAO_UPLOAD_MAX_MB", 1024)
# Each uploaded file is read in a child process limited in time and memory (documents/isolated.py).
JIXIAO_IMPORT_SECONDS = env_int("JIXIAO_IMPORT_SECONDS", 60)
JIXIAO_IMPORT_MEMORY_MB = env_int("JIXIAO_IMPORT_MEMORY_MB", 1024)
# A scan (OCR: about 1.1 GB and 8 CPU seconds a page) gets its own memory, time a page on top of the
# seconds above, and a page limit past which it is refused unread (use ``jixiao import`` for longer ones).
JIXIAO_SCAN_MEMORY_MB = env_int("JIXIAO_SCAN_MEMORY_MB", 2048)
JIXIAO_SCAN_SECONDS_PER_PAGE = env_int("JIXIAO_SCAN_SECONDS_PER_PAGE", 30)
JIXIAO_SCAN_MAX_PAGES = env_int("JIXIAO_SCAN_MAX_PAGES", 50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"server_errors_only": {"()": "jixiao.web.logs.ServerErrorsOnly"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIXIAO_LOG_LEVEL", "WARNING")},
    # a 4xx is one line of the access log (and a denial is audited): no second line, no traceback
    "loggers": {"django.request": {"filters": ["server_errors_only"]}},
}
CSRF_FAILURE_VIEW = "jixiao.web.views.csrf_failure"

# E-mail of notices (notices/services/notices.py): printed to the console unless JIXIAO_EMAIL_HOST names an SMTP
# server (docs/deployment.md lists the variables); a failed message is logged and never undoes what it reports.
if os.environ.get("JIXIAO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["JIXIAO_EMAIL_HOST"]
    EMAIL_PORT = env_int("JIXIAO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("JIXIAO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JIXIAO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("JIXIAO_EMAIL_TLS", True)
    EMAIL_USE_SSL = env_bool("JIXIAO_EMAIL_SSL", False)
    EMAIL_TIMEOUT = env_int("JIXIAO_EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("JIXIAO_EMAIL_FROM", "jixiao@localhost")
# the address in front of a notice's link in its e-mail (e.g. https://jixiao.example.gov.cn); empty: the path only
JIXIAO_SITE_URL = os.environ.get("JIXIAO_SITE_URL", "")
