"""A campaign page worth forwarding: its share pictures (drawn on the server from the public
figures), the meta tags that carry them, the share block with the link and a QR code, and the
page's address on paper."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from campaigns import share
from campaigns.models import Goal
from tests.factories import (
    BloodDonationFactory,
    BranchFactory,
    CampaignFactory,
    DonationFactory,
    RecipientFactory,
)
from tests.pages import shows

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive():
    campaign = CampaignFactory(
        title="特殊社费",
        slug="dues",
        organiser=BranchFactory(name="九三学社连云港市委"),
        ends_on=datetime.date(2020, 3, 31),
    )
    campaign.recipients.add(RecipientFactory())
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal("80000"))
    DonationFactory(campaign=campaign, recipient=campaign.recipients.get(), amount=Decimal("86556"))
    return campaign


def picture(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize(("variant", "size"), [("wide", (1200, 630)), ("square", (600, 600))])
def test_share_image_is_a_png_of_its_size(client, drive, variant, size):
    response = client.get(f"/campaigns/dues/share-{variant}.png")

    image = picture(response)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert (image.format, image.size) == ("PNG", size)


def test_share_image_says_the_campaigns_figures(client, drive):
    image = picture(client.get("/campaigns/dues/share-wide.png"))

    assert image.text["Title"] == "特殊社费"
    assert image.text["Description"].split("\n") == [
        "九三学社连云港市委",
        "捐赠活动",
        "特殊社费",
        "已筹",
        "8.66万元",
        "目标 8万元 · 已完成 108%",
        "进行中 · 2020年1月28日 至 2020年3月31日",
    ]


def test_share_image_draws_its_words(drive):
    words = share.card(drive, {"money": {"members_own": Decimal("86556")}, "goals": []})
    other = share.Card(**{**words.__dict__, "figure": "1元"})

    drawn, with_other_figure = (
        Image.open(io.BytesIO(share.card_png(card, "wide"))) for card in (words, other)
    )
    blank = Image.new("RGB", (1200, 630), "white")

    # The figure's band (below the title, above the goal) is drawn, and drawn from the figure.
    band = (64, 260, 1136, 380)
    assert drawn.crop(band).tobytes() != blank.crop(band).tobytes()
    assert drawn.crop(band).tobytes() != with_other_figure.crop(band).tobytes()


def test_share_image_in_english_for_an_english_visitor(client, drive):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    image = picture(client.get("/campaigns/dues/share-square.png"))

    assert image.text["Description"].split("\n")[3:6] == [
        "Raised",
        "¥86,556",
        "Goal ¥80,000 · 108% reached",
    ]


def test_blood_share_image_gives_counts_only(client):
    drive = CampaignFactory(kind="blood", slug="blood", title="献血")
    Goal.objects.create(campaign=drive, metric="blood_ml", target=Decimal("4000"))
    for _ in range(4):
        BloodDonationFactory(campaign=drive, volume_ml=300)

    description = picture(client.get("/campaigns/blood/share-wide.png")).text["Description"]

    assert description.split("\n")[3:5] == ["献血人数", "4"]
    assert not shows(description, "1,200") and not shows(description, "1200")


def test_share_image_follows_the_figures_and_is_cached_between(client, drive):
    first = client.get("/campaigns/dues/share-wide.png").content
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/campaigns/dues/share-wide.png").content
    warm_queries = len(warm)  # now: the next request empties the log it reads
    DonationFactory(campaign=drive, recipient=drive.recipients.get(), amount=Decimal("20000"))

    after = picture(client.get("/campaigns/dues/share-wide.png"))

    # Warm: the campaign with its goals and the data version; the picture is kept.
    assert (again == first, warm_queries) == (True, 3)
    assert after.text["Description"].split("\n")[4] == "10.66万元"


@pytest.mark.parametrize(("status", "is_public"), [("draft", True), ("open", False)])
def test_share_image_of_unpublished_campaign_is_404_for_visitors(client, status, is_public):
    CampaignFactory(slug="inside", status=status, is_public=is_public)

    assert client.get("/campaigns/inside/share-wide.png").status_code == 404


def test_share_image_of_unknown_variant_is_404(client, drive):
    assert client.get("/campaigns/dues/share-huge.png").status_code == 404


def test_page_carries_its_share_pictures_in_meta_tags(client, drive):
    content = client.get("/campaigns/dues/").content.decode()

    wide = re.search(r'<meta property="og:image" content="([^"]+)">', content).group(1)
    square = re.search(r'<meta itemprop="image" content="([^"]+)">', content).group(1)
    address = r"http://testserver/campaigns/dues/share-{}\.png\?v=[0-9a-f]{{10}}"
    assert re.fullmatch(address.format("wide"), wide)
    assert re.fullmatch(address.format("square"), square)
    assert '<meta property="og:image:width" content="1200">' in content
    assert '<meta property="og:image:height" content="630">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert client.get(wide.removeprefix("http://testserver")).status_code == 200


def test_share_picture_address_moves_with_the_figures(client, drive):
    def address():
        content = client.get("/campaigns/dues/").content.decode()
        return re.search(r'<meta property="og:image" content="([^"]+)">', content).group(1)

    before = address()
    DonationFactory(campaign=drive, recipient=drive.recipients.get(), amount=Decimal("1"))

    assert address() != before


def test_share_block_has_the_link_and_its_qr_code(client, drive):
    content = client.get("/campaigns/dues/").content.decode()

    url = "http://testserver/campaigns/dues/"
    assert f'<input id="share-link" class="form-control share-link" type="text" value="{url}"' in (
        content
    )
    assert segno.make(url, error="m").png_data_uri(scale=6, border=2) in content


def test_printed_page_ends_with_its_address(client, drive):
    content = client.get("/campaigns/dues/?page=1").content.decode()

    assert '<p class="print-address">http://testserver/campaigns/dues/</p>' in content
