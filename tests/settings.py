"""The production settings with the few overrides tests need; the environment still decides the
database (DATABASE_URL, or the embedded PostgreSQL)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from branch_portal.settings import *  # noqa: E402, F403
from branch_portal.settings import STORAGES  # noqa: E402

# The manifest needs collectstatic; tests check pages, not hashed file names.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Fast hashing: tests log users in many times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before tests: let WhiteNoise look files up per request instead of scanning
# STATIC_ROOT at start-up (which warns, and warnings are errors, when var/static is missing).
WHITENOISE_AUTOREFRESH = True
# Login throttling needs a request in authenticate(), which Client.login() and a bare
# authenticate() do not pass; tests/test_security.py turns it on to test it.
AXES_ENABLED = False
# The site's name from the settings, as production sets it: the top branch's name otherwise read
# (and cached) on the first page would change the query counts tests pin.
SITE_NAME = "九三学社连云港市委"
# Background jobs run at once, inside the request that queues them, except in the tests of the
# job machinery itself (tests/test_jobs.py), which use the database backend and a real worker.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A job's progress is written four times a second, so that a test sees a few thousand rows'
# job midway (tests/test_jobs.py) instead of needing tens of thousands.
JOB_BEAT_SECONDS = 0.25
