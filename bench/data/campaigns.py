"""Synthetic campaigns at national scale: campaigns with goals and recipients, donations with
goods lines, blood donations, postings and assignments.

Run after bench/data/members.py (members, branches and enterprises
are ids 1..n). Records spread over campaigns of their kind with Zipf weights, so a few campaigns
hold most of them, as in reality; within a campaign most records come early in the drive. Every
database rule holds by construction: one donor per gift, allowed blood volumes, one blood donation
per member, day and component, no overlapping assignments of a member, dates inside the campaign,
receipt numbers unique per recipient.
"""

import datetime
import math
from decimal import Decimal

from bench.data.generation import Run, Size, allocate, numbered, zipf_weights
from bench.data.members import CITIES, ROOT_ID
from campaigns.models import (
    ALLOWED_ML,
    DEFAULT_DUTY_WORDS,
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
    Recipient,
)

SIZES = {
    "campaigns": Size(
        50, 6, "campaigns (three in five donation drives, the rest blood and volunteer drives)"
    ),
    "donations": Size(2_000_000, 20, "donations (about one in eight of goods, with 1–3 lines)"),
    "blood_donations": Size(300_000, 10, "blood donations"),
    "postings": Size(2_000, 5, "volunteer postings"),
    "assignments": Size(200_000, 10, "volunteer assignments"),
}
MODELS = [Recipient, Campaign, Goal, Donation, GoodsLine, BloodDonation, Posting, Assignment]

# No date depends on the day the data is generated: campaigns run from 2016 into 2025.
FIRST_START = datetime.date(2016, 1, 1)
# Campaigns last at most 180 days, so every record falls before 2026.
START_DAYS = (datetime.date(2025, 6, 30) - FIRST_START).days
THEMES = [
    "抗击疫情",
    "抗洪救灾",
    "助学圆梦",
    "精准扶贫",
    "抗震救灾",
    "关爱老人",
    "冬季送温暖",
    "科普下乡",
]
KIND_WORDS = {"donation": "爱心捐赠", "blood": "无偿献血", "volunteer": "志愿服务"}
RECIPIENTS = (
    [(f"{city}市红十字会", Recipient.Kind.RED_CROSS) for city in CITIES[:12]]
    + [(f"{theme}专项基金", Recipient.Kind.FUND) for theme in THEMES[:6]]
    + [(f"{city}市慈善总会", Recipient.Kind.CHARITY) for city in CITIES[12:18]]
    + [(f"{city}市基层社区", Recipient.Kind.COMMUNITY) for city in CITIES[18:24]]
)
OUTSIDE_DONORS = ["爱心人士", "热心市民", "匿名校友", "社员家属", "退休教师", "个体工商户"]
AMOUNTS = [Decimal(a) for a in ("50", "100", "200", "300", "500", "1000", "2000", "5000")]
AMOUNT_WEIGHTS = [8, 20, 20, 12, 20, 12, 5, 3]
# (item, unit, estimated value per unit)
GOODS = [
    ("一次性医用外科口罩", "只", 2),
    ("医用手套", "副", 4),
    ("防护服", "套", 80),
    ("消毒液", "箱", 120),
    ("牛奶", "箱", 100),
    ("方便面", "箱", 55),
    ("大米", "袋", 90),
    ("食用油", "桶", 70),
    ("棉被", "床", 150),
    ("图书", "册", 30),
    ("书包", "个", 60),
    ("蔬菜", "斤", 3),
]
DISTRICTS = ["城东区", "城西区", "高新区", "开发区", "江北区", "滨海新区"]
PLACES = [
    ("幸福里社区", "community"),
    ("解放社区", "community"),
    ("东方社区", "community"),
    ("朝阳街道", "street"),
    ("港城街道", "street"),
    ("新华路沿线", "street"),
    ("望海镇", "town"),
    ("清河镇", "town"),
]
DUTIES = DEFAULT_DUTY_WORDS
WHOLE_BLOOD_ML = ALLOWED_ML[BloodDonation.Component.WHOLE_BLOOD]
PLATELETS_ML = ALLOWED_ML[BloodDonation.Component.PLATELETS]


