"""The campaigns' maintained figures (campaigns/tallies.py) equal a recount of the gifts after
every kind of write: adding, changing, moving, deleting, in bulk and by plain SQL, and as
transactions really commit or roll back."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from campaigns import tallies
from campaigns.models import (
    BloodDonation,
    BloodStep,
    Campaign,
    Donation,
    DonorTally,
    GoodsLine,
    MemberRoll,
    MoneyTally,
)
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
    assert tallies.differences() == {}

    pledge.state = "received"  # a pledge arrives
    pledge.save()
    first.amount = Decimal("150.55")
    first.save()
    # No save(): plain SQL.
    Donation.objects.filter(pk=goods.pk).update(channel="facilitated", donor_name="三瑞公司")
    line.quantity = 120
    line.save()
    Donation.objects.filter(pk=first.pk).update(campaign=other)  # moved to another campaign
    assert tallies.differences() == {}

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
    assert tallies.differences() == {}


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

    assert tallies.differences() == {}


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
    assert tallies.differences() == {}


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
    assert tallies.differences() == {}


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
    assert tallies.differences() == {}

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
    assert tallies.differences() == {}


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
    assert tallies.differences() == {}
