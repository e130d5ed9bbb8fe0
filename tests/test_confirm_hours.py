"""Staff confirm the hours volunteers logged: once, by one person (issue 13, item 11b).

Two staff confirming the same hours at the same moment used to be both recorded as confirming
it. The race is run for real: two threads, each with its own database connection, post the
admin action; the first holds its transaction open until the database shows the second waiting
for it, so that both had read the hours unconfirmed, whatever the code does.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from campaigns.models import Assignment
from tests.factories import AssignmentFactory
from tests.pages import messages_of

URL = "/admin/campaigns/assignment/"
CONFIRMED = "时长已确认"  # the history's change reason, in the language of who acted


def confirm(client, assignment):
    """Post the admin action; its page, with the messages it left, followed."""
    return client.post(
        URL,
        {"action": "confirm_hours", "index": "0", "_selected_action": [assignment.pk]},
        follow=True,
    )


def confirmations(assignment) -> list[tuple]:
    """Who the history says confirmed the hours, and why: its rows that show them confirmed."""
    rows = Assignment.history.filter(id=assignment.pk, confirmed=True).order_by("history_id")
    return [(row.history_user, row.history_change_reason) for row in rows]


def confirmed_at(assignment) -> str:
    row = Assignment.history.filter(id=assignment.pk, confirmed=True).earliest("history_id")
    with translation.override("zh-hans"):
        return date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT")


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def logged_hours(zhao_li):
    return AssignmentFactory(member=zhao_li, hours_logged=Decimal("8.0"))


# Committed data (two connections); the tables are emptied afterwards, and post_migrate makes the
# roles and the data version again.
@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_the_same_hours_at_once_record_one_confirmer(alice, bob, logged_hours):
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(bob)
    first_confirmed, release, second_done = threading.Event(), threading.Event(), threading.Event()
    responses, errors = {}, []

    def run(name, body):
        try:
            body()
        except Exception as error:  # reported by the test below, not lost in the thread
            errors.append((name, error))
        finally:
            connection.close()

    def alice_confirms():
        # Her confirmation stays uncommitted until bob's waits for it (or, without a lock, ends).
        with transaction.atomic():
            responses["alice"] = confirm(first, logged_hours)
            first_confirmed.set()
            assert release.wait(10)

    def bob_confirms():
        assert first_confirmed.wait(10)
        responses["bob"] = confirm(second, logged_hours)
        second_done.set()

    threads = [
        threading.Thread(target=run, args=("alice", alice_confirms)),
        threading.Thread(target=run, args=("bob", bob_confirms)),
    ]
    for thread in threads:
        thread.start()
    first_confirmed.wait(10)
    deadline = time.monotonic() + 10
    while not (second_waited := waiting_for_a_lock()) and time.monotonic() < deadline:
        if second_done.is_set():
            break
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(20)

    assert (errors, second_waited) == ([], True)  # the race took place
    assert confirmations(logged_hours) == [(alice, CONFIRMED)]
    assert messages_of(responses["bob"]) == [
        f"{logged_hours} 的时长已由 alice 于 {confirmed_at(logged_hours)} 确认。"
    ]


def test_confirming_confirmed_hours_says_who_confirmed_them_and_when(
    client, alice, bob, logged_hours
):
    client.force_login(alice)
    confirm(client, logged_hours)
    client.force_login(bob)

    response = confirm(client, logged_hours)

    assert messages_of(response) == [
        f"{logged_hours} 的时长已由 alice 于 {confirmed_at(logged_hours)} 确认。"
    ]
    assert confirmations(logged_hours) == [(alice, CONFIRMED)]


def test_confirming_hours_again_after_they_were_unconfirmed_names_the_new_confirmer(
    client, alice, bob, logged_hours
):
    client.force_login(alice)
    confirm(client, logged_hours)
    logged_hours.refresh_from_db()
    logged_hours.confirmed = False  # a correction in the change form
    logged_hours._change_reason = "改正"
    logged_hours.save()
    client.force_login(bob)
    confirm(client, logged_hours)
    client.force_login(alice)

    response = confirm(client, logged_hours)

    assert confirmations(logged_hours) == [(alice, CONFIRMED), (bob, CONFIRMED)]
    latest = Assignment.history.filter(id=logged_hours.pk, confirmed=True).latest("history_id")
    with translation.override("zh-hans"):
        at = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    assert messages_of(response) == [f"{logged_hours} 的时长已由 bob 于 {at} 确认。"]
