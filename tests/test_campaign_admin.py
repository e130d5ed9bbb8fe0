"""The campaigns admin: entry with inlines and history, branch scoping through the member, actions.

bob (clerk of 医院支社 and its group) must never see or act on a record of 寇晶磊 (outsider,
海州支社); carol (leadership) views everything and changes nothing; alice (committee staff)
does all.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Assignment, BloodDonation, Campaign, Donation, Goal, GoodsLine
from campaigns.progress import recipients_apart
from members.models import Enterprise
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    PostingFactory,
    RecipientFactory,
)
from tests.pages import messages_of, text
from tests.test_permission_matrix import BrowserForm

DONATIONS = "/admin/campaigns/donation/"
BLOOD_DONATIONS = "/admin/campaigns/blooddonation/"
ASSIGNMENTS = "/admin/campaigns/assignment/"
POSTINGS = "/admin/campaigns/posting/"
CAMPAIGNS = "/admin/campaigns/campaign/"
MISSING_PK = 987654321
FEB = [datetime.date(2020, 2, day) for day in range(1, 29)]


def member_names(response):
    return [obj.member.name for obj in response.context["cl"].result_list]


def donation_form(campaign, recipient, *, goods=(), **changes):
    """The POST of the donation add form, with ``goods`` as (item, quantity, unit, value) lines."""
    data = {
        "campaign": campaign.pk,
        "date": "2020-02-03",
        "form": "money",
        "amount": "500.00",
        "state": "received",
        "channel": "direct",
        "member": "",
        "enterprise": "",
        "donor_name": "",
        "recipient": recipient.pk,
        "receipt_no": "",
        "goods-TOTAL_FORMS": str(len(goods)),
        "goods-INITIAL_FORMS": "0",
        "goods-MIN_NUM_FORMS": "0",
        "goods-MAX_NUM_FORMS": "1000",
    }
    for i, (item, quantity, unit, value) in enumerate(goods):
        data.update(
            {
                f"goods-{i}-item": item,
                f"goods-{i}-quantity": quantity,
                f"goods-{i}-unit": unit,
                f"goods-{i}-estimated_value": value,
            }
        )
    data.update(changes)
    return data


def run_action(client, url, action, objects):
    return client.post(
        url,
        {
            "action": action,
            "select_across": "0",
            "index": "0",
            "_selected_action": [obj.pk for obj in objects],
        },
    )


@pytest.fixture
def drive(committee):
    return CampaignFactory(title="抗疫募捐", organiser=committee)


@pytest.fixture
def red_cross():
    return RecipientFactory()


@pytest.fixture
def donations(drive, red_cross, zhao_li, group_member, outsider):
    """One donation each, newest first: 赵丽, 陈丹, then the outsider's."""
    return [
        DonationFactory(campaign=drive, recipient=red_cross, member=member, date=date)
        for member, date in [(zhao_li, FEB[4]), (group_member, FEB[3]), (outsider, FEB[2])]
    ]


@pytest.fixture
def blood_donations(committee, zhao_li, group_member, outsider):
    blood_drive = CampaignFactory(kind="blood", organiser=committee)
    return [
        BloodDonationFactory(campaign=blood_drive, member=member, date=date)
        for member, date in [(zhao_li, FEB[8]), (group_member, FEB[7]), (outsider, FEB[6])]
    ]


@pytest.fixture
def posting(committee):
    return PostingFactory(campaign=CampaignFactory(kind="volunteer", organiser=committee))


@pytest.fixture
def assignments(posting, zhao_li, group_member, outsider):
    return [
        AssignmentFactory(posting=posting, member=member, starts_on=day, ends_on=day)
        for member, day in [(zhao_li, FEB[12]), (group_member, FEB[11]), (outsider, FEB[10])]
    ]


# Recording a donation


