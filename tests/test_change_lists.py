"""Change lists readable at 1280 px and fast (issue 17; issue 15 target 8): few columns, long texts
on one line with the full text on hover, amounts right-aligned as ¥1,234.50, no query per row,
Django's checkbox written without the template engine."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin, helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Donation, GoodsLine
from portal.admin import DirectActionForm
from suggestions.models import Suggestion
from tests.factories import (
    AssignmentFactory,
    DonationFactory,
    MemberFactory,
    SuggestionFactory,
)

LONG_TITLE = "关于进一步加强农村地区疫情防控宣传教育和基层医疗卫生机构能力建设的建议<第二稿>&附件"


def columns(response) -> list[str]:
    """The columns after the checkbox."""
    return re.findall(r'<th scope="col" class="[^"]*column-(\w+)', response.content.decode())


def cells(response, column) -> list[str]:
    return re.findall(
        rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', response.content.decode(), re.S
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/admin/campaigns/donation/",
            ["date", "donor", "recipient", "amount_shown", "state"],
        ),
        (
            "/admin/members/member/",
            [
                "name",
                "branch",
                "sector",
                "workplace_shown",
                "status",
                "listing_consent",
            ],
        ),
        (
            "/admin/suggestions/suggestion/",
            [
                "number",
                "title_shown",
                "branch",
                "state",
                "received_on",
                "bodies",
            ],
        ),
        (
            "/admin/campaigns/assignment/",
            [
                "member",
                "member__branch",
                "place",
                "dates",
                "hours_logged",
                "confirmed",
            ],
        ),
    ],
)
def test_change_list_columns_fit_1280(client, alice, zhao_li, url, expected):
    DonationFactory(member=zhao_li)
    SuggestionFactory(branch=zhao_li.branch, authors=[zhao_li])
    AssignmentFactory(member=zhao_li)
    client.force_login(alice)

    response = client.get(url)

    assert columns(response) == expected


def test_donation_list_amount_is_yuan_with_thousands_and_cents(client, alice, zhao_li):
    DonationFactory(member=zhao_li, amount=Decimal("12345.5"), date=datetime.date(2020, 2, 2))
    goods = DonationFactory(
        member=zhao_li, form="goods", amount=None, date=datetime.date(2020, 2, 1)
    )
    GoodsLine.objects.create(donation=goods, item="口罩", quantity=1000, unit="只")
    client.force_login(alice)

    response = client.get("/admin/campaigns/donation/")

    assert cells(response, "amount_shown") == ["¥12,345.50", "物资"]


def test_suggestion_list_long_title_on_one_line_with_full_text_on_hover(client, alice, hospital):
    suggestion = SuggestionFactory(branch=hospital, title=LONG_TITLE)
    client.force_login(alice)

    response = client.get("/admin/suggestions/suggestion/")

    escaped = LONG_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert cells(response, "title_shown") == [
        f'<a href="/admin/suggestions/suggestion/{suggestion.pk}/change/">'
        f'<span class="one-line" title="{escaped}">{escaped}</span></a>'
    ]


def test_change_list_checkbox_is_djangos_own(alice, hospital):
    suggestion = SuggestionFactory(branch=hospital, title=LONG_TITLE)
    model_admin = admin.site.get_model_admin(Suggestion)

    ours = model_admin.action_checkbox(suggestion)

    assert ours == ModelAdmin.action_checkbox(model_admin, suggestion)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # Each: the session, the user, their permissions (one query), the branch filter's
        # branches, the count (the table's estimate above 10,000 rows), the rows, then:
        ("/admin/members/member/", 7),  # the sectors' filter
        ("/admin/suggestions/suggestion/", 8),  # the calls (both filters), the years' span
        ("/admin/campaigns/donation/", 7),  # the campaigns' filter
    ],
)
def test_change_list_queries_do_not_grow_with_rows(client, alice, hospital, zhao_li, url, queries):
    def add(count):
        for i in range(count):
            member = MemberFactory(branch=hospital)
            DonationFactory(member=member, date=datetime.date(2020, 2, 1 + i))
            SuggestionFactory(branch=hospital, authors=[member])

    client.force_login(alice)
    add(1)
    client.get(url)  # warm the content type cache
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(20)

    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.context["cl"].result_count > 20
    assert len(large) == len(small) == queries, [q["sql"][:80] for q in large]


def test_change_list_offers_no_filter_counts(client, alice):
    client.force_login(alice)

    response = client.get("/admin/campaigns/donation/?_facets=True")

    assert response.context["cl"].add_facets is False


def test_donation_list_amount_sorts_by_amount(client, alice, zhao_li):
    for amount in ("300", "20", "1000"):
        DonationFactory(member=zhao_li, amount=Decimal(amount))
    client.force_login(alice)
    header = re.search(
        r'class="[^"]*column-amount_shown[^"]*">.*?<a [^>]*href="(\?o=[^"]+)"',
        client.get("/admin/campaigns/donation/").content.decode(),
        re.S,
    )

    response = client.get("/admin/campaigns/donation/" + header[1])

    assert [d.amount for d in response.context["cl"].result_list] == [
        Decimal(a) for a in ("20", "300", "1000")
    ]
    assert Donation.objects.count() == 3


@pytest.mark.parametrize("data", [None, {"action": "mark_received"}], ids=["new", "sent back"])
def test_change_list_actions_menu_is_djangos_own(data):
    choices = [("", "---------"), ("mark_received", "将所选捐赠标记为已收到 <&>")]
    forms = [DirectActionForm(data, auto_id=None), helpers.ActionForm(data, auto_id=None)]
    for form in forms:
        form.fields["action"].choices = choices

    ours, djangos = (str(form["action"]) for form in forms)

    # The same elements and text; Django's template puts line breaks between them.
    assert ours == re.sub(r">\s+<", "><", djangos)
