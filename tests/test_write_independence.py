"""No write waits for an unrelated write because of the public pages' cache (issue 13, item 8).

Every write moves the public data version (portal/public_cache.py), so that no cached page is
served stale. It used to update one row at once, holding its lock until the writing transaction
ended: during a 701-row import a clerk's save waited 16.7 s, then deadlocked. The version now moves
when a transaction commits, not while it is still writing.

These tests open two real connections (threads, each with its own) and let neither wait longer
than a short lock timeout: waiting would fail them with "lock timeout", not hang.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from members.models import Member
from portal.models import PublicDataVersion
from portal.triggers import CAMPAIGNS, REGISTER
from tests.factories import CampaignFactory, DonationFactory, MemberFactory, RecipientFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough for any honest write here, far shorter than a wait for the other transaction.
LOCK_TIMEOUT = "2s"


def version(scope=REGISTER):
    """The version of a scope of the public data (by default what every page shows: members and
    the like), read afresh."""
    return dict(PublicDataVersion.objects.values_list("scope", "version")).get(scope, 0)


class Writer(threading.Thread):
    """Runs ``steps`` in one transaction on its own connection; each step waits for its turn
    (``turns``: a barrier both writers pass between steps), so the two interleave exactly."""

    def __init__(self, turns, steps):
        super().__init__()
        self.turns, self.steps, self.error = turns, steps, None

    def run(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                for step in self.steps:
                    self.turns.wait(timeout=30)
                    step()
                self.turns.wait(timeout=30)
        except Exception as error:  # reported by the test, with the other writer's
            self.error = error
            self.turns.abort()
        finally:
            connection.close()


def run_together(*writers):
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    return [repr(writer.error) for writer in writers if writer.error]


@pytest.fixture
def records(db):
    campaign = CampaignFactory()
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    return MemberFactory(name="甲"), MemberFactory(name="乙"), campaign, recipient


def test_two_transactions_on_unrelated_records_never_wait(records):
    first, second, campaign, recipient = records
    turns = threading.Barrier(2)

    def rename(member, name):
        return lambda: Member.objects.filter(pk=member.pk).update(name=name)

    def give(member):
        return lambda: DonationFactory(
            campaign=campaign, recipient=recipient, member=member, amount=Decimal("10")
        )

    # Both write a member, then a donation, while the other's transaction is still open: the
    # second step of each would wait for the other (and the two deadlock) if either held the
    # version row before committing.
    errors = run_together(
        Writer(turns, [rename(first, "甲一"), give(first)]),
        Writer(turns, [give(second), rename(second, "乙一")]),
    )

    assert errors == []
    assert sorted(Member.objects.values_list("name", flat=True)) == ["乙一", "甲一"]


def test_version_moves_when_a_transaction_commits(records):
    first, *_ = records
    before = version()

    with transaction.atomic():
        Member.objects.filter(pk=first.pk).update(workplace="新单位")
        during = version()  # read on the same connection, inside the writing transaction

    assert during == before
    assert version() > before


def test_rolled_back_write_leaves_the_version(records):
    first, *_ = records
    before = version()

    with pytest.raises(RuntimeError), transaction.atomic():
        Member.objects.filter(pk=first.pk).update(workplace="新单位")
        raise RuntimeError("rolled back")

    assert version() == before


def test_an_open_import_does_not_block_a_clerks_save(records):
    """A long transaction writing many rows (an import) and a short one on another record (a
    clerk's save): the short one commits, and moves the version, while the long one is open."""
    first, second, campaign, recipient = records
    imported, clerk_done = threading.Event(), threading.Event()
    before = version()

    def import_many():
        for number in range(50):
            DonationFactory(
                campaign=campaign, recipient=recipient, member=first, amount=Decimal(number + 1)
            )
        imported.set()
        assert clerk_done.wait(timeout=30), "the clerk's save did not finish"

    importer = Writer(threading.Barrier(1), [import_many])
    gifts_before = version(CAMPAIGNS)
    importer.start()
    assert imported.wait(timeout=30)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        Member.objects.filter(pk=second.pk).update(workplace="市第一人民医院")
    after_clerk = version()
    gifts_during = version(CAMPAIGNS)
    clerk_done.set()
    importer.join(timeout=60)

    assert importer.error is None
    # The clerk's save moved the members' version while the import was open; the import's
    # gifts moved the campaigns' only when it committed.
    assert before < after_clerk
    assert gifts_before == gifts_during < version(CAMPAIGNS)
    assert Member.objects.get(pk=second.pk).workplace == "市第一人民医院"
