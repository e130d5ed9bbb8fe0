"""The campaigns' maintained figures (campaigns/tallies.py) equal a recount of the gifts after
every kind of write: adding, changing, moving, deleting, in bulk and by plain SQL, and as
transactions really commit or roll back."""

import datetime
import re
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from campaigns import tallies
from campaigns.models import (
    Assignment,
    BloodDonation,
    BloodStep,
    Campaign,
    CampaignTally,
    Donation,
    DonorTally,
    GoodsLine,
    MemberRoll,
    MoneyTally,
    RollTally,
)
from members.models import Member
from portal.tallies import differences
from suggestions import tallies as suggestion_tallies
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    PostingFactory,
    RecipientFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive():
    campaign = CampaignFactory()
    campaign.recipients.add(RecipientFactory())
    return campaign


def gift(drive, **fields):
    return DonationFactory(campaign=drive, recipient=drive.recipients.get(), **fields)


def test_every_kind_of_write_keeps_the_tallies_equal_to_a_recount(drive):
    other = CampaignFactory()
    zhao, qian = MemberFactory(name="赵丽"), MemberFactory(name="钱新")
    first = gift(drive, member=zhao, amount=Decimal("100.10"))
    gift(drive, member=zhao, amount=Decimal("20"), anonymous=True)
    pledge = gift(drive, member=qian, amount=Decimal("999"), state="pledged")
    goods = gift(drive, member=qian, form="goods", amount=None)
    line = GoodsLine.objects.create(
        donation=goods, item="口罩", quantity=100, unit="个", estimated_value=Decimal("300")
    )
    gift(drive, member=None, donor_name="社外人士", amount=Decimal("5"))
    assert differences() == {}

    pledge.state = "received"  # a pledge arrives
    pledge.save()
    first.amount = Decimal("150.55")
    first.save()
    # No save(): plain SQL.
    Donation.objects.filter(pk=goods.pk).update(channel="facilitated", donor_name="三瑞公司")
    line.quantity = 120
    line.save()
    Donation.objects.filter(pk=first.pk).update(campaign=other)  # moved to another campaign
    assert differences() == {}

    goods.goods.all().delete()
    Donation.objects.filter(member=zhao).delete()
    Donation.objects.bulk_create(
        [
            Donation(
                campaign=drive,
                recipient=drive.recipients.get(),
                member=qian,
                form="money",
                amount=Decimal(n),
                date=drive.starts_on,
            )
            for n in range(1, 6)
        ]
    )
    assert differences() == {}


def test_a_campaigns_figures_from_the_tallies(drive):
    zhao = MemberFactory(name="赵丽")
    gift(drive, member=zhao, amount=Decimal("100.10"))
    gift(drive, member=zhao, amount=Decimal("20"), anonymous=True)
    gift(drive, member=MemberFactory(), amount=Decimal("30"), state="pledged")

    money = MoneyTally.objects.filter(campaign=drive, state="received")
    donor = DonorTally.objects.get(campaign=drive, member=zhao)

    assert sum(row.amount for row in money) == Decimal("120.10")
    assert (donor.direct_received, donor.received, donor.named, donor.named_money) == (
        2,
        2,
        1,
        Decimal("100.10"),
    )


def test_check_tallies_finds_a_difference_and_repairs_it(drive):
    gift(drive, member=MemberFactory(), amount=Decimal("100"))
    MoneyTally.objects.update(amount=Decimal("1"))  # as if a write had bypassed the triggers

    with pytest.raises(CommandError):
        call_command("check_tallies")
    call_command("check_tallies", "--repair")

    assert differences() == {}


@pytest.mark.django_db(transaction=True)
def test_tallies_move_when_a_transaction_commits_and_never_when_it_rolls_back():
    drive = CampaignFactory()
    drive.recipients.add(RecipientFactory())
    member = MemberFactory()

    with transaction.atomic():
        gift(drive, member=member, amount=Decimal("100"))
        during = MoneyTally.objects.filter(campaign=drive).count()
    with pytest.raises(RuntimeError), transaction.atomic():
        gift(drive, member=member, amount=Decimal("7"))
        raise RuntimeError("rolled back")

    assert during == 0  # applied as the transaction commits, not before
    assert sum(row.amount for row in MoneyTally.objects.filter(campaign=drive)) == Decimal("100")
    assert differences() == {}