def generate(run: Run) -> None:
    run.copy(Recipient, ["id", "name", "kind"], numbered(RECIPIENTS))
    run.add_creation_history(Recipient, "timestamptz '2015-06-01 09:00+08'")
    campaigns = generate_campaigns(run)
    goal_rows = [
        *generate_donations(run, [c for c in campaigns if c["kind"] == "donation"]),
        *generate_blood_donations(run, [c for c in campaigns if c["kind"] == "blood"]),
        *generate_volunteering(run, [c for c in campaigns if c["kind"] == "volunteer"]),
    ]
    run.copy(Goal, ["id", "campaign_id", "metric", "target"], numbered(goal_rows))
    run.add_creation_history(
        Goal,
        "(SELECT c.call_date FROM campaigns_campaign AS c WHERE c.id = record.campaign_id)"
        " + time '09:00'",
    )


def record_day(rng, campaign) -> datetime.date:
    """A day inside the campaign, most of them early in the drive."""
    return campaign["starts_on"] + datetime.timedelta(
        days=int(campaign["days"] * rng.betavariate(1.2, 3))
    )


def generate_campaigns(run: Run) -> list[dict]:
    """Campaigns of each kind, ranked by size (rank 0 the largest); ids follow their start."""
    rng = run.random("campaign")
    n = run.sizes["campaigns"]
    if n < 3:
        raise ValueError("Give at least 3 campaigns: one of each kind.")
    blood = volunteer = max(1, round(n * 0.2))
    kinds = {"donation": n - blood - volunteer, "blood": blood, "volunteer": volunteer}
    campaigns = []
    for kind, count in kinds.items():
        for rank, weight in enumerate(zipf_weights(count)):
            starts_on = FIRST_START + datetime.timedelta(days=rng.randrange(START_DAYS))
            campaigns.append(
                {
                    "kind": kind,
                    "rank": rank,
                    "weight": weight,
                    "starts_on": starts_on,
                    "days": rng.randrange(30, 181),
                    "theme": rng.choice(THEMES),
                    # The smallest tenth of the donation drives are drafts nobody outside sees.
                    "draft": kind == "donation" and rank >= count - count // 10,
                    "open": rng.random() < 0.1,
                }
            )
    campaigns.sort(key=lambda c: (c["starts_on"], c["kind"], c["rank"]))
    for pk, campaign in enumerate(campaigns, start=1):
        campaign["id"] = pk
        end = campaign["starts_on"] + datetime.timedelta(days=campaign["days"])
        # An open drive has no end date yet; its records still fall within ``days``.
        campaign["ends_on"] = None if campaign["open"] else end

    def rows():
        for c in campaigns:
            status = "draft" if c["draft"] else "open" if c["open"] else "closed"
            year = c["starts_on"].year
            yield (
                c["id"],
                c["kind"],
                f"{year}年{c['theme']}{KIND_WORDS[c['kind']]}",
                f"{c['kind']}-{year}-{c['id']:03d}",
                f"{year}年全社{c['theme']}{KIND_WORDS[c['kind']]}活动。",
                "",
                c["starts_on"] - datetime.timedelta(days=rng.randrange(6)),
                c["starts_on"],
                c["ends_on"],
                status,
                not c["draft"],
                c["rank"] % 3 == 0,  # so the largest drive shows amounts: the costlier page
                ROOT_ID if rng.random() < 0.8 else rng.randrange(1, run.sizes["branches"] + 1),
                datetime.datetime.combine(
                    c["starts_on"] + datetime.timedelta(days=c["days"] + 1),
                    datetime.time(18),
                    tzinfo=datetime.UTC,
                ),
                DEFAULT_DUTY_WORDS,
            )

    columns = [
        "id",
        "kind",
        "title",
        "slug",
        "summary",
        "text",
        "call_date",
        "starts_on",
        "ends_on",
        "status",
        "is_public",
        "shows_amounts",
        "organiser_id",
        "updated_at",
        "duty_words",
    ]
    run.copy(Campaign, columns, rows())
    run.add_creation_history(Campaign, "record.call_date + time '09:00'")

    # Each donation drive collects for one to three bodies.
    for c in campaigns:
        c["recipients"] = (
            sorted(rng.sample(range(1, len(RECIPIENTS) + 1), rng.choice((1, 2, 2, 3))))
            if c["kind"] == "donation"
            else []
        )
    run.copy(
        Campaign.recipients.through,
        ["id", "campaign_id", "recipient_id"],
        numbered((c["id"], r) for c in campaigns for r in c["recipients"]),
    )
    return campaigns


def goals(run: Run, campaigns: list[dict], counts: list[int], metrics: dict) -> list[tuple]:
    """Goals sized from the records each campaign gets, so progress bars land anywhere from
    half-way to done. ``metrics``: {metric: expected figure for a number of records}.
    Returns (campaign id, metric, target) rows."""
    rng = run.random(f"goal:{campaigns[0]['kind']}")
    rows = []
    for campaign, count in zip(campaigns, counts, strict=True):
        for metric, expected_for in metrics.items():
            expected = expected_for(max(1, count)) * rng.uniform(0.7, 2.0)
            rows.append((campaign["id"], metric, Decimal(math.ceil(expected / 10) * 10)))
    return rows