def test_donation_add_with_goods_lines_saved_with_history_by_user(
    client, alice, drive, red_cross, zhao_li
):
    client.force_login(alice)
    data = donation_form(
        drive,
        red_cross,
        form="goods",
        amount="",
        member=zhao_li.pk,
        goods=[("医用口罩", "2000", "只", "6000.00"), ("防护服", "100", "套", "3800.00")],
    )

    response = client.post(f"{DONATIONS}add/", data)

    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.form, donation.member, donation.amount) == ("goods", zhao_li, None)
    assert [str(line) for line in donation.goods.all()] == ["医用口罩 2000只", "防护服 100套"]
    assert [(h.history_type, h.history_user) for h in donation.history.all()] == [("+", alice)]
    assert [(h.history_type, h.history_user) for h in GoodsLine.history.all()] == [
        ("+", alice),
        ("+", alice),
    ]


def test_donation_add_outside_the_campaign_names_the_field(
    client, alice, drive, red_cross, zhao_li
):
    client.force_login(alice)

    response = client.post(
        f"{DONATIONS}add/", donation_form(drive, red_cross, member=zhao_li.pk, date="2021-01-01")
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["date"]
    assert Donation.objects.count() == 0


def test_donation_add_goods_line_without_unit_is_refused(client, alice, drive, red_cross, zhao_li):
    client.force_login(alice)
    data = donation_form(
        drive, red_cross, form="goods", amount="", member=zhao_li.pk, goods=[("口罩", "5", "", "0")]
    )

    response = client.post(f"{DONATIONS}add/", data)

    assert response.status_code == 200
    assert [
        list(errors) for errors in response.context["inline_admin_formsets"][0].formset.errors
    ] == [["unit"]]
    assert Donation.objects.count() == 0


@pytest.mark.parametrize(
    ("form", "amount", "goods", "message"),
    [
        ("goods", "", [], "请至少列出一项捐赠的物资。"),
        (
            "money",
            "500",
            [("口罩", "5", "只", "0")],
            "钱款捐赠没有物资明细：请删除明细或改选物资。",
        ),
    ],
)
def test_donation_add_goods_need_lines_and_money_none(
    client, alice, drive, red_cross, zhao_li, form, amount, goods, message
):
    client.force_login(alice)
    data = donation_form(drive, red_cross, form=form, amount=amount, member=zhao_li.pk, goods=goods)

    response = client.post(f"{DONATIONS}add/", data)

    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [message]
    assert Donation.objects.count() == 0


def test_donation_add_zero_amount_error_beside_the_amount(client, alice, drive, red_cross, zhao_li):
    client.force_login(alice)

    response = client.post(
        f"{DONATIONS}add/", donation_form(drive, red_cross, member=zhao_li.pk, amount="0")
    )

    assert response.context["adminform"].form.errors == {
        "amount": ["钱款捐赠的金额必须大于零；物资捐赠不填金额。"]
    }


def test_assignment_add_end_before_start_names_the_field_not_a_500(client, alice, zhao_li):
    posting = PostingFactory()
    client.force_login(alice)

    response = client.post(
        f"{ASSIGNMENTS}add/",
        {
            "posting": posting.pk,
            "member": zhao_li.pk,
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-01",
            "days_served": "0",
            "hours_logged": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"ends_on": ["结束日期不能早于开始日期。"]}
    assert Assignment.objects.count() == 0


# Scoping: the change lists


def test_donation_changelist_clerk_sees_own_subtree_only(client, bob, donations):
    client.force_login(bob)

    response = client.get(DONATIONS)

    assert response.status_code == 200
    assert member_names(response) == ["赵丽", "陈丹"]
    assert Donation.objects.filter(member__name="寇晶磊").count() == 1


def test_donation_changelist_staff_sees_every_branch(client, alice, donations):
    client.force_login(alice)

    response = client.get(DONATIONS)

    assert member_names(response) == ["赵丽", "陈丹", "寇晶磊"]


def test_blood_donation_changelist_clerk_sees_own_subtree_only(client, bob, blood_donations):
    client.force_login(bob)

    response = client.get(BLOOD_DONATIONS)

    assert member_names(response) == ["赵丽", "陈丹"]
    assert BloodDonation.objects.filter(member__name="寇晶磊").count() == 1


def test_assignment_changelist_clerk_sees_own_subtree_only(client, bob, assignments):
    client.force_login(bob)

    response = client.get(ASSIGNMENTS)

    assert member_names(response) == ["赵丽", "陈丹"]
    assert Assignment.objects.filter(member__name="寇晶磊").count() == 1


def test_donation_changelist_other_clerk_sees_own_branch_only(client, dave, donations):
    client.force_login(dave)

    response = client.get(DONATIONS)

    assert member_names(response) == ["寇晶磊"]


def test_donation_branch_filter_clerk_cannot_reach_other_branch(client, bob, donations, haizhou):
    client.force_login(bob)

    response = client.get(DONATIONS, {"branch": haizhou.pk})

    assert member_names(response) == []


# Scoping: forms and URLs


def test_donation_add_clerk_forged_member_of_other_branch_refused(
    client, bob, drive, red_cross, outsider
):
    client.force_login(bob)

    response = client.post(f"{DONATIONS}add/", donation_form(drive, red_cross, member=outsider.pk))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["member"]
    assert Donation.objects.count() == 0


def test_donation_add_clerk_without_member_refused(client, bob, drive, red_cross):
    client.force_login(bob)

    response = client.post(f"{DONATIONS}add/", donation_form(drive, red_cross, donor_name="某公司"))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["member"]
    assert Donation.objects.count() == 0


def test_donation_add_clerk_own_member_saved(client, bob, drive, red_cross, group_member):
    client.force_login(bob)

    response = client.post(
        f"{DONATIONS}add/", donation_form(drive, red_cross, member=group_member.pk)
    )

    assert response.status_code == 302
    assert [(d.member, d.amount) for d in Donation.objects.all()] == [
        (group_member, Decimal("500.00"))
    ]


def test_donation_change_url_clerk_cannot_open_other_branch(client, bob, donations):
    client.force_login(bob)
    missing = client.get(f"{DONATIONS}{MISSING_PK}/change/")

    response = client.get(f"{DONATIONS}{donations[2].pk}/change/")

    assert (response.status_code, response["Location"]) == (302, missing["Location"])
    assert client.get(f"{DONATIONS}{donations[0].pk}/change/").status_code == 200


def test_donation_change_clerk_cannot_post_to_other_branch(
    client, bob, donations, drive, red_cross, zhao_li
):
    client.force_login(bob)
    outsiders = donations[2]

    client.post(
        f"{DONATIONS}{outsiders.pk}/change/",
        donation_form(drive, red_cross, member=zhao_li.pk, amount="1.00"),
    )

    outsiders.refresh_from_db()
    assert (outsiders.member.name, outsiders.amount) == ("寇晶磊", Decimal("100.00"))


def test_donation_history_clerk_cannot_open_other_branch(client, bob, donations):
    client.force_login(bob)

    outsiders = client.get(f"{DONATIONS}{donations[2].pk}/history/")
    own = client.get(f"{DONATIONS}{donations[0].pk}/history/")

    assert (outsiders.status_code, own.status_code) == (404, 200)


def test_donation_member_autocomplete_clerk_gets_own_subtree_only(
    client, bob, zhao_li, group_member, outsider
):
    client.force_login(bob)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "campaigns", "model_name": "donation", "field_name": "member"},
    )

    assert sorted(int(r["id"]) for r in response.json()["results"]) == sorted(
        [zhao_li.pk, group_member.pk]
    )