@pytest.mark.django_db(transaction=True)
def test_an_open_import_never_blocks_a_clerks_gift_to_the_same_campaign():
    """Both write the same tally keys (same campaign, body, day): the import's transaction stays
    open while the clerk's commits, without waiting."""
    drive = CampaignFactory()
    drive.recipients.add(RecipientFactory())
    importer_member, clerk_member = MemberFactory(), MemberFactory()
    imported, clerk_done, errors = threading.Event(), threading.Event(), []

    def import_many():
        try:
            with transaction.atomic():
                for n in range(20):
                    gift(drive, member=importer_member, amount=Decimal(n + 1))
                imported.set()
                assert clerk_done.wait(timeout=30)
        except Exception as error:  # reported by the test
            errors.append(error)
            imported.set()
        finally:
            connection.close()

    importer = threading.Thread(target=import_many)
    importer.start()
    assert imported.wait(timeout=30)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        gift(drive, member=clerk_member, amount=Decimal("1000"))
    clerk_done.set()
    importer.join(timeout=60)

    assert errors == []
    assert sum(row.amount for row in MoneyTally.objects.filter(campaign=drive)) == Decimal("1210")
    assert differences() == {}


def test_blood_volunteer_and_member_writes_keep_the_tallies_equal_to_a_recount(drive):
    blood_drive, volunteers = CampaignFactory(kind="blood"), CampaignFactory(kind="volunteer")
    other_drive = CampaignFactory(kind="blood")
    donors = [MemberFactory(name=f"献血者{n}") for n in range(7)]
    gifts = [BloodDonationFactory(campaign=blood_drive, member=member) for member in donors]
    pledge = BloodDonationFactory(
        campaign=blood_drive,
        member=donors[0],
        state="pledged",
        date=datetime.date(2020, 2, 6),
    )
    posting = PostingFactory(campaign=volunteers, place="朝阳社区")
    work = [AssignmentFactory(posting=posting, member=member) for member in donors[:3]]
    gift(drive, member=donors[0], amount=Decimal("10"))
    assert differences() == {}

    pledge.state = "donated"
    pledge.save()
    BloodDonation.objects.filter(pk=gifts[1].pk).update(volume_ml=200)
    BloodDonation.objects.filter(pk=gifts[2].pk).update(campaign=other_drive)
    gifts[3].delete()
    posting.place = "海连路卡口"
    posting.save()
    work[0].hours_logged = Decimal("8.5")
    work[0].confirmed = True
    work[0].save()
    work[1].delete()
    member = donors[0]
    member.name = "改名者"
    member.listing_consent = False
    member.save()
    assert differences() == {}


def test_a_blood_drive_step_counts_five_donors_at_a_time():
    blood_drive = CampaignFactory(kind="blood")
    volumes = [200, 300, 400, 200, 300, 400, 200]
    for volume in volumes:
        BloodDonationFactory(campaign=blood_drive, member=MemberFactory(), volume_ml=volume)

    step = BloodStep.objects.get(campaign=blood_drive)

    assert (step.donors, step.counted_donors, step.counted_donations, step.counted_ml) == (
        7,
        5,
        5,
        sum(volumes[:5]),
    )


def test_publishing_or_withdrawing_a_campaign_moves_its_members_on_or_off_the_roll(drive):
    zhao = MemberFactory(name="赵丽")
    gift(drive, member=zhao, amount=Decimal("10"))
    on_roll = MemberRoll.objects.get(member=zhao).donor

    Campaign.objects.filter(pk=drive.pk).update(is_public=False)
    withdrawn = MemberRoll.objects.get(member=zhao).donor

    assert (on_roll, withdrawn) == (True, False)
    assert differences() == {}