def generate_donations(run: Run, campaigns: list[dict]) -> list[tuple]:
    rng = run.random("donation")
    members, enterprises = run.sizes["members"], run.sizes["enterprises"]
    recipients = range(1, len(RECIPIENTS) + 1)
    counts = allocate(run.sizes["donations"], [c["weight"] for c in campaigns])
    goods_ids = []

    def donor(channel):
        """(member, enterprise, outside donor): exactly one donor, as the database requires."""
        roll = rng.random()
        if channel == "facilitated":
            member = rng.randint(1, members)
            if roll < 0.6:
                return member, rng.randint(1, enterprises), ""
            return member, None, rng.choice(OUTSIDE_DONORS)
        if roll < 0.9:
            return rng.randint(1, members), None, ""
        if roll < 0.95:
            return None, rng.randint(1, enterprises), ""
        return None, None, rng.choice(OUTSIDE_DONORS)

    def rows():
        pk = 0
        for campaign, count in zip(campaigns, counts, strict=True):
            for day in sorted(record_day(rng, campaign) for _ in range(count)):
                pk += 1
                form = "goods" if rng.random() < 0.12 else "money"
                channel = "facilitated" if rng.random() < 0.04 else "direct"
                amount = None
                if form == "money":
                    amount = rng.choices(AMOUNTS, AMOUNT_WEIGHTS)[0]
                    if channel == "facilitated":
                        amount *= 100
                else:
                    goods_ids.append(pk)
                recipient = (
                    rng.choice(campaign["recipients"])
                    if rng.random() < 0.9
                    else rng.choice(recipients)
                )
                yield (
                    pk,
                    campaign["id"],
                    form,
                    channel,
                    *donor(channel),
                    recipient,
                    amount,
                    rng.random() < 0.04,
                    # Unique per recipient because the id is unique.
                    f"{recipient:02d}-{pk:08d}" if rng.random() < 0.75 else "",
                    day,
                    "pledged" if rng.random() < 0.06 else "received",
                )

    columns = [
        "id",
        "campaign_id",
        "form",
        "channel",
        "member_id",
        "enterprise_id",
        "donor_name",
        "recipient_id",
        "amount",
        "anonymous",
        "receipt_no",
        "date",
        "state",
    ]
    run.copy(Donation, columns, rows())
    run.add_creation_history(
        Donation, "record.date + time '09:00' + (record.id % 600) * '1 min'::interval"
    )
    donors = {"amount": lambda n: n * 500, "donors": lambda n: min(n, members) * 0.6}
    goal_rows = goals(run, campaigns, counts, {**donors, "donations": lambda n: n})

    rng = run.random("goodsline")

    def lines():
        pk = 0
        for donation_id in goods_ids:
            for item, unit, value in rng.sample(GOODS, rng.choice((1, 1, 2, 3))):
                pk += 1
                quantity = rng.randint(1, 500)
                estimated = quantity * value if rng.random() < 0.9 else 0
                yield pk, donation_id, item, quantity, unit, estimated

    columns = ["id", "donation_id", "item", "quantity", "unit", "estimated_value"]
    run.copy(GoodsLine, columns, lines())
    run.add_creation_history(
        GoodsLine,
        "(SELECT d.date FROM campaigns_donation AS d WHERE d.id = record.donation_id)"
        " + time '09:00'",
    )
    return goal_rows


def generate_blood_donations(run: Run, campaigns: list[dict]) -> list[tuple]:
    rng = run.random("blood")
    members = run.sizes["members"]
    counts = allocate(run.sizes["blood_donations"], [c["weight"] for c in campaigns])
    taken = set()  # (member, day, component): the database allows one of each

    def rows():
        pk = 0
        for campaign, count in zip(campaigns, counts, strict=True):
            for day in sorted(record_day(rng, campaign) for _ in range(count)):
                pk += 1
                if rng.random() < 0.1:
                    component, volume = "platelets", rng.choice(PLATELETS_ML)
                else:
                    component = "whole_blood"
                    volume = rng.choices(WHOLE_BLOOD_ML, (1, 2, 4))[0]
                member = rng.randint(1, members)
                while (member, day, component) in taken:
                    member = rng.randint(1, members)
                taken.add((member, day, component))
                yield (
                    pk,
                    campaign["id"],
                    member,
                    day,
                    f"{rng.choice(CITIES)}市中心血站",
                    volume,
                    component,
                    "pledged" if rng.random() < 0.05 else "donated",
                )

    columns = [
        "id",
        "campaign_id",
        "member_id",
        "date",
        "station",
        "volume_ml",
        "component",
        "state",
    ]
    run.copy(BloodDonation, columns, rows())
    run.add_creation_history(BloodDonation, "record.date + time '10:00'")
    donors = {"donors": lambda n: min(n, members) * 0.95, "blood_ml": lambda n: n * 330}
    return goals(run, campaigns, counts, donors)