def test_posting_inline_clerk_sees_assignments_of_own_subtree_only(
    client, bob, posting, assignments
):
    client.force_login(bob)

    response = client.get(f"{POSTINGS}{posting.pk}/change/")

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [a.member.name for a in formset.queryset] == ["赵丽", "陈丹"]
    # Postings are the committee's: a clerk views them read only.
    assert response.context["has_change_permission"] is False
    assert client.post(f"{POSTINGS}{posting.pk}/change/", {}).status_code == 403


# Actions


def test_mark_received_changes_own_pledges_with_history(client, bob, donations):
    for donation in donations:
        Donation.objects.filter(pk=donation.pk).update(state="pledged")
    client.force_login(bob)

    response = run_action(client, DONATIONS, "mark_received", donations)

    assert response.status_code == 302
    states = dict(Donation.objects.values_list("member__name", "state"))
    assert states == {"赵丽": "received", "陈丹": "received", "寇晶磊": "pledged"}
    latest = Donation.history.filter(id=donations[0].pk).latest()
    assert (latest.state, latest.history_user, latest.history_change_reason) == (
        "received",
        bob,
        "标记为已收到",  # stored in the language of the user who acted
    )
    assert Donation.history.filter(id=donations[2].pk).count() == 1


def test_confirm_hours_confirms_own_assignments_with_history(client, bob, assignments):
    client.force_login(bob)

    response = run_action(client, ASSIGNMENTS, "confirm_hours", assignments)

    assert response.status_code == 302
    confirmed = dict(Assignment.objects.values_list("member__name", "confirmed"))
    assert confirmed == {"赵丽": True, "陈丹": True, "寇晶磊": False}
    assert [
        (h.confirmed, h.history_user)
        for h in Assignment.history.filter(id=assignments[1].pk).order_by("history_id")
    ] == [(False, None), (True, bob)]
    assert Assignment.history.filter(id=assignments[2].pk).count() == 1


