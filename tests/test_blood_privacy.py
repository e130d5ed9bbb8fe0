"""Blood figures cannot be worked out by differences (issue 13, item 10).

A visitor who keeps the public pages from before and after a donation must not read that one
person's volume, day or component off the difference. The public figures of a blood drive (its
volume, its goals on the home page, its chart and table, its donors' names on its page and on the
honour roll) therefore move only in steps of at least five new donors, in the order the
donations were recorded (docs/decisions.md, "Blood figures move in steps"). Counts of donors and
donations tell no one's donation and move at once.
"""

import datetime
import re
from decimal import Decimal

import pytest

from campaigns.models import Goal
from campaigns.progress import campaign_progress
from tests.factories import BloodDonationFactory, CampaignFactory, MemberFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_WEEK = D(2020, 2, 3)


@pytest.fixture
def drive():
    campaign = CampaignFactory(kind="blood", title="无偿献血", slug="blood-drive")
    Goal.objects.create(campaign=campaign, metric="blood_ml", target=Decimal("10000"))
    return campaign


def donor(campaign, name, ml=400, day=FIRST_WEEK, **fields):
    return BloodDonationFactory(
        campaign=campaign, member=MemberFactory(name=name), volume_ml=ml, date=day, **fields
    )


def first_five(campaign):
    """Five donors in the week of 3 February 2020, 2,000 ml in all."""
    for number, day in enumerate(range(3, 8)):
        donor(campaign, f"首批{number}", day=D(2020, 2, day))


def blood_view(client, campaign) -> dict:
    """What a visitor can read of the drive's donations, page by page."""
    page = client.get(f"/campaigns/{campaign.slug}/")
    content = page.content.decode()
    home = client.get("/").content.decode()
    roll = client.get("/honour-roll/", {"category": "blood_donors", "campaign": campaign.pk})
    return {
        "volume": re.findall(r"献血量 [\d,]+ 毫升", text(page)),
        "chart": re.findall(r'<figure class="campaign-chart">.*?</figure>', content, re.S),
        "names": re.findall(r'<span class="participant-name">([^<]*)</span>', content),
        "goals": re.findall(r'campaign-goal-figure">([^<]*)<|<progress[^>]*value="(\d+)"', home),
        "roll": re.findall(r'<span class="participant-name">([^<]*)</span>', roll.content.decode()),
    }


def test_one_new_donation_changes_nothing_a_visitor_can_read_of_blood(client, drive):
    first_five(drive)
    before = blood_view(client, drive)

    donor(drive, "新献血者", ml=300, day=D(2020, 2, 20))
    after = blood_view(client, drive)

    assert after == before
    assert before["volume"] == ["献血量 2,000 毫升"]
    assert before["names"] == before["roll"] == ["首批0", "首批1", "首批2", "首批3", "首批4"]


def test_blood_figures_move_only_in_steps_of_five_new_donors(client, drive):
    first_five(drive)
    seen = [blood_view(client, drive)]
    volumes = [200, 300, 400, 250, 500]
    for number, ml in enumerate(volumes):
        component = "platelets" if ml in (250, 500) else "whole_blood"
        donor(drive, f"次批{number}", ml=ml, day=D(2020, 2, 17 + number), component=component)
        seen.append(blood_view(client, drive))

    # The four donors before the fifth move nothing; the fifth moves all five at once.
    assert seen[1:5] == [seen[0]] * 4
    assert seen[5]["volume"] == [f"献血量 {2000 + sum(volumes):,} 毫升"]
    new_names = set(seen[5]["names"]) - set(seen[0]["names"])
    assert new_names == {f"次批{number}" for number in range(5)}
    assert sorted(seen[5]["roll"]) == sorted(seen[5]["names"])


def test_pledge_turned_into_a_donation_counts_when_it_was_recorded_as_one(client, drive):
    pledge = donor(drive, "认献者", ml=300, state="pledged")
    first_five(drive)
    before = blood_view(client, drive)

    pledge.state = "donated"
    pledge.save()
    after = blood_view(client, drive)

    # The pledge was recorded first, but its donation after the five: it waits for the next step.
    assert after == before
    assert "认献者" not in after["names"]


def test_backdated_donation_waits_for_the_next_step(client, drive):
    first_five(drive)
    before = blood_view(client, drive)

    donor(drive, "补录者", ml=200, day=D(2020, 1, 29))
    after = blood_view(client, drive)

    assert after == before


def test_later_donation_of_a_named_donor_waits_for_the_next_step(client, drive):
    first_five(drive)
    before = blood_view(client, drive)

    again = drive.blood_donations.order_by("pk").first().member
    BloodDonationFactory(
        campaign=drive, member=again, volume_ml=500, component="platelets", date=D(2020, 3, 2)
    )
    after = blood_view(client, drive)

    assert after == before


def test_blood_page_counts_every_donor_at_once_and_says_who_waits(client, drive):
    first_five(drive)
    donor(drive, "新献血者", ml=300, day=D(2020, 2, 20))

    page = text(client.get("/campaigns/blood-drive/"))

    assert "献血人数 6 献血人次 6 献血量 2,000 毫升" in page
    assert "另有 1 名社员献血尚未计入献血量、图表和名单" in page


def test_first_four_blood_donors_are_counted_but_not_named(client, drive):
    for number in range(4):
        donor(drive, f"献血者{number}")

    view = blood_view(client, drive)
    page = text(client.get("/campaigns/blood-drive/"))

    assert (view["volume"], view["names"], view["roll"]) == ([], [], [])
    assert "献血人数 4 献血人次 4" in page


def test_blood_chart_counts_donations_per_week():
    campaign = CampaignFactory(kind="blood")
    days = [D(2020, 2, 3), D(2020, 2, 5), D(2020, 2, 9), D(2020, 2, 10), D(2020, 2, 24)]
    for day in days:
        BloodDonationFactory(campaign=campaign, date=day)

    series = campaign_progress(campaign)["series"]

    # Weeks start on Monday: 3 February (three donations), 10 February (one), 24 February (one).
    assert series == [
        {"date": D(2020, 2, 3), "value": 3, "cumulative": 3},
        {"date": D(2020, 2, 10), "value": 1, "cumulative": 4},
        {"date": D(2020, 2, 24), "value": 1, "cumulative": 5},
    ]


def test_blood_page_lists_its_figures_by_week_not_by_day(client, drive):
    first_five(drive)

    page = text(client.get("/campaigns/blood-drive/"))

    assert "按周数据 周起始日 当周 累计 2020年2月3日 5 5" in page
    assert "按日数据" not in page
