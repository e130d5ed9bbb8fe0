"""Members' sign-ups for volunteer postings: which postings are open to a member, the rules of
signing up, withdrawing, accepting (which records the assignment) and declining, and the admin's
all-or-nothing actions with branch scoping.

bob (clerk of 医院支社 and its group) must never see or decide a sign-up of 寇晶磊 (outsider,
海州支社); carol (leadership) views and decides nothing; alice (committee staff) does all.

Tests marked "new msgids" assert the Chinese of messages added with this feature (in
campaigns/services.py, models.py and admin.py): they follow locale/zh_Hans as translated.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import services
from campaigns.models import Assignment, Campaign, Posting, PostingSignup
from portal.concurrency import VERSION_FIELD
from tests.factories import (
    AssignmentFactory,
    CampaignFactory,
    MemberFactory,
    PostingFactory,
    PostingSignupFactory,
)
from tests.pages import messages_of

pytestmark = pytest.mark.django_db

SIGNUPS = "/admin/campaigns/postingsignup/"
FEB = [None, *(datetime.date(2020, 2, day) for day in range(1, 30))]  # FEB[3] is 3 February


def action(client, name, signups):
    return client.post(
        SIGNUPS,
        {"action": name, "_selected_action": [s.pk for s in signups]},
        follow=True,
    )


def states():
    return dict(PostingSignup.objects.values_list("member__name", "state"))


@pytest.fixture
def drive(committee):
    return CampaignFactory(kind="volunteer", title="疫情防控志愿服务", organiser=committee)


@pytest.fixture
def posting(drive):
    """Open from 1 February 2020 with no end, for two people."""
    return PostingFactory(campaign=drive, place="新浦社区", people_needed=2)


@pytest.fixture
def signups(posting, zhao_li, group_member, outsider):
    """A pending sign-up each of 赵丽, 陈丹 (医院小组) and the outsider (海州支社)."""
    return [
        PostingSignupFactory(posting=posting, member=member, starts_on=FEB[3], ends_on=FEB[9])
        for member in (zhao_li, group_member, outsider)
    ]


# Which postings are open to a member


def test_open_postings_excludes_full_ended_unpublished_closed_and_signed_up(
    drive, zhao_li, group_member, outsider
):
    today = timezone.localdate()

    def posting(place, campaign=drive, **fields):
        return PostingFactory(campaign=campaign, place=place, **fields)

    AssignmentFactory(posting=posting("有空位", people_needed=2), member=group_member)
    AssignmentFactory(
        posting=posting("已满员", people_needed=1),
        member=outsider,
        starts_on=FEB[20],
        ends_on=FEB[21],
    )
    twice = posting("同一人两段", people_needed=2)
    AssignmentFactory(posting=twice, member=outsider, starts_on=FEB[3], ends_on=FEB[4])
    AssignmentFactory(posting=twice, member=outsider, starts_on=FEB[6], ends_on=FEB[7])
    posting("今天结束", ends_on=today)
    posting("昨天结束", ends_on=today - datetime.timedelta(days=1))
    posting("草稿活动", CampaignFactory(kind="volunteer", status="draft"))
    posting("未公开活动", CampaignFactory(kind="volunteer", is_public=False))
    posting("已结束活动", CampaignFactory(kind="volunteer", status="closed"))
    for place, state in [
        ("已报名", "pending"),
        ("已接受", "accepted"),
        ("曾被婉拒", "declined"),
        ("曾撤回", "withdrawn"),
    ]:
        PostingSignupFactory(posting=posting(place), member=zhao_li, state=state)
    PostingSignupFactory(posting=posting("他人已报名"), member=outsider)

    posted = {p.place: p.posted for p in services.open_postings(member=zhao_li)}

    assert posted == {
        "有空位": 1,
        "同一人两段": 1,  # members are counted, not their assignments
        "今天结束": 0,
        "曾被婉拒": 0,
        "曾撤回": 0,
        "他人已报名": 0,
    }


def test_open_postings_query_count_does_not_grow(drive, zhao_li, django_assert_num_queries):
    def add_postings(count):
        for _ in range(count):
            AssignmentFactory(posting=PostingFactory(campaign=drive, people_needed=5))

    def rows():
        postings = services.open_postings(member=zhao_li)
        return [(p.campaign.title, p.place, p.posted) for p in postings]

    add_postings(2)
    with CaptureQueriesContext(connection) as small:
        assert len(rows()) == 2
    add_postings(5)

    with django_assert_num_queries(len(small)):
        assert len(rows()) == 7
    assert len(small) == 1


# Signing up


def test_create_signs_up_pending_with_history(zhao_li, posting):
    signup = services.posting_signup_create(
        member=zhao_li, posting=posting, starts_on=FEB[3], ends_on=FEB[9], note="周末也可以"
    )

    signup.refresh_from_db()
    assert (signup.member, signup.posting, signup.starts_on, signup.ends_on, signup.note) == (
        zhao_li,
        posting,
        FEB[3],
        FEB[9],
        "周末也可以",
    )
    assert (signup.state, signup.decided_by, signup.assignment) == ("pending", None, None)
    assert [h.history_type for h in signup.history.all()] == ["+"]
    assert list(services.open_postings(member=zhao_li)) == []


def test_create_again_after_withdrawing(zhao_li, posting):
    first = services.posting_signup_create(
        member=zhao_li, posting=posting, starts_on=FEB[3], ends_on=FEB[9]
    )
    services.posting_signup_withdraw(signup=first, member=zhao_li)

    second = services.posting_signup_create(
        member=zhao_li, posting=posting, starts_on=FEB[5], ends_on=FEB[6]
    )

    assert sorted(PostingSignup.objects.values_list("pk", "state")) == [
        (first.pk, "withdrawn"),
        (second.pk, "pending"),
    ]


def test_create_twice_refused_on_the_posting(zhao_li, posting):
    PostingSignupFactory(posting=posting, member=zhao_li)

    with pytest.raises(ValidationError) as error:
        services.posting_signup_create(
            member=zhao_li, posting=posting, starts_on=FEB[3], ends_on=FEB[9]
        )

    # new msgids
    assert error.value.message_dict == {"posting": ["赵丽 已报名 新浦社区。"]}
    assert PostingSignup.objects.count() == 1


def test_create_refused_when_full(zhao_li, outsider, group_member, posting):
    AssignmentFactory(posting=posting, member=outsider)
    AssignmentFactory(posting=posting, member=group_member)

    with pytest.raises(ValidationError) as error:
        services.posting_signup_create(
            member=zhao_li, posting=posting, starts_on=FEB[3], ends_on=FEB[9]
        )

    # new msgids
    assert error.value.message_dict == {"posting": ["新浦社区 人员已满。"]}
    assert PostingSignup.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"campaign": {"status": "closed"}},
        {"campaign": {"status": "draft"}},
        {"campaign": {"is_public": False}},
        {"posting": {"ends_on": datetime.date(2020, 2, 29)}},
    ],
    ids=["closed", "draft", "not-public", "ended"],
)
def test_create_refused_when_not_open(zhao_li, drive, posting, change):
    Campaign.objects.filter(pk=drive.pk).update(**change.get("campaign", {}))
    Posting.objects.filter(pk=posting.pk).update(**change.get("posting", {}))

    with pytest.raises(ValidationError) as error:
        services.posting_signup_create(
            member=zhao_li, posting=posting, starts_on=FEB[3], ends_on=FEB[9]
        )

    # new msgids
    assert error.value.message_dict == {"posting": ["新浦社区 不接受报名。"]}
    assert PostingSignup.objects.count() == 0


def test_create_dates_outside_the_posting_name_each_field(zhao_li, drive):
    today = timezone.localdate()
    posting = PostingFactory(
        campaign=drive, place="新浦社区", starts_on=today, ends_on=today + datetime.timedelta(30)
    )

    with pytest.raises(ValidationError) as error:
        services.posting_signup_create(
            member=zhao_li,
            posting=posting,
            starts_on=posting.starts_on - datetime.timedelta(1),
            ends_on=posting.ends_on + datetime.timedelta(1),
        )

    # new msgids
    outside = f"日期不在岗位时间内（{posting.starts_on} – {posting.ends_on}）。"
    assert error.value.message_dict == {"starts_on": [outside], "ends_on": [outside]}
    assert PostingSignup.objects.count() == 0


def test_create_end_before_start_refused_on_the_end(zhao_li, posting):
    with pytest.raises(ValidationError) as error:
        services.posting_signup_create(
            member=zhao_li, posting=posting, starts_on=FEB[9], ends_on=FEB[3]
        )

    assert error.value.message_dict == {"ends_on": ["结束日期不能早于开始日期。"]}
    assert PostingSignup.objects.count() == 0


# Withdrawing


def test_withdraw_own_pending(zhao_li, posting):
    signup = PostingSignupFactory(posting=posting, member=zhao_li)

    services.posting_signup_withdraw(signup=signup, member=zhao_li)

    signup.refresh_from_db()
    assert (signup.state, signup.decided_by) == ("withdrawn", None)
    assert signup.history.latest().history_change_reason == "已撤回"
    assert [p.place for p in services.open_postings(member=zhao_li)] == ["新浦社区"]


def test_withdraw_refused_for_another_members_sign_up(zhao_li, outsider, posting):
    signup = PostingSignupFactory(posting=posting, member=outsider)

    with pytest.raises(ValidationError) as error:
        services.posting_signup_withdraw(signup=signup, member=zhao_li)

    # new msgids
    assert error.value.messages == ["这不是您的报名。"]
    assert states() == {"寇晶磊": "pending"}


def test_withdraw_refused_once_accepted(zhao_li, posting):
    signup = PostingSignupFactory(posting=posting, member=zhao_li, state="accepted")

    with pytest.raises(ValidationError) as error:
        services.posting_signup_withdraw(signup=signup, member=zhao_li)

    # new msgids
    assert error.value.messages == ["新浦社区 的报名已接受，不能再撤回。"]
    assert states() == {"赵丽": "accepted"}


# Accepting and declining


def test_accept_records_the_assignment_with_history(alice, zhao_li, posting):
    signup = PostingSignupFactory(posting=posting, member=zhao_li, starts_on=FEB[3], ends_on=FEB[9])

    services.posting_signup_accept(signup=signup, user=alice, days_served=5)

    assignment = Assignment.objects.get()
    assert (
        assignment.member,
        assignment.posting,
        assignment.starts_on,
        assignment.ends_on,
        assignment.days_served,
        assignment.confirmed,
    ) == (zhao_li, posting, FEB[3], FEB[9], 5, False)
    signup.refresh_from_db()
    assert (signup.state, signup.assignment, signup.decided_by) == ("accepted", assignment, alice)
    assert signup.decided_at is not None
    # new msgids (the change reason)
    assert [
        (h.history_type, h.history_user, h.history_change_reason) for h in assignment.history.all()
    ] == [("+", alice, "报名已接受")]
    assert [
        (h.state, h.assignment_id, h.history_user) for h in signup.history.order_by("history_id")
    ] == [("pending", None, None), ("accepted", assignment.pk, alice)]


def test_accept_overlapping_assignment_refused_and_nothing_saved(alice, zhao_li, drive, posting):
    earlier = AssignmentFactory(
        posting=PostingFactory(campaign=drive), member=zhao_li, starts_on=FEB[6], ends_on=FEB[12]
    )
    signup = PostingSignupFactory(posting=posting, member=zhao_li, starts_on=FEB[3], ends_on=FEB[9])

    with pytest.raises(ValidationError) as error:
        services.posting_signup_accept(signup=signup, user=alice)

    assert error.value.message_dict == {"starts_on": ["该社员在这段日期内已有下沉服务。"]}
    assert list(Assignment.objects.all()) == [earlier]
    signup.refresh_from_db()
    assert (signup.state, signup.assignment, signup.decided_by, signup.decided_at) == (
        "pending",
        None,
        None,
        None,
    )
    assert signup.history.count() == 1


@pytest.mark.parametrize(
    "state, move, message",
    [
        ("declined", "accept", "该报名未接受；只有待确认的报名才能接受。"),
        ("accepted", "accept", "该报名已接受；只有待确认的报名才能接受。"),
        ("withdrawn", "decline", "该报名已撤回；只有待确认的报名才能婉拒。"),
    ],
)
def test_decide_refused_unless_pending(alice, zhao_li, posting, state, move, message):
    signup = PostingSignupFactory(posting=posting, member=zhao_li, state=state)
    decide = getattr(services, f"posting_signup_{move}")

    with pytest.raises(ValidationError) as error:
        decide(signup=signup, user=alice)

    # new msgids
    assert error.value.messages == [message]
    assert states() == {"赵丽": state}
    assert Assignment.objects.count() == 0


def test_decline_records_who_and_why(alice, zhao_li, posting):
    signup = PostingSignupFactory(posting=posting, member=zhao_li)

    services.posting_signup_decline(signup=signup, user=alice, note="该岗位已安排本社区居民")

    signup.refresh_from_db()
    assert (signup.state, signup.decided_by, signup.assignment) == ("declined", alice, None)
    latest = signup.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (alice, "该岗位已安排本社区居民")
    assert Assignment.objects.count() == 0
    # Declined, the member may offer other dates.
    assert [p.place for p in services.open_postings(member=zhao_li)] == ["新浦社区"]


# The admin


def test_admin_clerk_sees_only_own_subtree(client, bob, signups):
    client.force_login(bob)

    listing = client.get(SIGNUPS)
    other = client.get(f"{SIGNUPS}{signups[2].pk}/change/")
    searched = client.get(f"{SIGNUPS}?q=寇晶磊")

    assert [s.member.name for s in listing.context["cl"].result_list] == ["陈丹", "赵丽"]
    assert other.status_code == 302  # "does not exist", as for a record that never was
    assert list(searched.context["cl"].result_list) == []


def test_admin_clerk_forged_post_of_other_branch_changes_nothing(client, bob, signups):
    client.force_login(bob)

    action(client, "accept", [signups[2]])
    action(client, "decline", [signups[2]])
    action(client, "accept", [signups[1], signups[2]])

    assert states() == {"赵丽": "pending", "陈丹": "accepted", "寇晶磊": "pending"}
    assert list(Assignment.objects.values_list("member__name", flat=True)) == ["陈丹"]


def test_admin_clerk_accepts_own_with_history(client, bob, signups):
    client.force_login(bob)

    response = action(client, "accept", [signups[0]])

    # new msgids
    assert messages_of(response) == ["已接受 1 个报名，并登记为下沉服务。"]
    assert states() == {"赵丽": "accepted", "陈丹": "pending", "寇晶磊": "pending"}
    assignment = Assignment.objects.get()
    assert (assignment.member.name, assignment.starts_on, assignment.ends_on) == (
        "赵丽",
        FEB[3],
        FEB[9],
    )
    assert assignment.history.get().history_user == bob
    signups[0].refresh_from_db()
    assert (signups[0].decided_by, signups[0].assignment) == (bob, assignment)


def test_admin_accept_is_all_or_nothing_and_says_which(client, alice, drive, signups):
    AssignmentFactory(
        posting=PostingFactory(campaign=drive),
        member=signups[1].member,
        starts_on=FEB[8],
        ends_on=FEB[20],
    )
    client.force_login(alice)

    response = action(client, "accept", signups)

    # new msgids
    assert messages_of(response) == [
        "未作任何更改：陈丹 @ 新浦社区：该社员在这段日期内已有下沉服务。"
    ]
    assert states() == {"赵丽": "pending", "陈丹": "pending", "寇晶磊": "pending"}
    assert Assignment.objects.count() == 1
    assert PostingSignup.history.count() == 3


def test_admin_decline_selected(client, alice, signups):
    client.force_login(alice)

    response = action(client, "decline", signups[:2])

    # new msgids
    assert messages_of(response) == ["已婉拒 2 个报名。"]
    assert states() == {"赵丽": "declined", "陈丹": "declined", "寇晶磊": "pending"}
    assert set(PostingSignup.objects.values_list("decided_by", flat=True)) == {alice.pk, None}


def test_admin_leadership_cannot_run_the_actions(client, carol, signups):
    client.force_login(carol)

    listing = client.get(SIGNUPS)
    action(client, "accept", signups)
    action(client, "decline", signups)

    assert listing.context["action_form"] is None  # no action offered at all
    assert len(listing.context["cl"].result_list) == 3
    assert set(states().values()) == {"pending"}
    assert Assignment.objects.count() == 0


def test_admin_add_cannot_set_the_state_and_keeps_the_rules(client, alice, posting, zhao_li):
    client.force_login(alice)
    data = {
        "member": zhao_li.pk,
        "posting": posting.pk,
        "starts_on": "2020-02-03",
        "ends_on": "2020-02-09",
        "note": "电话报名",
        "state": "accepted",
        "decided_by": alice.pk,
    }

    form = client.get(f"{SIGNUPS}add/")
    added = client.post(f"{SIGNUPS}add/", data)
    again = client.post(f"{SIGNUPS}add/", data)

    assert list(form.context["adminform"].form.fields) == [
        "member",
        "posting",
        "starts_on",
        "ends_on",
        "note",
    ]
    assert added.status_code == 302
    signup = PostingSignup.objects.get()
    assert (signup.state, signup.decided_by, signup.note) == ("pending", None, "电话报名")
    assert signup.history.get().history_user == alice
    # new msgids
    assert again.context["adminform"].form.errors == {"posting": ["赵丽 已报名 新浦社区。"]}


def test_admin_clerk_add_for_other_branch_member_refused(client, bob, posting, outsider):
    client.force_login(bob)

    response = client.post(
        f"{SIGNUPS}add/",
        {
            "member": outsider.pk,
            "posting": posting.pk,
            "starts_on": "2020-02-03",
            "ends_on": "2020-02-09",
        },
    )

    assert list(response.context["adminform"].form.errors) == ["member"]
    assert PostingSignup.objects.count() == 0


def test_admin_decided_sign_up_cannot_be_edited_or_reverted(client, alice, posting, zhao_li):
    signup = PostingSignupFactory(posting=posting, member=zhao_li, starts_on=FEB[3], ends_on=FEB[9])
    services.posting_signup_accept(signup=signup, user=alice)
    pending_version = signup.history.earliest()
    client.force_login(alice)

    page = client.get(f"{SIGNUPS}{signup.pk}/change/")
    change = {
        "starts_on": "2020-02-05",
        "ends_on": "2020-02-06",
        "note": "改期",
        VERSION_FIELD: page.context["record_version"],  # the form's, so only read-only refuses
    }
    client.post(f"{SIGNUPS}{signup.pk}/change/", change)
    revert = client.post(
        f"{SIGNUPS}{signup.pk}/history/{pending_version.history_id}/",
        {"starts_on": "2020-02-03", "ends_on": "2020-02-09", "note": ""},
    )

    signup.refresh_from_db()
    assert list(page.context["adminform"].form.fields) == []
    assert (signup.state, signup.starts_on, signup.ends_on) == ("accepted", FEB[3], FEB[9])
    assert revert.status_code == 403
    assert signup.assignment is not None


def test_admin_list_queries_do_not_grow(client, bob, posting, zhao_li, django_assert_num_queries):
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            PostingSignupFactory(posting=posting, member=MemberFactory(branch=zhao_li.branch))

    add(1)
    client.get(SIGNUPS)  # warm the content type cache
    with CaptureQueriesContext(connection) as small:
        client.get(SIGNUPS)
    add(6)

    with django_assert_num_queries(len(small)):
        response = client.get(SIGNUPS)
    assert len(response.context["cl"].result_list) == 7
