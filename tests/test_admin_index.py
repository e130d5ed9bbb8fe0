"""The staff's workbench (portal/admin.py PortalAdminSite): whose branches, what waits for the user
(counted in their scope, each count linking to exactly the rows it counts), quick actions, the
apps in the order of the work, and one login page for everyone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.models import PendingImport
from tests.factories import (
    AssignmentFactory,
    DonationFactory,
    PostingSignupFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import text


def waiting(response) -> dict[str, tuple[int, str]]:
    """The index's counts: label → (count, link)."""
    return {
        item["label"]: (item["count"], item["url"])
        for item in [
            {**entry, "label": str(entry["label"])} for entry in response.context["waiting"]
        ]
    }


def result_count(response) -> int:
    return response.context["cl"].result_count


@pytest.fixture
def pledges(zhao_li, outsider):
    """Two pledges and a received gift in bob's branches, one pledge in dave's."""
    DonationFactory(member=zhao_li, state="pledged")
    DonationFactory(member=zhao_li, state="pledged")
    DonationFactory(member=zhao_li, state="received")
    DonationFactory(member=outsider, state="pledged")


def test_admin_index_clerk_is_told_their_branch(client, bob):
    client.force_login(bob)

    response = client.get("/admin/")

    assert text(response).count("您负责 医院支社 及其下属组织的记录。") == 1


def test_admin_index_staff_is_told_every_branch(client, alice):
    client.force_login(alice)

    response = client.get("/admin/")

    assert text(response).count("您负责全部组织的记录。") == 1


def test_admin_index_clerk_counts_pledges_of_own_branches_only(client, bob, pledges):
    client.force_login(bob)

    response = client.get("/admin/")

    assert waiting(response)["尚未收到的认捐"] == (
        2,
        "/admin/campaigns/donation/?state__exact=pledged",
    )


def test_admin_index_count_link_lists_exactly_the_counted_rows(client, bob, pledges):
    client.force_login(bob)
    count, link = waiting(client.get("/admin/"))["尚未收到的认捐"]

    response = client.get(link)

    assert (response.status_code, result_count(response)) == (200, count)


def test_admin_index_staff_counts_every_branch(client, alice, pledges):
    client.force_login(alice)

    response = client.get("/admin/")

    assert waiting(response)["尚未收到的认捐"][0] == 3


def test_admin_index_counts_hours_logged_and_unconfirmed(client, bob, zhao_li, group_member):
    AssignmentFactory(member=zhao_li, hours_logged=Decimal("8"), confirmed=False)
    AssignmentFactory(member=group_member, hours_logged=Decimal("0"), confirmed=False)
    AssignmentFactory(
        member=group_member,
        starts_on=datetime.date(2020, 3, 1),
        ends_on=datetime.date(2020, 3, 2),
        days_served=2,
        confirmed=True,
    )
    client.force_login(bob)
    count, link = waiting(client.get("/admin/"))["服务时长待确认的下沉服务"]

    listed = client.get(link)

    assert (count, result_count(listed)) == (1, 1)
    assert link == "/admin/campaigns/assignment/?confirmed__exact=0&hours_logged__gt=0"


def test_admin_index_counts_pending_signups(client, bob, zhao_li, outsider):
    PostingSignupFactory(member=zhao_li)
    PostingSignupFactory(member=zhao_li, state="declined")
    PostingSignupFactory(member=outsider)
    client.force_login(bob)

    response = client.get("/admin/")

    assert waiting(response)["待处理的下沉报名"] == (
        1,
        "/admin/campaigns/postingsignup/?state__exact=pending",
    )


def test_admin_index_staff_counts_suggestions_awaiting_review(client, alice, hospital):
    SuggestionFactory(branch=hospital, state="received")
    SuggestionFactory(branch=hospital, state="under_review")
    client.force_login(alice)

    response = client.get("/admin/")

    assert waiting(response)["待审阅的建议"] == (
        1,
        "/admin/suggestions/suggestion/?state__exact=received",
    )