def test_a_campaigns_counts_and_the_rolls_follow_donors_in_and_out(drive):
    """The counts a page reads instead of counting members: a first gift counts its donor in,
    an anonymous one counts them as taking part but not named, a withdrawn consent takes the
    name away, a last gift gone counts them out."""
    volunteers = CampaignFactory(kind="volunteer")
    zhao, qian = MemberFactory(name="赵丽"), MemberFactory(name="钱新")
    first = gift(drive, member=zhao, amount=Decimal("10"))
    gift(drive, member=zhao, amount=Decimal("20"))
    gift(drive, member=qian, amount=Decimal("5"), anonymous=True)
    AssignmentFactory(posting=PostingFactory(campaign=volunteers), member=qian, days_served=3)

    def counts():
        donors = CampaignTally.objects.get(campaign=drive)
        work = CampaignTally.objects.get(campaign=volunteers)
        roll = dict(RollTally.objects.values_list("kind", "listed"))
        return (
            (donors.member_donors, donors.donors, donors.named_donors),
            (work.volunteers, work.days, work.named_volunteers),
            (roll.get("donor", 0), roll.get("volunteer", 0)),
        )

    before = counts()
    qian.listing_consent = False
    qian.save()
    unlisted = counts()
    Donation.objects.filter(pk=first.pk).delete()
    Donation.objects.filter(member=zhao).update(state="pledged")  # no received gift left
    gone = counts()

    assert before == ((2, 2, 1), (1, 3, 1), (1, 1))
    assert unlisted == ((2, 2, 1), (1, 3, 0), (1, 0))
    assert gone == ((1, 1, 0), (1, 3, 0), (0, 0))
    assert differences() == {}


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def paused_counts():
    """A transaction that sets tests.pause_counts stops as its commit reaches the counts, until
    the test lets go of an advisory lock: its new tally rows exist but are not committed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_pause_counts() RETURNS trigger AS $$ BEGIN "
            "IF current_setting('tests.pause_counts', true) = 'yes' THEN "
            "PERFORM pg_advisory_xact_lock(4242); END IF; RETURN NULL; END $$ "
            "LANGUAGE plpgsql; "
            "DROP TRIGGER IF EXISTS test_pause_counts ON campaigns_campaigntally; "
            "CREATE TRIGGER test_pause_counts BEFORE INSERT ON campaigns_campaigntally "
            "FOR EACH STATEMENT EXECUTE FUNCTION test_pause_counts(); "
            "SELECT pg_advisory_lock(4242)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock_all(); "
            "DROP TRIGGER IF EXISTS test_pause_counts ON campaigns_campaigntally; "
            "DROP FUNCTION IF EXISTS test_pause_counts()"
        )


@pytest.mark.django_db(transaction=True)
def test_two_commits_counting_the_same_new_donor_and_volunteer_count_them_once(paused_counts):
    """The first commit stops after making the member's tally rows; the second, writing the same
    member's first assignment in the campaign, waits for those rows and must count them out as
    they then are, not as the absent rows it could have read before. Both end, and every count
    equals a recount."""
    drive, volunteers = CampaignFactory(), CampaignFactory(kind="volunteer")
    drive.recipients.add(RecipientFactory())
    posting, member = PostingFactory(campaign=volunteers), MemberFactory()
    errors = []

    def first_records(pause: bool, day: datetime.date):
        try:
            with transaction.atomic():
                if pause:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL tests.pause_counts = 'yes'")
                if pause:  # the second's first wait is then on the volunteer's row
                    gift(drive, member=member, amount=Decimal("10"))
                AssignmentFactory(posting=posting, member=member, starts_on=day, ends_on=day)
                if not pause:
                    # Its tallies applied now, as its commit would apply them: at commit, the
                    # public versions (which both move) would make it wait before the tallies.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT campaigns_apply_tallies()")
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=first_records, args=(True, datetime.date(2020, 2, 1)))
    first.start()
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.01)  # the first commit waits at the counts
    second = threading.Thread(target=first_records, args=(False, datetime.date(2020, 2, 2)))
    second.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the second waits for the first's rows too
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= 2:
                break
        time.sleep(0.01)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(4242)")
    first.join(30)
    second.join(30)

    counted = (
        CampaignTally.objects.get(campaign=drive),
        CampaignTally.objects.get(campaign=volunteers),
    )
    assert errors == []
    assert (counted[0].donors, counted[1].volunteers, counted[1].assignments) == (1, 1, 2)
    assert dict(RollTally.objects.values_list("kind", "listed")) == {"donor": 1, "volunteer": 1}
    assert differences() == {}


def test_the_databases_tally_functions_are_those_the_tallies_modules_say():
    """Each migration copies the functions' SQL; the database must run what campaigns/tallies.py
    and suggestions/tallies.py say."""
    sql = tallies.SQL + suggestion_tallies.SQL
    written = dict(re.findall(r"FUNCTION (\w+)\(\) RETURNS void AS \$\$(.*?)\$\$", sql, re.S))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)", [list(written)]
        )
        running = dict(cursor.fetchall())

    assert len(written) == 6
    assert running == written


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def until(condition, seconds=10) -> bool:
    deadline = time.monotonic() + seconds
    while not (met := condition()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return met


@pytest.fixture
def paused_refresh():
    """A transaction that sets tests.pause_refresh stops as its commit refreshes its members'
    tally rows (before updating them), until the test lets go of an advisory lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_pause_refresh() RETURNS trigger AS $$ BEGIN "
            "IF current_setting('tests.pause_refresh', true) = 'yes' THEN "
            "PERFORM pg_advisory_xact_lock(4343); END IF; RETURN NULL; END $$ "
            "LANGUAGE plpgsql; "
            "DROP TRIGGER IF EXISTS test_pause_refresh ON campaigns_donortally; "
            "CREATE TRIGGER test_pause_refresh BEFORE UPDATE ON campaigns_donortally "
            "FOR EACH STATEMENT EXECUTE FUNCTION test_pause_refresh(); "
            "SELECT pg_advisory_lock(4343)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock_all(); "
            "DROP TRIGGER IF EXISTS test_pause_refresh ON campaigns_donortally; "
            "DROP FUNCTION IF EXISTS test_pause_refresh()"
        )