def test_actions_leadership_cannot_run(client, carol, donations, assignments):
    Donation.objects.update(state="pledged")
    client.force_login(carol)

    run_action(client, DONATIONS, "mark_received", donations)
    run_action(client, ASSIGNMENTS, "confirm_hours", assignments)

    assert set(Donation.objects.values_list("state", flat=True)) == {"pledged"}
    assert set(Assignment.objects.values_list("confirmed", flat=True)) == {False}


# Leadership and committee-wide records


def test_donation_leadership_views_every_branch_but_cannot_change(
    client, carol, donations, drive, red_cross, outsider
):
    client.force_login(carol)
    url = f"{DONATIONS}{donations[2].pk}/change/"

    listing = client.get(DONATIONS)
    page = client.get(url)
    post = client.post(url, donation_form(drive, red_cross, member=outsider.pk, amount="1.00"))

    assert member_names(listing) == ["赵丽", "陈丹", "寇晶磊"]
    assert (page.status_code, page.context["has_change_permission"]) == (200, False)
    assert post.status_code == 403
    assert client.get(f"{DONATIONS}add/").status_code == 403
    donations[2].refresh_from_db()
    assert donations[2].amount == Decimal("100.00")


def test_campaign_clerk_views_but_cannot_change(client, bob, drive):
    client.force_login(bob)

    page = client.get(f"{CAMPAIGNS}{drive.pk}/change/")
    post = client.post(f"{CAMPAIGNS}{drive.pk}/change/", {"title": "改名"})

    assert (page.status_code, page.context["has_change_permission"]) == (200, False)
    assert post.status_code == 403
    assert client.get(f"{CAMPAIGNS}add/").status_code == 403
    assert Campaign.objects.get().title == "抗疫募捐"


def test_campaign_add_goal_of_wrong_kind_names_the_field(client, alice, committee):
    client.force_login(alice)
    data = {
        "kind": "blood",
        "title": "无偿献血",
        "slug": "blood-2020",
        "organiser": committee.pk,
        "call_date": "2020-02-05",
        "starts_on": "2020-02-05",
        "ends_on": "",
        "status": "open",
        "summary": "",
        "text": "",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-metric": "amount",
        "goals-0-target": "10000",
    }

    response = client.post(f"{CAMPAIGNS}add/", data)

    assert response.status_code == 200
    assert list(response.context["inline_admin_formsets"][0].formset.errors[0]) == ["metric"]
    assert Campaign.objects.count() == 0


def test_campaign_goal_that_counts_reads_and_takes_whole_numbers(client, alice, committee):
    drive = CampaignFactory(kind="blood", organiser=committee)
    Goal.objects.create(campaign=drive, metric=Goal.Metric.DONORS, target=Decimal(10))
    client.force_login(alice)
    url = f"{CAMPAIGNS}{drive.pk}/change/"
    page = client.get(url)
    data = BrowserForm(page.content.decode(), "campaign_form").data

    response = client.post(url, {**data, "goals-0-target": ["10.5"]})

    assert data["goals-0-target"] == ["10"]
    assert response.context["inline_admin_formsets"][0].formset.errors[0] == {
        "target": ["这个目标是计数：请填写整数。"]
    }
    assert Goal.objects.get().target == Decimal(10)