def test_admin_index_clerk_gets_no_review_count(client, bob, hospital):
    SuggestionFactory(branch=hospital, state="received")
    client.force_login(bob)

    response = client.get("/admin/")

    assert "待审阅的建议" not in waiting(response)


def test_admin_index_leadership_gets_no_count_to_act_on(client, carol, pledges):
    client.force_login(carol)

    response = client.get("/admin/")

    assert (waiting(response), response.context["quick_actions"]) == ({}, [])


def test_admin_index_counts_own_imports_awaiting_confirmation(client, bob, alice):
    def upload(user, **values):
        values.setdefault("state", PendingImport.State.AWAITING)
        return PendingImport.objects.create(
            uploaded_by=user.pk,
            model="campaigns.Donation",
            file_name="捐赠.xlsx",
            data=b"x",
            **values,
        )

    upload(bob, uploaded_at=timezone.now() - datetime.timedelta(minutes=2))
    newest = upload(bob)
    upload(bob, state=PendingImport.State.IMPORTED)
    upload(bob, state=PendingImport.State.CHECKING)
    upload(bob, changed_at=timezone.now() - datetime.timedelta(days=1))
    upload(alice)
    client.force_login(bob)

    response = client.get("/admin/")

    assert [
        (str(item["records"]), item["count"], item["url"])
        for item in response.context["awaiting_imports"]
    ] == [("捐赠", 2, f"/admin/campaigns/donation/import/{newest.pk}/")]
    assert text(response).count("2 捐赠导入待确认") == 1


def test_admin_index_clerk_quick_actions(client, bob):
    client.force_login(bob)

    response = client.get("/admin/")

    assert [(str(a["label"]), a["url"]) for a in response.context["quick_actions"]] == [
        ("登记钱款捐赠", "/admin/campaigns/donation/add/?form=money"),
        ("登记物资捐赠", "/admin/campaigns/donation/add/?form=goods"),
        ("登记献血", "/admin/campaigns/blooddonation/add/"),
    ]
    assert re.findall(r'href="(/admin/[a-z]+/[a-z]+/import/)"', response.content.decode()) == [
        "/admin/campaigns/donation/import/",
        "/admin/campaigns/blooddonation/import/",
        "/admin/campaigns/assignment/import/",
        "/admin/suggestions/suggestion/import/",
        "/admin/members/member/import/",
    ]


def test_admin_index_apps_and_models_in_the_order_of_the_work(client, bob):
    client.force_login(bob)

    response = client.get("/admin/")

    assert [
        (app["app_label"], [model["object_name"] for model in app["models"]])
        for app in response.context["app_list"]
    ] == [
        (
            "campaigns",
            [
                "Donation",
                "BloodDonation",
                "Assignment",
                "PostingSignup",
                "Posting",
                "Campaign",
                "Recipient",
            ],
        ),
        ("suggestions", ["Suggestion", "Forwarding", "SuggestionCall", "HigherBody"]),
        ("members", ["Member", "CorrectionRequest", "Enterprise", "Branch", "Sector"]),
        ("honours", ["Citation", "RollCategoryWording"]),
    ]


def test_admin_index_has_no_nav_sidebar(client, bob):
    client.force_login(bob)

    response = client.get("/admin/members/member/")

    assert 'id="nav-sidebar"' not in response.content.decode()


# One login page


@pytest.mark.django_db
def test_admin_login_sends_to_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/campaigns/donation/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/admin/campaigns/donation/",
    )


@pytest.mark.django_db
def test_admin_login_post_takes_no_password(client):
    UserFactory(username="erin")

    response = client.post("/admin/login/", {"username": "erin", "password": "pw"})

    assert (response.status_code, "_auth_user_id" in client.session) == (302, False)


def test_admin_logged_in_staff_login_page_goes_to_the_index(client, bob):
    client.force_login(bob)

    response = client.get("/admin/login/")

    assert (response.status_code, response["Location"]) == (302, "/admin/")