@pytest.mark.django_db(transaction=True)
def test_a_first_gift_committing_during_a_consent_withdrawal_never_lists_the_member(
    paused_refresh,
):
    """The member withdraws consent; their commit stops halfway through refreshing their tally
    rows; meanwhile their first gift to a drive commits. The gift waits for the withdrawal and
    counts them as it left them: not listed, on the rows and in the counts (it used to add a
    row that listed them, counted twice)."""
    drive = CampaignFactory()
    drive.recipients.add(RecipientFactory())
    member = MemberFactory(name="撤回者")
    errors = []

    def in_thread(body):
        def run():
            try:
                with transaction.atomic():
                    body()
            except Exception as error:  # reported by the test
                errors.append(error)
            finally:
                connection.close()

        return threading.Thread(target=run)

    def withdraw():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL tests.pause_refresh = 'yes'")
        Member.objects.filter(pk=member.pk).update(listing_consent=False)

    withdrawal = in_thread(withdraw)
    gift_ = in_thread(lambda: gift(drive, member=member, amount=Decimal("10")))
    withdrawal.start()
    assert until(lambda: lock_waiters() == 1)  # the withdrawal stops at its refresh
    gift_.start()
    gift_waited = until(lambda: lock_waiters() == 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(4343)")
    withdrawal.join(30)
    gift_.join(30)

    counted = CampaignTally.objects.get(campaign=drive)
    row = DonorTally.objects.get(campaign=drive, member=member)
    assert (errors, gift_waited) == ([], True)
    assert (counted.donors, counted.named_donors, row.listable) == (1, 0, False)
    assert differences() == {}


@pytest.mark.django_db(transaction=True)
def test_a_members_records_and_the_member_deleted_together_leave_no_count_behind():
    """Django deletes the member's tally rows by cascade; they are counted out as they go."""
    drive, volunteers = CampaignFactory(), CampaignFactory(kind="volunteer")
    drive.recipients.add(RecipientFactory())
    member, other = MemberFactory(), MemberFactory()
    gift(drive, member=member, amount=Decimal("5"))
    gift(drive, member=other, amount=Decimal("5"))
    AssignmentFactory(posting=PostingFactory(campaign=volunteers), member=member)

    with transaction.atomic():
        Donation.objects.filter(member=member).delete()
        Assignment.objects.filter(member=member).delete()
        member.delete()

    counted = (
        CampaignTally.objects.get(campaign=drive),
        CampaignTally.objects.get(campaign=volunteers),
    )
    assert (counted[0].donors, counted[1].volunteers) == (1, 0)
    assert dict(RollTally.objects.values_list("kind", "listed")) == {
        "donor": 1,
        "volunteer": 0,
    }
    assert differences() == {}