def generate_volunteering(run: Run, campaigns: list[dict]) -> list[tuple]:
    rng = run.random("posting")
    weights = [c["weight"] for c in campaigns]
    postings = []
    for campaign, count in zip(campaigns, allocate(run.sizes["postings"], weights), strict=True):
        for _ in range(max(1, count)):
            offset = rng.randrange(max(1, campaign["days"] // 2))
            starts_on = campaign["starts_on"] + datetime.timedelta(days=offset)
            days = rng.randint(7, campaign["days"] - offset)
            postings.append(
                {
                    "id": len(postings) + 1,
                    "campaign": campaign,
                    "starts_on": starts_on,
                    "days": days,
                    # An open posting has no end yet; its assignments still keep to ``days``.
                    "ends_on": None
                    if rng.random() < 0.1
                    else starts_on + datetime.timedelta(days=days - 1),
                }
            )

    def posting_rows():
        for p in postings:
            district = rng.choice(DISTRICTS)
            place, place_kind = rng.choice(PLACES)
            yield (
                p["id"],
                p["campaign"]["id"],
                district + place,
                place_kind,
                district,
                sorted(rng.sample(DUTIES, rng.randint(1, 3))),
                p["starts_on"],
                p["ends_on"],
                rng.randint(2, 60),
            )

    columns = [
        "id",
        "campaign_id",
        "place",
        "place_kind",
        "district",
        "duties",
        "starts_on",
        "ends_on",
        "people_needed",
    ]
    run.copy(Posting, columns, posting_rows())
    run.add_creation_history(Posting, "record.starts_on + time '08:00'")
    assignment_counts = allocate(run.sizes["assignments"], weights)
    people = {"people_posted": lambda n: min(n, run.sizes["members"]) * 0.9}
    generate_assignments(run, campaigns, postings, assignment_counts)
    return goals(run, campaigns, assignment_counts, people)


def generate_assignments(run, campaigns, postings, counts) -> None:
    rng = run.random("assignment")
    members = run.sizes["members"]
    held = {}  # member: [(from, to)] — the database refuses overlapping assignments of a member
    by_campaign = {c["id"]: [p for p in postings if p["campaign"] is c] for c in campaigns}

    def free(member, starts_on, ends_on):
        return all(ends_on < s or starts_on > e for s, e in held.get(member, ()))

    def place(campaign):
        for _ in range(1000):
            posting = rng.choice(by_campaign[campaign["id"]])
            starts_on = posting["starts_on"] + datetime.timedelta(
                days=int(posting["days"] * rng.betavariate(1.2, 3))
            )
            last = posting["starts_on"] + datetime.timedelta(days=posting["days"] - 1)
            ends_on = min(starts_on + datetime.timedelta(days=rng.randint(0, 9)), last)
            member = rng.randint(1, members)
            if free(member, starts_on, ends_on):
                held.setdefault(member, []).append((starts_on, ends_on))
                return posting, member, starts_on, ends_on
        raise ValueError(
            "Cannot place so many assignments without overlaps: give more members or postings."
        )

    def rows():
        pk = 0
        for campaign, count in zip(campaigns, counts, strict=True):
            placed = sorted((place(campaign) for _ in range(count)), key=lambda a: a[2])
            for posting, member, starts_on, ends_on in placed:
                pk += 1
                days = rng.randint(1, (ends_on - starts_on).days + 1)
                yield (
                    pk,
                    posting["id"],
                    member,
                    starts_on,
                    ends_on,
                    days,
                    Decimal(days * rng.choice((2, 3, 4, 6, 8))),
                    rng.random() < 0.7,
                )

    columns = [
        "id",
        "posting_id",
        "member_id",
        "starts_on",
        "ends_on",
        "days_served",
        "hours_logged",
        "confirmed",
    ]
    run.copy(Assignment, columns, rows())
    run.add_creation_history(Assignment, "record.starts_on + time '08:00'")
