"""Public traffic while staff write: no errors, and afterwards every total on the public pages
equals a recount from the records (so no cache served a stale figure).

Two minutes by default (E2E_LOAD_SECONDS): readers fetch the public pages from the live server in
threads while writers add gifts and withdraw and give consent, as staff and members would.
"""

import os
import re
import threading
import time
import urllib.request
from decimal import Decimal

import pytest
from django.db import connection

from campaigns.models import Campaign, Donation, Recipient
from members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = float(os.environ.get("E2E_LOAD_SECONDS", "120"))
READERS, WRITERS = 6, 2


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our live server)
        return response.status, response.read().decode()


def members_own(page: str) -> Decimal:
    text = re.sub(r"<[^>]+>", " ", page)
    figure = re.search(r"社员捐款\s*([\d,]+(?:\.\d+)?) 元", text).group(1)
    return Decimal(figure.replace(",", ""))


def recount(campaign: Campaign) -> Decimal:
    """Members' own money counted afresh in SQL, apart from the code the page uses: received
    money given directly by a member to a body the campaign collects for."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(SUM(d.amount), 0) FROM campaigns_donation d
            JOIN campaigns_campaign_recipients r
              ON r.campaign_id = d.campaign_id AND r.recipient_id = d.recipient_id
            WHERE d.campaign_id = %s AND d.state = 'received' AND d.form = 'money'
              AND d.channel = 'direct' AND d.member_id IS NOT NULL
            """,
            [campaign.pk],
        )
        return cursor.fetchone()[0]


def test_public_pages_stay_up_and_exact_while_staff_write(story, live_server):
    campaign = Campaign.objects.get(slug="special-dues-2020")
    red_cross = Recipient.objects.get(name="连云港市红十字会")
    members = list(Member.objects.filter(sector__name="医药卫生界").order_by("pk")[:20])
    urls = [
        f"{live_server.url}/",
        f"{live_server.url}/campaigns/{campaign.slug}/",
        f"{live_server.url}/honour-roll/",
        f"{live_server.url}/suggestions/",
    ]
    stop = time.monotonic() + SECONDS
    errors, reads, writes = [], [0], [0]
    lock = threading.Lock()

    def reader(offset):
        try:
            index = offset
            while time.monotonic() < stop:
                status, _body = fetch(urls[index % len(urls)])
                with lock:
                    reads[0] += 1
                    if status != 200:
                        errors.append((urls[index % len(urls)], status))
                index += 1
        except Exception as error:  # any failure of a read is what this test is about
            errors.append(("read", repr(error)))

    def writer(offset):
        try:
            index = offset
            while time.monotonic() < stop:
                member = members[index % len(members)]
                Donation.objects.create(
                    campaign=campaign,
                    form=Donation.Form.MONEY,
                    member=member,
                    recipient=red_cross,
                    amount=Decimal("1.01"),
                    date=campaign.starts_on,
                )
                member.listing_consent = not member.listing_consent
                member.save()
                with lock:
                    writes[0] += 1
                index += WRITERS
                time.sleep(0.05)
        except Exception as error:
            errors.append(("write", repr(error)))
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    threads += [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    _status, page = fetch(urls[1])
    assert errors == []
    assert reads[0] > 50 and writes[0] > 10
    assert (
        members_own(page) == recount(campaign) == Decimal("86556.00") + Decimal("1.01") * writes[0]
    )
