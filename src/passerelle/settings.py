"""Passerelle's settings, read from the environment (twelve-factor).

``PASSERELLE_ENV=production`` refuses to start unless ``SECRET_KEY`` and
``ALLOWED_HOSTS`` are set and the secret is not the demo's; anything else is
development, with safe defaults for the demo on one machine.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from passerelle.ingest.sheet_files import SheetCSV, SheetXLSX

PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout (src/passerelle/.. /..) when installed in editable mode.
CHECKOUT_DIR = PACKAGE_DIR.parent.parent
DEMO_SECRET_KEY = "passerelle-demo-secret-key-not-for-production"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use true or false")


ENVIRONMENT = os.environ.get("PASSERELLE_ENV", "development").lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"PASSERELLE_ENV={ENVIRONMENT!r}: use development or production")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(os.environ.get("PASSERELLE_DATA_DIR") or CHECKOUT_DIR / "var").resolve()
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
DEBUG = _flag("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "Refusing to start in production with the demo's secret key: set SECRET_KEY to a "
            "long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY is too short for production: use 50 characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
elif not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.inlines",
    "unfold.contrib.simple_history",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram lookups for search on PostgreSQL (harmless on SQLite)
    "django_countries",
    "simple_history",
    "passerelle.core",
    "passerelle.registry",
    "passerelle.activities",
    "passerelle.ingest",
    "passerelle.demo",
    "passerelle.portal",
    "passerelle.access",
    "passerelle.api",
    "passerelle.search",
    "passerelle.insights",
    "django_tasks",
    "passerelle.thirdparty.TasksConfig",  # django_tasks_db, named in our languages
    "ninja",
    "passerelle.thirdparty.LoginProtectionConfig",  # axes, named in our languages
    "csp",
    "django_prometheus",
    # After Passerelle's apps: its own `import` and `export` commands must not shadow ours.
    "import_export",
]

MIDDLEWARE = [
    "passerelle.core.health.health_check_middleware",
    "passerelle.core.serving.serving_address_middleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for what carries no secret (no session, token or CSRF token): BREACH, see the module
    "passerelle.core.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "passerelle.core.security.back_office_script_policy",
    # last, as django-axes requires: it answers a locked-out sign-in
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# -- accounts and security (docs/SECURITY.md)

# Argon2id first; older hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # refuses a sign-in once the (user name, address) pair has failed too often
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked pair may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content-Security-Policy: the portal runs no script but data blocks (JSON-LD); the back
# office (Unfold) styles elements inline, so styles allow it, scripts never do.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Uploads (spreadsheets, ROR dumps through the back office): refused above these sizes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The API's pages: 50 records unless asked, never more than 500.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500


def _count(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name}={value!r}: give a whole number, 0 or more")
    return int(value)


#: How many reverse proxies of ours stand before the app, each appending the address it saw
#: to X-Forwarded-For. The client's address is read behind exactly that many, by the rate
#: limits, django-axes, /metrics and the audit log alike (core/clients.py); 0 (the default)
#: ignores the header, which the client could have written.
TRUSTED_PROXIES = _count("PASSERELLE_TRUSTED_PROXIES", 0)
NINJA_NUM_PROXIES = TRUSTED_PROXIES
AXES_CLIENT_IP_CALLABLE = "passerelle.core.clients.client_address"
#: Requests a client may make (per address when anonymous, per token or user otherwise):
#: the API, and the portal's search (its page and search.json), counted atomically in the
#: shared cache (core/ratelimits.py).
RATE_LIMITS = {
    "anonymous": os.environ.get("RATE_LIMIT_ANONYMOUS", "120/m"),
    "client": os.environ.get("RATE_LIMIT_CLIENT", "600/m"),
    "search": os.environ.get("RATE_LIMIT_SEARCH", "60/m"),
}
for _scope, _rate in RATE_LIMITS.items():
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", _rate):
        raise ImproperlyConfigured(
            f"RATE_LIMIT_{_scope.upper()}={_rate!r}: give a rate such as 120/m (per s, m, h or d)"
        )

#: Who may read /metrics (Prometheus): the machine itself unless told otherwise.
METRICS_ALLOWED_IPS = [
    ip.strip() for ip in os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if ip
]

ROOT_URLCONF = "passerelle.urls"
WSGI_APPLICATION = "passerelle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'passerelle.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # a kept connection is checked before a request uses it: after a database restart
        # the first request gets a new connection instead of an error
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids deadlocked upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Outside production, WhiteNoise serves the apps' static files where they lie, DEBUG or not
# (the demo runs with DEBUG off); production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = not PRODUCTION

# The portal caches whole pages and drops them all when any record changes. Every web worker
# must see the same cache for that to hold: Redis where REDIS_URL is set, else files on disk.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # the same on every instance of one site; another site on the same Redis needs its own
            "KEY_PREFIX": os.environ.get("PASSERELLE_CACHE_PREFIX") or "passerelle",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

# Background work (search cascades, embeddings, reindexing after bulk loads) goes through
# django-tasks: rows in the database by default, worked by `passerelle db_worker`; RQ on
# Redis where REDIS_URL is set (`passerelle rqworker`). PASSERELLE_TASKS=immediate runs each
# task at once, in the process that asked (the test suite and single-process use).
TASK_MODE = os.environ.get("PASSERELLE_TASKS") or ("rq" if os.environ.get("REDIS_URL") else "db")
if TASK_MODE not in {"db", "rq", "immediate"}:
    raise ImproperlyConfigured(f"PASSERELLE_TASKS={TASK_MODE!r}: use db, rq or immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASK_MODE]
    }
}
if TASK_MODE == "rq":
    INSTALLED_APPS.append("django_rq")
    # every job carries RQ's Retry: one whose worker died mid-task is run again (core/taskqueue.py)
    RQ_QUEUES = {
        "default": {
            "URL": os.environ["REDIS_URL"],
            "QUEUE_CLASS": "passerelle.core.taskqueue.RetryingQueue",
        }
    }
    # `passerelle rqworker` runs django-tasks' jobs with their own class: RQ's would call the
    # Task object itself and fail every task ("'Task' object is not callable")
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# E-mail (the desk's reminders, access/reminders.py). EMAIL_URL says it all at once:
# smtp://user:password@host:587 (STARTTLS, the default for SMTP), smtps://…:465 (TLS from
# the start), smtp+plain://host:25 (neither), or console:// (print mails, the default out
# of production). Or the separate EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL. Without either, production mails
# through the machine's own MTA (Django's default, SMTP on localhost:25).
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(_email_url)
    _schemes = {"smtp": "tls", "smtps": "ssl", "smtp+tls": "tls", "smtp+plain": "", "console": None}
    if _email.scheme not in _schemes:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {_email.scheme!r}; use {', '.join(_schemes)}"
        )
    if _schemes[_email.scheme] is None:
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    else:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _email.hostname or "localhost"
        EMAIL_PORT = _email.port or {"tls": 587, "ssl": 465, "": 25}[_schemes[_email.scheme]]
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
        EMAIL_USE_TLS = _schemes[_email.scheme] == "tls"
        EMAIL_USE_SSL = _schemes[_email.scheme] == "ssl"
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = _count("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set one of them, not both.")
elif not PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "passerelle@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: Where the back office is served, for the links in mails.
PASSERELLE_BASE_URL = os.environ.get("PASSERELLE_BASE_URL", "http://localhost:8000")
#: The public site's address, the base of every record's IRI (`/id/<kind>/<uuid>`, the open
#: data): set once for good, since the IRIs others link to must not change with the request.
#: Unset (nor PASSERELLE_BASE_URL), a page's IRIs are built on the address it is served on
#: (the demo on any host or port), and the files made outside a request on
#: PASSERELLE_BASE_URL's default.
PASSERELLE_PUBLIC_URL = (
    os.environ.get("PASSERELLE_PUBLIC_URL") or os.environ.get("PASSERELLE_BASE_URL") or ""
)

#: Natural Earth country shapes (TopoJSON) for the portal's map, installed from the npm
#: registry by `make` (package.json); the map shows partners without land shapes if missing.
WORLD_ATLAS = Path(
    os.environ.get("PASSERELLE_WORLD_ATLAS")
    or CHECKOUT_DIR / "node_modules" / "world-atlas" / "countries-110m.json"
)

# Kosovo's user-assigned code, used by ROR, GeoNames and the EU; not in ISO 3166 proper.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and _flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# Asks browsers' preload lists for HTTPS only; set SECURE_HSTS_PRELOAD=false before the
# domain is submitted if that commitment is not wanted (it is slow to undo).
SECURE_HSTS_PRELOAD = PRODUCTION and _flag("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

# Spreadsheet formats offered in the back office (django-import-export).
# CSV and XLSX within size, row and column limits, exported without live formulas
# (passerelle/ingest/sheet_files.py; SHEET_MAX_BYTES, SHEET_MAX_UNPACKED_BYTES,
# SHEET_MAX_ROWS and SHEET_MAX_COLUMNS change the limits).
IMPORT_EXPORT_FORMATS = [SheetCSV, SheetXLSX]
# A sheet checked by one request is imported by the next (the "confirm" step), which a
# balancer may send to another instance: with Redis, the sheet waits in the shared cache
# (under a random name, for a day at most), not in the temporary folder of one machine.
if os.environ.get("REDIS_URL"):
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

UNFOLD = {
    "SITE_TITLE": "Passerelle",
    "SITE_HEADER": "Passerelle",
    "SITE_SUBHEADER": _("International relations"),
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    # the back office's own few rules (core/static/passerelle/backoffice.css)
    "STYLES": [lambda request: static("passerelle/backoffice.css")],
    # the back office opens on the desk: what needs the officer's action (core/desk.py)
    "DASHBOARD_CALLBACK": "passerelle.core.deskpage.dashboard",
    # the officer's work first, the machinery folded under Administration (navigation.py)
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "passerelle.navigation.sidebar",
    },
}

# One JSON object a line in production (LOG_FORMAT=json), for the log collector.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
