import datetime
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from campaigns.models import BloodDonation, Campaign, Donation, GoodsLine
from campaigns.progress import ZERO, Money, campaign_progress
from members.models import Enterprise
from tests.factories import CampaignFactory, DonationFactory, MemberFactory, RecipientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    call_command("load_demo")
    return {c.kind: campaign_progress(c) for c in Campaign.objects.all()}


def test_story_money_figures(story):
    money = story["donation"]["money"]

    assert money["members_own"] == Decimal("86556.00")
    assert money["given_apart"] == Decimal("1000.00")
    assert money["facilitated"] == Decimal("1000000.00")
    assert money["pledged"] == Decimal("600.00")
    assert [
        (row["recipient"], row["designated"], row["members_own"])
        for row in story["donation"]["by_recipient"]
    ] == [
        ("连云港市红十字会", True, Decimal("59956.00")),
        ("九三学社王选关怀基金会抗击新冠肺炎专项基金", True, Decimal("26600.00")),
        ("江苏省慈善总会", False, Decimal("1000.00")),
    ]


def test_story_goods_figures(story):
    goods = {
        (g["item"], g["unit"], g["facilitated"]): g["quantity"] for g in story["donation"]["goods"]
    }

    assert goods == {
        ("一次性医用外科口罩", "只", False): Decimal("250"),
        ("医用手套", "副", False): Decimal("400"),
        ("牛奶", "箱", False): Decimal("38"),
        ("八宝粥", "箱", False): Decimal("42"),
        ("方便面", "箱", False): Decimal("8"),
        ("火腿肠", "箱", False): Decimal("2"),
        ("蔬菜", "斤", True): Decimal("300"),
        ("防护服", "套", True): Decimal("225"),
    }
    assert story["donation"]["goods_value"]["direct"] == Decimal("9800.00")


def test_story_blood_and_volunteer_figures(story):
    assert story["blood"]["blood"]["donors"] == 12
    assert Campaign.objects.get(kind="blood").call_date == datetime.date(2020, 2, 5)
    assert set(BloodDonation.objects.values_list("station", flat=True)) == {"连云港市中心血站"}
    volunteers = story["volunteer"]["volunteers"]
    assert (volunteers["people"], volunteers["postings"]) == (13, 4)


def test_pledged_gifts_never_count():
    campaign = CampaignFactory()
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("100.10"))
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("999"), state="pledged")

    money = campaign_progress(campaign)["money"]

    assert (money["members_own"], money["pledged"], money["donations"]) == (
        Decimal("100.10"),
        Decimal("999.00"),
        1,
    )


def test_money_to_other_bodies_and_other_donors_are_counted_apart():
    campaign = CampaignFactory()
    fund = RecipientFactory(name="专项基金")
    campaign.recipients.add(fund)
    other_body = RecipientFactory(name="江苏省慈善总会")
    DonationFactory(campaign=campaign, recipient=fund, amount=Decimal("0.01"))
    DonationFactory(campaign=campaign, recipient=other_body, amount=Decimal("1000"))
    DonationFactory(campaign=campaign, recipient=fund, member=None, donor_name="外单位", amount=5)
    DonationFactory(
        campaign=campaign, recipient=fund, channel="facilitated", donor_name="某企业", amount=7
    )

    money = campaign_progress(campaign)["money"]

    assert [money[k] for k in ("members_own", "given_apart", "other_donors", "facilitated")] == [
        Decimal("0.01"),
        Decimal("1000.00"),
        Decimal("5.00"),
        Decimal("7.00"),
    ]


def _add_gifts(campaign, recipient, count):
    for i in range(count):
        donation = DonationFactory(campaign=campaign, recipient=recipient, member=MemberFactory())
        goods = Donation.objects.create(
            campaign=campaign,
            form="goods",
            member=donation.member,
            recipient=recipient,
            date=datetime.date(2020, 2, 1 + i % 20),
        )
        GoodsLine.objects.create(donation=goods, item=f"物资{i}", quantity=1, unit="箱")


def test_campaign_progress_query_count_does_not_grow(django_assert_num_queries):
    campaign = CampaignFactory()
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    _add_gifts(campaign, recipient, 2)
    with django_assert_num_queries(7):
        campaign_progress(campaign)

    _add_gifts(campaign, recipient, 25)

    with django_assert_num_queries(7):
        campaign_progress(campaign)


# Money figures: added up from grouped rows (campaigns.progress.Money), checked against the rows


def test_money_figures_equal_a_sum_over_every_donation():
    """Every kind of gift (money and goods, given, facilitated, pledged, by a member or not, to a
    body collected for or not) in two campaigns, summed row by row here, against ``Money``."""
    rng = random.Random(7)
    collected, elsewhere = RecipientFactory(name="红十字会"), RecipientFactory(name="慈善总会")
    campaigns = [CampaignFactory(), CampaignFactory()]
    for campaign in campaigns:
        campaign.recipients.add(collected)
    members = [MemberFactory() for _ in range(4)]
    enterprise = Enterprise.objects.create(name="某公司")
    donations = []
    for _ in range(80):
        facilitated = rng.random() < 0.2
        member = rng.choice(members) if facilitated or rng.random() < 0.7 else None
        goods = rng.random() < 0.25
        donations.append(
            DonationFactory(
                campaign=rng.choice(campaigns),
                recipient=rng.choice([collected, elsewhere]),
                member=member,
                enterprise=enterprise if member is None or facilitated else None,
                channel="facilitated" if facilitated else "direct",
                state=rng.choice(["received", "received", "pledged"]),
                form="goods" if goods else "money",
                amount=None if goods else Decimal(rng.randint(1, 999)),
            )
        )

    def money(rows, channel, from_member):
        return [
            d
            for d in rows
            if d.form == "money" and d.channel == channel and bool(d.member_id) == from_member
        ]

    def expected(rows):
        received = [d for d in rows if d.state == "received"]
        own = money(received, "direct", True)
        facilitated = money(received, "facilitated", True)
        pledged = [d for d in rows if d.state == "pledged" and d.form == "money"]
        return {
            "members_own": sum((d.amount for d in own if d.recipient == collected), ZERO),
            "given_apart": sum((d.amount for d in own if d.recipient == elsewhere), ZERO),
            "facilitated": sum((d.amount for d in facilitated), ZERO),
            "other_donors": sum((d.amount for d in money(received, "direct", False)), ZERO),
            "pledged": sum((d.amount for d in pledged), ZERO),
            "pledged_count": len(pledged),
            "donations": len(received),  # goods too
            "member_donors": len(
                {d.member_id for d in received if d.channel == "direct" and d.member_id}
            ),
        }

    def body(recipient):
        received = [d for d in donations if d.state == "received" and d.recipient == recipient]
        return {
            "recipient": recipient.name,
            "designated": recipient == collected,
            "members_own": sum((d.amount for d in money(received, "direct", True)), ZERO),
            "facilitated": sum((d.amount for d in money(received, "facilitated", True)), ZERO),
            "other_donors": sum((d.amount for d in money(received, "direct", False)), ZERO),
            "gifts": len([d for d in received if d.form == "money"]),
        }

    result = Money(Donation.objects.all())
    by_campaign = result.by_campaign({c.pk for c in campaigns})

    assert {d.form for d in donations} == {"money", "goods"}
    assert result.totals() == expected(donations)
    for campaign in campaigns:
        assert by_campaign[campaign.pk] == expected(
            [d for d in donations if d.campaign == campaign]
        )
    assert result.by_recipient() == [body(collected), body(elsewhere)]
