"""Demo campaigns of the story (../shared/story/FIGURES.md), built so that every figure the
report gives comes out of these records: 86,556 yuan of members' own money (26,600 to the
王选 fund and 59,956 to the Red Cross), 1,000 apart to 江苏省慈善总会, 1,000,000 facilitated,
the goods lines worth 9,800, 10+ blood donors and 10+ members posted.

Idempotent: campaigns are found by slug and their records are rebuilt from these tables.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
    Recipient,
)
from members.demo import COMMITTEE, generated_name
from members.models import Branch, Member

D = datetime.date
FUND = "九三学社王选关怀基金会抗击新冠肺炎专项基金"
RED_CROSS = "连云港市红十字会"
CHARITY = "江苏省慈善总会"
COMMUNITIES = "连云港市基层社区"

RECIPIENTS = [
    (FUND, Recipient.Kind.FUND),
    (RED_CROSS, Recipient.Kind.RED_CROSS),
    (CHARITY, Recipient.Kind.CHARITY),
    (COMMUNITIES, Recipient.Kind.COMMUNITY),
]

# Members' own money: (recipient, total, number of gifts). Amounts cycle through AMOUNT_PATTERN and
# the last gift takes the remainder, so the totals are exact.
MONEY_GIFTS = [(FUND, Decimal("26600"), 20), (RED_CROSS, Decimal("59956"), 40)]
AMOUNT_PATTERN = [Decimal(a) for a in ("500", "1000", "2000", "300", "1500", "800", "200")]
APART_GIFTS = [(CHARITY, Decimal("500")), (CHARITY, Decimal("500"))]
FACILITATED_MONEY = Decimal("1000000")

# Goods to grassroots communities, worth 9,800 in all: (item, quantity, unit, estimated value).
COMMUNITY_GOODS = [
    ("一次性医用外科口罩", 250, "只", "1000"),
    ("医用手套", 400, "副", "1600"),
    ("牛奶", 38, "箱", "3800"),
    ("八宝粥", 42, "箱", "2730"),
    ("方便面", 8, "箱", "440"),
    ("火腿肠", 2, "箱", "230"),
]
# Facilitated or donated through members' enterprises; the story gives no value for them.
FACILITATED_GOODS = [("蔬菜", 300, "斤", "0"), ("防护服", 225, "套", "0")]

BLOOD_DONORS = ["徐大勇", "陈晓平"] + [
    generated_name(i) for i in (1, 3, 4, 8, 10, 11, 15, 16, 17, 22)
]
BLOOD_ML = [400, 300, 400, 200, 300, 400, 200, 400, 300, 400, 200, 300]

# The story's duties: the volunteer campaign's words (Campaign.duty_words).
STORY_DUTIES = ["卡口值守", "逐户排查", "宣传", "物资保障", "重点人群服务"]
# (place, kind, district, duties, from, people needed, members posted with their first day)
POSTINGS = [
    (
        "浦西街道电台社区",
        "community",
        "海州区",
        ["宣传", "物资保障", "重点人群服务"],
        D(2020, 1, 28),
        4,
        [("寇晶磊", D(2020, 1, 28))],
    ),
    (
        "新东街道巨龙路沿线小区和商户",
        "street",
        "海州区",
        ["宣传", "逐户排查"],
        D(2020, 1, 26),
        4,
        [("张明燕", D(2020, 1, 26))],
    ),
    (
        "赣榆区六里桥社区",
        "community",
        "赣榆区",
        ["卡口值守"],
        D(2020, 2, 1),
        3,
        [("张维亮", D(2020, 2, 1))],
    ),
    ("海州区乡镇卡口", "town", "海州区", ["卡口值守", "逐户排查"], D(2020, 2, 3), 6, []),
]
EXTRA_VOLUNTEERS = [generated_name(i) for i in (2, 5, 6, 9, 12, 14, 18, 19, 20, 21)]


def member(name: str) -> Member:
    return Member.objects.filter(name=name).order_by("pk").first()


def split(total: Decimal, count: int) -> list[Decimal]:
    amounts = [AMOUNT_PATTERN[i % len(AMOUNT_PATTERN)] for i in range(count - 1)]
    remainder = total - sum(amounts)
    assert remainder > 0, "the pattern overshoots the total"
    return [*amounts, remainder]


def _campaign(slug, **fields):
    campaign, _ = Campaign.objects.update_or_create(slug=slug, defaults=fields)
    return campaign


@transaction.atomic
def load() -> None:
    committee = Branch.objects.get(name=COMMITTEE)
    recipients = {
        name: Recipient.objects.update_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in RECIPIENTS
    }
    people = list(Member.objects.filter(sector__name="医药卫生界").order_by("pk"))

    drive = _campaign(
        "special-dues-2020",
        kind=Campaign.Kind.DONATION,
        title="缴纳“特殊社费” 支援疫情防控",
        summary="社市委倡议全市社员缴纳“特殊社费”、协调资源捐赠物资，支援全市疫情防控。",
        call_date=D(2020, 1, 28),
        starts_on=D(2020, 1, 28),
        ends_on=D(2020, 3, 31),
        status=Campaign.Status.CLOSED,
        is_public=True,
        organiser=committee,
    )
    drive.recipients.set([recipients[FUND], recipients[RED_CROSS], recipients[COMMUNITIES]])
    Goal.objects.update_or_create(
        campaign=drive, metric=Goal.Metric.AMOUNT, defaults={"target": Decimal("80000")}
    )
    GoodsLine.objects.filter(donation__campaign=drive).delete()
    drive.donations.all().delete()
    donors = iter(people * 3)
    day = 0
    for recipient, total, count in MONEY_GIFTS:
        for amount in split(total, count):
            Donation.objects.create(
                campaign=drive,
                form=Donation.Form.MONEY,
                member=next(donors),
                recipient=recipients[recipient],
                amount=amount,
                date=D(2020, 1, 29) + datetime.timedelta(days=day % 30),
                anonymous=day % 9 == 4,
            )
            day += 1
    for recipient, amount in APART_GIFTS:
        Donation.objects.create(
            campaign=drive,
            form=Donation.Form.MONEY,
            member=next(donors),
            recipient=recipients[recipient],
            amount=amount,
            date=D(2020, 2, 10),
        )
    # A pledge not yet received: shown apart, never counted.
    Donation.objects.create(
        campaign=drive,
        form=Donation.Form.MONEY,
        member=next(donors),
        recipient=recipients[RED_CROSS],
        amount=Decimal("600"),
        date=D(2020, 3, 20),
        state=Donation.State.PLEDGED,
    )
    Donation.objects.create(
        campaign=drive,
        form=Donation.Form.MONEY,
        channel=Donation.Channel.FACILITATED,
        member=member("刘保"),
        donor_name="社员所在企业",
        recipient=recipients[RED_CROSS],
        amount=FACILITATED_MONEY,
        date=D(2020, 2, 6),
    )
    community_gift = Donation.objects.create(
        campaign=drive,
        form=Donation.Form.GOODS,
        member=member("侍羽"),
        recipient=recipients[COMMUNITIES],
        date=D(2020, 2, 12),
    )
    facilitated_goods = Donation.objects.create(
        campaign=drive,
        form=Donation.Form.GOODS,
        channel=Donation.Channel.FACILITATED,
        member=member("张维亮"),
        donor_name="社员所在企业",
        recipient=recipients[COMMUNITIES],
        date=D(2020, 2, 8),
    )
    for donation, lines in (
        (community_gift, COMMUNITY_GOODS),
        (facilitated_goods, FACILITATED_GOODS),
    ):
        for item, quantity, unit, value in lines:
            GoodsLine.objects.create(
                donation=donation,
                item=item,
                quantity=quantity,
                unit=unit,
                estimated_value=Decimal(value),
            )

    blood = _campaign(
        "blood-drive-2020",
        kind=Campaign.Kind.BLOOD,
        title="无偿献血 挽救生命",
        summary="全市血液采集量不及紧急需求的三分之一，社市委倡议社员到市中心血站无偿献血。",
        call_date=D(2020, 2, 5),
        starts_on=D(2020, 2, 5),
        ends_on=D(2020, 3, 15),
        status=Campaign.Status.CLOSED,
        is_public=True,
        organiser=committee,
    )
    Goal.objects.update_or_create(
        campaign=blood, metric=Goal.Metric.DONORS, defaults={"target": Decimal("10")}
    )
    blood.blood_donations.all().delete()
    for index, (name, ml) in enumerate(zip(BLOOD_DONORS, BLOOD_ML, strict=True)):
        BloodDonation.objects.create(
            campaign=blood,
            member=member(name),
            date=D(2020, 2, 6) + datetime.timedelta(days=index),
            station="连云港市中心血站",
            volume_ml=ml,
        )

    volunteers = _campaign(
        "joint-prevention-2020",
        kind=Campaign.Kind.VOLUNTEER,
        title="下沉基层 联防联控",
        summary="社员下沉到社区和乡镇一线，严守卡口、逐户排查、科普宣传。",
        call_date=D(2020, 1, 25),
        starts_on=D(2020, 1, 25),
        ends_on=D(2020, 3, 31),
        status=Campaign.Status.CLOSED,
        is_public=True,
        organiser=committee,
        duty_words=STORY_DUTIES,
    )
    Goal.objects.update_or_create(
        campaign=volunteers, metric=Goal.Metric.PEOPLE_POSTED, defaults={"target": Decimal("10")}
    )
    Assignment.objects.filter(posting__campaign=volunteers).delete()
    volunteers.postings.all().delete()
    extra = iter(EXTRA_VOLUNTEERS)
    for place, kind, district, duties, first_day, needed, named in POSTINGS:
        posting = Posting.objects.create(
            campaign=volunteers,
            place=place,
            place_kind=kind,
            district=district,
            duties=duties,
            starts_on=first_day,
            ends_on=D(2020, 3, 31),
            people_needed=needed,
        )
        posted = named + [(next(extra), first_day) for _ in range(needed - len(named) - 1)]
        for name, start in posted:
            end = start + datetime.timedelta(days=20)
            Assignment.objects.create(
                posting=posting,
                member=member(name),
                starts_on=start,
                ends_on=end,
                days_served=21,
                hours_logged=Decimal("168"),
                confirmed=True,
            )
