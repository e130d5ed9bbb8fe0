"""A member's own record (/me/): only their own, across every kind of record; consent given and
withdrawn at once and with its time; the invitation that gives a member a login."""

import pytest
from django.contrib.auth import get_user_model

from honours.models import Citation, RollCategoryWording
from tests.factories import (
    BloodDonationFactory,
    DonationFactory,
    MemberFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhao_login(zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


def test_me_shows_own_contributions_of_every_kind_and_nobody_elses(
    client, zhao_login, zhao_li, outsider
):
    Citation.objects.create(kind="front_line", member=zhao_li, title="抗疫一线", unit="四院")
    DonationFactory(member=zhao_li, amount="321.00", anonymous=True)
    BloodDonationFactory(member=zhao_li, volume_ml=300)
    SuggestionFactory(title="我的建议", authors=[zhao_li], is_public=False)
    DonationFactory(member=outsider, amount="999.00")
    SuggestionFactory(title="别人的建议", authors=[outsider])
    client.force_login(zhao_login)

    page = text(client.get("/me/"))

    # Her own amount, blood volume and non-public suggestion: hers to see, in the units a
    # Chinese reader reads (¥, 毫升).
    for own in ["赵丽", "一线服务", "¥321", "300 毫升", "我的建议", "匿名"]:
        assert own in page
    for other in ["寇晶磊", "999", "别人的建议", outsider.phone]:
        assert other not in page


def test_me_names_each_kind_of_record_as_staff_worded_the_roll(client, zhao_login, zhao_li):
    """Staff renamed the front line for a flood drive: the member's page says it as the roll
    does; a kind they left alone keeps its general name."""
    RollCategoryWording.objects.create(kind="front_line", title="抗洪一线", intro="")
    Citation.objects.create(kind="front_line", member=zhao_li, title="抗洪抢险", unit="四院")
    DonationFactory(member=zhao_li)
    client.force_login(zhao_login)

    response = client.get("/me/")

    assert [section["title"] for section in response.context["sections"]] == ["抗洪一线", "捐赠"]


def test_withdrawing_consent_removes_from_roll_and_campaign_pages_at_once(
    client, zhao_login, zhao_li
):
    Citation.objects.create(kind="front_line", member=zhao_li, title="抗疫一线")
    donation = DonationFactory(member=zhao_li)
    campaign_url = f"/campaigns/{donation.campaign.slug}/"
    listed_before = "赵丽" in client.get("/honour-roll/").content.decode()
    client.force_login(zhao_login)

    response = client.post("/me/consent/", {"consent": "withdraw"}, follow=True)
    client.logout()

    zhao_li.refresh_from_db()
    assert listed_before
    assert [str(m) for m in response.context["messages"]] == [
        "您已不再出现在光荣榜或任何公开页面上。"
    ]
    assert (zhao_li.listing_consent, zhao_li.consent_changed_at is not None) == (False, True)
    assert "赵丽" not in client.get("/honour-roll/").content.decode()
    assert "赵丽" not in client.get("/honour-roll/", {"q": "zhaoli"}).content.decode()
    assert "赵丽" not in client.get(campaign_url).content.decode()
    assert zhao_li.history.first().history_change_reason == "社员本人更改公开意愿"


def test_giving_consent_records_the_time(client, zhao_login, zhao_li):
    zhao_li.listing_consent = False
    zhao_li.save()
    withdrawn_at = zhao_li.consent_changed_at
    client.force_login(zhao_login)

    client.post("/me/consent/", {"consent": "give"})

    zhao_li.refresh_from_db()
    assert zhao_li.listing_consent is True
    assert zhao_li.consent_changed_at > withdrawn_at


def test_me_needs_a_member_login(client, alice):
    assert client.get("/me/").status_code == 302  # anonymous: to the login page
    client.force_login(alice)
    assert client.get("/me/").status_code == 403


def test_consent_change_needs_post(client, zhao_login):
    client.force_login(zhao_login)

    assert client.get("/me/consent/").status_code == 405


# Invitations


def test_invitation_gives_a_login_without_password_and_a_link_that_works_once(client, alice):
    member = MemberFactory(name="新社员", number="LYG0100")
    client.force_login(alice)

    response = client.post(
        "/admin/members/member/", {"action": "invite", "_selected_action": [member.pk]}
    )
    link = response.context["invitations"][0]["link"]
    client.logout()
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "a-long-pass-2026", "new_password2": "a-long-pass-2026"}
    )
    reused = client.get(link, follow=True)

    member.refresh_from_db()
    assert member.user.username == "LYG0100"
    assert member.user.is_staff is False
    assert done.status_code == 302
    assert client.login(username="LYG0100", password="a-long-pass-2026")
    assert "此链接已失效" in text(reused)


def test_invitation_is_refused_to_a_clerk(client, bob, zhao_li):
    client.force_login(bob)

    client.post("/admin/members/member/", {"action": "invite", "_selected_action": [zhao_li.pk]})

    zhao_li.refresh_from_db()
    assert zhao_li.user is None
    assert get_user_model().objects.filter(username__startswith="member").count() == 0


# Volunteer postings on the member's page


def test_member_signs_up_for_an_open_posting_and_withdraws(client, zhao_login, zhao_li):
    from campaigns.models import PostingSignup
    from tests.factories import CampaignFactory, PostingFactory

    campaign = CampaignFactory(kind="volunteer", title="联防联控")
    posting = PostingFactory(campaign=campaign, place="电台社区", people_needed=2)
    client.force_login(zhao_login)

    shown = text(client.get("/me/"))
    signed = client.post(
        f"/campaigns/postings/{posting.pk}/sign-up/",
        {"starts_on": "2020-02-03", "ends_on": "2020-02-10"},
        follow=True,
    )
    signup = PostingSignup.objects.get()
    again = client.post(
        f"/campaigns/postings/{posting.pk}/sign-up/",
        {"starts_on": "2020-02-03", "ends_on": "2020-02-10"},
        follow=True,
    )
    client.post(f"/campaigns/sign-ups/{signup.pk}/withdraw/")

    signup.refresh_from_db()
    assert "电台社区" in shown
    assert [str(m) for m in signed.context["messages"]] == [
        "谢谢，您报名的电台社区等待工作人员确认。"
    ]
    assert [str(m) for m in again.context["messages"]] == ["赵丽 已报名 电台社区。"]
    assert (signup.member, signup.state) == (zhao_li, "withdrawn")


def test_member_cannot_withdraw_someone_elses_sign_up(client, zhao_login, outsider):
    from tests.factories import PostingSignupFactory

    theirs = PostingSignupFactory(member=outsider)
    client.force_login(zhao_login)

    response = client.post(f"/campaigns/sign-ups/{theirs.pk}/withdraw/")

    theirs.refresh_from_db()
    assert (response.status_code, theirs.state) == (404, "pending")