# Query counts


def _changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_donations(drive, red_cross, members, count):
    enterprise = Enterprise.objects.create(name=f"企业{count}")
    for i in range(count):
        member = members[i % len(members)]
        DonationFactory(campaign=drive, recipient=red_cross, member=member, date=FEB[i % 28])
        DonationFactory(
            campaign=drive,
            recipient=red_cross,
            member=member,
            channel="facilitated",
            enterprise=enterprise,
            date=FEB[i % 28],
        )


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_changelist_query_counts_do_not_grow_with_rows(
    client,
    request,
    user,
    drive,
    red_cross,
    zhao_li,
    group_member,
    posting,
    django_assert_num_queries,
):
    client.force_login(request.getfixturevalue(user))
    members = [zhao_li, group_member]
    blood_drive = CampaignFactory(kind="blood")
    urls = [DONATIONS, BLOOD_DONATIONS, ASSIGNMENTS]

    def add_rows(count, first_day):
        _add_donations(drive, red_cross, members, count)
        for i in range(count):
            day = FEB[first_day + i]
            BloodDonationFactory(campaign=blood_drive, member=members[i % 2], date=day)
            AssignmentFactory(posting=posting, member=members[i % 2], starts_on=day, ends_on=day)

    add_rows(1, 0)
    for url in urls:
        client.get(url)  # warm the content type cache
    small = [_changelist_queries(client, url) for url in urls]
    add_rows(8, 1)
    MemberFactory.create_batch(3, branch=zhao_li.branch)

    for url, expected, rows in zip(urls, small, [18, 9, 9], strict=True):
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert len(response.context["cl"].result_list) == rows


def test_large_unfiltered_list_uses_the_table_estimate_filtered_counts_exactly(alice, donations):
    from django.db import connection

    from portal.admin import LargeTablePaginator

    with connection.cursor() as cursor:  # what ANALYZE would record for a big table
        cursor.execute(
            "UPDATE pg_class SET reltuples = 2000000 WHERE oid = 'campaigns_donation'::regclass"
        )

    whole = LargeTablePaginator(Donation.objects.all(), 100)
    filtered = LargeTablePaginator(Donation.objects.filter(state="received"), 100)

    assert (whole.count, filtered.count) == (2_000_000, 3)


# A campaign's slug, spelt from its title in pinyin


