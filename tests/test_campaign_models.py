import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.models import Assignment, BloodDonation, Donation, Goal, GoodsLine, Posting
from tests.factories import CampaignFactory, DonationFactory, MemberFactory, RecipientFactory

pytestmark = pytest.mark.django_db
FEB_1 = datetime.date(2020, 2, 1)


def _refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def _error_fields(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), None])
def test_donation_money_needs_a_positive_amount(amount):
    _refused_by_database(lambda: DonationFactory(amount=amount))


def test_donation_goods_has_no_amount():
    _refused_by_database(lambda: DonationFactory(form="goods", amount=Decimal("10")))


def test_donation_needs_exactly_one_donor():
    member = MemberFactory()
    _refused_by_database(lambda: DonationFactory(member=member, donor_name="某公司"))
    _refused_by_database(lambda: DonationFactory(member=None, donor_name=""))


def test_donation_facilitated_needs_the_facilitating_member_and_a_donor():
    _refused_by_database(
        lambda: DonationFactory(channel="facilitated", member=None, donor_name="某企业")
    )
    _refused_by_database(lambda: DonationFactory(channel="facilitated", donor_name=""))
    donation = DonationFactory(channel="facilitated", donor_name="某企业")

    assert donation.donor_display == "某企业"


def test_donation_receipt_number_unique_per_recipient():
    DonationFactory(receipt_no="R-001")

    _refused_by_database(lambda: DonationFactory(receipt_no="R-001"))
    assert DonationFactory(receipt_no="R-001", recipient=RecipientFactory(name="另一个基金")).pk


def test_donation_of_the_wrong_kind_or_date_names_the_field():
    blood_drive = CampaignFactory(kind="blood")
    donation = DonationFactory.build(
        campaign=blood_drive,
        member=MemberFactory(),
        recipient=RecipientFactory(),
        date=datetime.date(2021, 1, 1),
    )

    assert sorted(_error_fields(donation)) == ["campaign", "date"]


def test_goods_line_needs_unit_and_positive_quantity():
    donation = DonationFactory(form="goods", amount=None)

    _refused_by_database(
        lambda: GoodsLine.objects.create(donation=donation, item="口罩", quantity=250, unit="")
    )
    _refused_by_database(
        lambda: GoodsLine.objects.create(donation=donation, item="口罩", quantity=0, unit="只")
    )
    line = GoodsLine(donation=donation, item="口罩", quantity=250, unit="")
    assert list(_error_fields(line)) == ["unit"]


@pytest.mark.parametrize(
    ("component", "ml", "allowed"),
    [
        ("whole_blood", 200, True),
        ("whole_blood", 400, True),
        ("whole_blood", 250, False),
        ("platelets", 250, True),
        ("platelets", 400, False),
    ],
)
def test_blood_volume_must_be_an_allowed_amount(component, ml, allowed):
    campaign = CampaignFactory(kind="blood")

    def create():
        return BloodDonation.objects.create(
            campaign=campaign,
            member=MemberFactory(),
            date=FEB_1,
            station="市中心血站",
            volume_ml=ml,
            component=component,
        )

    if allowed:
        assert create().volume_ml == ml
    else:
        _refused_by_database(create)


def test_campaign_end_before_start_is_refused():
    _refused_by_database(lambda: CampaignFactory(ends_on=datetime.date(2020, 1, 1)))


def test_goal_must_fit_the_campaign_kind():
    goal = Goal(campaign=CampaignFactory(kind="blood"), metric="amount", target=Decimal("1000"))

    assert list(_error_fields(goal)) == ["metric"]


def test_goal_unique_per_metric():
    campaign = CampaignFactory()
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal("100000"))

    _refused_by_database(lambda: Goal.objects.create(campaign=campaign, metric="amount", target=1))


def _posting():
    return Posting.objects.create(
        campaign=CampaignFactory(kind="volunteer"),
        place="电台社区",
        place_kind="community",
        district="海州区",
        duties=["宣传引导", "物资分发"],
        starts_on=FEB_1,
        people_needed=3,
    )


def test_posting_duties_must_be_known_and_not_empty():
    posting = _posting()

    _refused_by_database(lambda: Posting.objects.filter(pk=posting.pk).update(duties=[]))
    _refused_by_database(lambda: Posting.objects.filter(pk=posting.pk).update(duties=["dancing"]))


def test_assignment_overlapping_dates_for_one_member_are_refused():
    posting = _posting()
    member = MemberFactory()
    Assignment.objects.create(
        posting=posting, member=member, starts_on=FEB_1, ends_on=datetime.date(2020, 2, 10)
    )
    overlapping = Assignment(
        posting=posting,
        member=member,
        starts_on=datetime.date(2020, 2, 10),
        ends_on=datetime.date(2020, 2, 20),
    )

    assert _error_fields(overlapping) == {"starts_on": ["该社员在这段日期内已有下沉服务。"]}
    _refused_by_database(overlapping.save)
    later = Assignment.objects.create(
        posting=posting,
        member=member,
        starts_on=datetime.date(2020, 2, 11),
        ends_on=datetime.date(2020, 2, 20),
    )
    assert later.pk


def test_assignment_days_served_cannot_exceed_its_dates():
    assignment = Assignment(
        posting=_posting(),
        member=MemberFactory(),
        starts_on=FEB_1,
        ends_on=datetime.date(2020, 2, 3),
        days_served=4,
    )

    assert list(_error_fields(assignment)) == ["days_served"]


def test_donation_str_names_donor_and_recipient():
    donation = DonationFactory(member=MemberFactory(name="赵丽"))

    assert str(donation) == "赵丽 → 连云港市红十字会"
    assert Donation.objects.count() == 1
