"""Reports read from a replica when REPORTS_DATABASE_URL names one (branch_portal/routers.py).

No second server runs here, so the replica is the test database itself under a second
connection: what is tested is where each query goes. The downloads run in a separate process
started with REPORTS_DATABASE_URL set (the router is installed by the settings at start-up), on
committed data (``transactional_db``).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from branch_portal.routers import ReportsReplicaRouter, reading_replica
from campaigns.models import Donation
from tests.factories import DonationFactory

BASE_DIR = Path(__file__).resolve().parent.parent

# Run in the other process: a committee staff download of each report, with the queries each
# database received.
SCRIPT = """
import json
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from members.models import User

client = Client()
client.force_login(User.objects.get(username="alice"))
result = {}
for url in ["/reports/", "/reports/summary.xlsx", "/reports/records/donations.csv"]:
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(
        connections["reports"]
    ) as replica:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    result[url] = {
        "status": response.status_code,
        "rows": body.count(b"\\n"),
        "primary": [q["sql"] for q in primary.captured_queries],
        "replica": [q["sql"] for q in replica.captured_queries],
    }
print(json.dumps(result))
"""


def database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"].replace("/", "%2F")
    return f"postgres://{settings['USER']}@{host}:{settings['PORT']}/{settings['NAME']}"


# Committed data (emptied afterwards; the roles and the data version are made again after it).
@pytest.mark.django_db(transaction=True)
def test_reports_read_the_replica_and_everything_else_the_primary(alice):
    DonationFactory.create_batch(3)
    url = database_url()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "REPORTS_DATABASE_URL": url,
    }

    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])

    for url, got in result.items():
        # The primary answers who is asking and what they may see (session, user, permissions:
        # a permission just withdrawn holds at once); the records, every figure and the export's
        # rows come from the replica.
        assert (url, got["status"]) == (url, 200)
        assert [sql for sql in got["primary"] if "auth_permission" in sql], url
        assert not [sql for sql in got["replica"] if "auth_permission" in sql], url
        assert not [sql for sql in got["primary"] if "campaigns_" in sql], url
        assert [sql for sql in got["replica"] if "campaigns_donation" in sql], url
    assert result["/reports/records/donations.csv"]["rows"] == 4  # the header and three gifts


def test_router_sends_only_reads_inside_a_report_to_the_replica():
    router = ReportsReplicaRouter()

    outside = router.db_for_read(Donation)
    with reading_replica():
        inside = (router.db_for_read(Donation), router.db_for_write(Donation))

    migrates = [router.allow_migrate(alias, "campaigns") for alias in ["default", "reports"]]

    assert (outside, inside) == (None, ("reports", "default"))
    assert migrates == [True, False]