def campaign_form(committee, **changes):
    """The POST of the campaign add form, without goals."""
    return {
        "kind": "donation",
        "title": "2021年洪灾救助",
        "slug": "",
        "organiser": committee.pk,
        "call_date": "2021-07-20",
        "starts_on": "2021-07-20",
        "ends_on": "",
        "status": "open",
        "summary": "",
        "text": "",
        "take_part": "",
        "goals-TOTAL_FORMS": "0",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_campaign_add_two_2021_titles_get_different_pinyin_slugs(client, alice, committee):
    client.force_login(alice)

    first = client.post(f"{CAMPAIGNS}add/", campaign_form(committee, title="2021年洪灾救助"))
    second = client.post(f"{CAMPAIGNS}add/", campaign_form(committee, title="2021年助学捐款"))

    assert (first.status_code, second.status_code) == (302, 302)
    assert sorted(Campaign.objects.values_list("title", "slug")) == [
        ("2021年助学捐款", "2021-nian-zhu-xue-juan-kuan"),
        ("2021年洪灾救助", "2021-nian-hong-zai-jiu-zhu"),
    ]


def test_campaign_add_same_title_again_gets_a_numbered_slug(client, alice, committee):
    CampaignFactory(title="2021年洪灾救助", slug="2021-nian-hong-zai-jiu-zhu")
    CampaignFactory(title="旧的", slug="2021-nian-hong-zai-jiu-zhu-2")
    client.force_login(alice)

    response = client.post(f"{CAMPAIGNS}add/", campaign_form(committee))

    assert response.status_code == 302
    assert Campaign.objects.latest("pk").slug == "2021-nian-hong-zai-jiu-zhu-3"


def test_campaign_add_keeps_the_slug_staff_typed(client, alice, committee):
    client.force_login(alice)

    response = client.post(f"{CAMPAIGNS}add/", campaign_form(committee, slug="flood-2021"))

    assert (response.status_code, Campaign.objects.get().slug) == (302, "flood-2021")


def test_campaign_add_form_has_no_slug_filled_in_the_browser(client, alice):
    client.force_login(alice)

    response = client.get(f"{CAMPAIGNS}add/")

    assert (response.context["prepopulated_fields_json"], response.status_code) == ("[]", 200)
    assert response.context["adminform"].form.fields["slug"].required is False


# A gift to a recipient the campaign does not collect for


@pytest.fixture
def charity():
    return RecipientFactory(name="江苏省慈善总会", kind="charity")


def test_donation_add_to_a_recipient_not_collected_for_warns_it_is_counted_apart(
    client, alice, drive, red_cross, charity, zhao_li
):
    drive.recipients.set([red_cross])
    client.force_login(alice)

    response = client.post(
        f"{DONATIONS}add/", donation_form(drive, charity, member=zhao_li.pk), follow=True
    )

    assert messages_of(response)[0] == (
        "“江苏省慈善总会”不在活动“抗疫募捐”本次募集的受赠方中：这笔捐赠另计。"
    )
    assert Donation.objects.get().recipient == charity


def test_donation_add_to_a_recipient_collected_for_gives_no_warning(
    client, alice, drive, red_cross, zhao_li
):
    drive.recipients.set([red_cross])
    client.force_login(alice)

    response = client.post(
        f"{DONATIONS}add/", donation_form(drive, red_cross, member=zhao_li.pk), follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_campaign_change_lists_recipients_not_ticked_with_what_is_counted_apart(
    client, alice, drive, red_cross, charity, zhao_li, outsider
):
    drive.recipients.set([red_cross])
    hospital_fund = RecipientFactory(name="市第四人民医院", kind="other")
    DonationFactory(campaign=drive, recipient=red_cross, member=zhao_li, amount="900.00")
    DonationFactory(campaign=drive, recipient=charity, member=zhao_li, amount="300.00")
    DonationFactory(campaign=drive, recipient=charity, member=outsider, amount="200.50")
    DonationFactory(campaign=drive, recipient=charity, member=outsider, state="pledged")
    DonationFactory(
        campaign=drive, recipient=hospital_fund, member=zhao_li, form="goods", amount=None
    )
    client.force_login(alice)

    page = text(client.get(f"{CAMPAIGNS}{drive.pk}/change/"))

    assert page.count("江苏省慈善总会：已收到 2 笔捐赠，钱款 ¥500.50，另计") == 1
    assert page.count("市第四人民医院：已收到 1 笔捐赠，钱款 ¥0.00，另计") == 1
    assert "连云港市红十字会：" not in page


def test_campaign_change_without_gifts_apart_says_none(client, alice, drive, red_cross, zhao_li):
    drive.recipients.set([red_cross])
    DonationFactory(campaign=drive, recipient=red_cross, member=zhao_li)
    client.force_login(alice)

    page = text(client.get(f"{CAMPAIGNS}{drive.pk}/change/"))

    assert page.count("无：已收到的捐赠都给了上面勾选的受赠方。") == 1


def test_recipients_apart_is_one_query_at_two_sizes(
    drive, red_cross, charity, zhao_li, django_assert_num_queries
):
    drive.recipients.set([red_cross])
    DonationFactory(campaign=drive, recipient=charity, member=zhao_li)
    with django_assert_num_queries(1):
        small = recipients_apart(drive)
    for number in range(5):
        DonationFactory(campaign=drive, recipient=RecipientFactory(name=f"受赠方{number}"))

    with django_assert_num_queries(1):
        large = recipients_apart(drive)

    assert (len(small), len(large)) == (1, 6)
