"""Suggestions: the workflow's rules and log, the admin's review queue and its scoping, members'
own suggestions, the public page's counts and privacy, attachments, and the story's figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tallies import differences
from suggestions import figures, services
from suggestions.models import Forwarding, StateChange, Suggestion
from tests.factories import (
    HigherBodyFactory,
    MemberFactory,
    SuggestionCallFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import messages_of, text
from tests.test_scoping import version

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/suggestions/suggestion/"
FEB_10 = datetime.date(2020, 2, 10)


@pytest.fixture
def province():
    return HigherBodyFactory(name="九三学社江苏省委")


@pytest.fixture
def united_front():
    return HigherBodyFactory(name="中共连云港市委统战部")


@pytest.fixture
def member_login(zhao_li):
    """赵丽's own login (not staff)."""
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


# The workflow


def test_forward_moves_to_forwarded_and_logs_who_and_why(alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital)

    services.suggestion_review(suggestion=suggestion, user=alice, note="值得报送")
    services.suggestion_forward(
        suggestion=suggestion,
        body=province,
        forwarded_on=FEB_10,
        document_no="九三连〔2020〕1号",
        user=alice,
        note="报社省委",
    )

    suggestion.refresh_from_db()
    assert suggestion.state == "forwarded"
    assert list(
        StateChange.objects.filter(suggestion=suggestion).values_list(
            "from_state", "to_state", "changed_by__username", "note"
        )
    ) == [
        ("received", "under_review", "alice", "值得报送"),
        ("under_review", "forwarded", "alice", "报社省委"),
    ]
    assert list(suggestion.history.values_list("state", flat=True)) == [
        "forwarded",
        "under_review",
        "received",
    ]


def test_forward_needs_a_body_and_a_date(alice, hospital):
    suggestion = SuggestionFactory(branch=hospital)

    with pytest.raises(ValidationError) as error:
        services.suggestion_forward(suggestion=suggestion, body=None, forwarded_on=None, user=alice)

    assert error.value.message_dict == {
        "body": ["请选择建议报送的单位。"],
        "forwarded_on": ["请填写报送日期。"],
    }


def test_forward_before_receipt_is_refused(alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital, received_on=FEB_10)

    with pytest.raises(ValidationError) as error:
        services.suggestion_forward(
            suggestion=suggestion,
            body=province,
            forwarded_on=datetime.date(2020, 2, 9),
            user=alice,
        )

    assert list(error.value.message_dict) == ["forwarded_on"]


def test_forward_twice_to_one_body_is_refused(alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital)
    services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )

    with pytest.raises(ValidationError) as error:
        services.suggestion_forward(
            suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
        )

    assert list(error.value.message_dict) == ["body"]
    assert Forwarding.objects.count() == 1


@pytest.mark.parametrize("closed_by", ["merge", "withdraw"])
def test_merged_or_withdrawn_suggestion_cannot_be_forwarded(alice, hospital, province, closed_by):
    suggestion = SuggestionFactory(branch=hospital, title="口罩价格")
    if closed_by == "merge":
        services.suggestion_merge(
            suggestion=suggestion, into=SuggestionFactory(branch=hospital), user=alice
        )
    else:
        services.suggestion_withdraw(suggestion=suggestion, user=alice)

    with pytest.raises(ValidationError) as error:
        services.suggestion_forward(
            suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
        )

    state = "已合并" if closed_by == "merge" else "已由作者撤回"
    assert error.value.messages == [f"《口罩价格》{state}，不能报送。"]


def test_adopted_needs_a_forwarding(alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital, title="口罩价格")

    with pytest.raises(ValidationError) as error:
        services.suggestion_answer(suggestion=suggestion, body=province, adopted=True, user=alice)

    assert error.value.message_dict == {"body": ["《口罩价格》未报送九三学社江苏省委，请先报送。"]}
    suggestion.refresh_from_db()
    assert suggestion.state == "received"


def test_answer_from_two_bodies_adopted_by_either(alice, hospital, province, united_front):
    suggestion = SuggestionFactory(branch=hospital)
    for body in (province, united_front):
        services.suggestion_forward(
            suggestion=suggestion, body=body, forwarded_on=FEB_10, user=alice
        )

    services.suggestion_answer(suggestion=suggestion, body=province, adopted=False, user=alice)
    suggestion.refresh_from_db()
    after_no = suggestion.state
    services.suggestion_answer(
        suggestion=suggestion, body=united_front, adopted=True, feedback="已批示", user=alice
    )
    suggestion.refresh_from_db()

    # One "no" while another body has not answered: still awaiting, not "not adopted".
    assert (after_no, suggestion.state) == ("forwarded", "adopted")
    assert Forwarding.objects.get(body=united_front).feedback == "已批示"


def test_not_adopted_once_every_body_said_no_and_forwarded_again_awaits(
    alice, hospital, province, united_front
):
    suggestion = SuggestionFactory(branch=hospital)
    services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )
    services.suggestion_answer(suggestion=suggestion, body=province, adopted=False, user=alice)
    suggestion.refresh_from_db()
    after_no = suggestion.state
    services.suggestion_forward(
        suggestion=suggestion, body=united_front, forwarded_on=FEB_10, user=alice
    )
    suggestion.refresh_from_db()

    assert (after_no, suggestion.state) == ("not_adopted", "forwarded")


@pytest.mark.parametrize("move", ["withdraw", "merge"])
def test_suggestion_carrying_merged_ones_cannot_be_withdrawn_or_merged(alice, hospital, move):
    carrier = SuggestionFactory(branch=hospital, title="承载建议")
    services.suggestion_merge(
        suggestion=SuggestionFactory(branch=hospital), into=carrier, user=alice
    )

    with pytest.raises(ValidationError) as error:
        if move == "withdraw":
            services.suggestion_withdraw(suggestion=carrier, user=alice)
        else:
            services.suggestion_merge(
                suggestion=carrier, into=SuggestionFactory(branch=hospital), user=alice
            )

    assert error.value.messages == ["已有其他建议并入《承载建议》，它须继续承载这些建议。"]


def test_merge_into_itself_or_a_withdrawn_one_is_refused(alice, hospital):
    suggestion = SuggestionFactory(branch=hospital)
    withdrawn = SuggestionFactory(branch=hospital)
    services.suggestion_withdraw(suggestion=withdrawn, user=alice)

    for into in (suggestion, withdrawn):
        with pytest.raises(ValidationError) as error:
            services.suggestion_merge(suggestion=suggestion, into=into, user=alice)
        assert list(error.value.message_dict) == ["into"]


def test_forwarded_suggestion_cannot_be_withdrawn(alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital, title="口罩价格")
    services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )

    with pytest.raises(ValidationError) as error:
        services.suggestion_withdraw(suggestion=suggestion, user=alice)

    assert error.value.messages == ["《口罩价格》已报送，不能再撤回。"]


# The admin


def action(client, name, suggestions, **fields):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [s.pk for s in suggestions], **fields},
        follow=True,
    )


def test_admin_bulk_forward_with_document_number(client, alice, hospital, province):
    suggestions = [SuggestionFactory(branch=hospital) for _ in range(3)]
    client.force_login(alice)

    form_page = action(client, "forward", suggestions)
    response = action(
        client,
        "forward",
        suggestions,
        apply="1",
        body=province.pk,
        forwarded_on="2020-02-10",
        document_no="九三连〔2020〕7号",
    )

    assert form_page.templates[0].name == "admin/suggestions/suggestion/action_form.html"
    assert messages_of(response) == ["3 条建议已报送九三学社江苏省委。"]
    assert sorted(
        Forwarding.objects.values_list("suggestion_id", "document_no", "forwarded_on")
    ) == [(s.pk, "九三连〔2020〕7号", FEB_10) for s in suggestions]


def test_admin_bulk_forward_is_all_or_nothing(client, alice, hospital, province):
    fine = SuggestionFactory(branch=hospital)
    withdrawn = SuggestionFactory(branch=hospital, title="已撤回的建议")
    services.suggestion_withdraw(suggestion=withdrawn, user=alice)
    client.force_login(alice)

    response = action(
        client, "forward", [fine, withdrawn], apply="1", body=province.pk, forwarded_on="2020-02-10"
    )

    assert messages_of(response) == ["未作任何更改：《已撤回的建议》已由作者撤回，不能报送。"]
    assert Forwarding.objects.count() == 0
    fine.refresh_from_db()
    assert fine.state == "received"


def test_admin_clerk_cannot_forward_even_by_forged_post(client, bob, hospital, province):
    suggestion = SuggestionFactory(branch=hospital)
    client.force_login(bob)

    listing = client.get(CHANGELIST)
    action(client, "forward", [suggestion], apply="1", body=province.pk, forwarded_on="2020-02-10")

    actions = [name for name, _ in listing.context["action_form"].fields["action"].choices]
    assert "forward" not in actions and "withdraw" in actions
    assert Forwarding.objects.count() == 0


def test_admin_clerk_sees_only_own_subtree(client, bob, hospital_group, haizhou):
    SuggestionFactory(branch=hospital_group, title="医院小组的建议")
    other = SuggestionFactory(branch=haizhou, title="海州支社的建议")
    client.force_login(bob)

    titles = [s.title for s in client.get(CHANGELIST).context["cl"].result_list]

    assert titles == ["医院小组的建议"]
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 302  # "does not exist"
    assert client.get(f"{CHANGELIST}?q=海州").context["cl"].result_list.count() == 0


def test_admin_year_filter_offers_each_year_of_own_subtree(client, bob, hospital, haizhou):
    for year, branch in [(2018, hospital), (2020, hospital), (2015, haizhou)]:
        SuggestionFactory(
            branch=branch, title=f"{year}年的建议", received_on=datetime.date(year, 3, 1)
        )
    client.force_login(bob)

    listing = client.get(CHANGELIST)
    in_2020 = client.get(CHANGELIST, {"year": "2020"})
    [year_filter] = [f for f in listing.context["cl"].filter_specs if f.title == "收到年份"]

    # Every year from the clerk's first suggestion to the last, none from another branch's.
    assert year_filter.lookup_choices == [("2020", "2020"), ("2019", "2019"), ("2018", "2018")]
    assert [s.title for s in in_2020.context["cl"].result_list] == ["2020年的建议"]
    for year in ["今年", "0", "10000"]:
        assert client.get(CHANGELIST, {"year": year})["Location"] == f"{CHANGELIST}?e=1"


def test_admin_clerk_cannot_merge_own_into_other_branch(client, alice, bob, hospital, haizhou):
    # Merging needs the review permission anyway; with it, a number outside scope is "no such".
    other = SuggestionFactory(branch=haizhou)
    mine = SuggestionFactory(branch=hospital)
    client.force_login(bob)

    action(client, "merge", [mine], apply="1", into=other.pk)

    mine.refresh_from_db()
    assert mine.state == "received"


def test_admin_add_logs_receipt_and_requires_an_author(client, alice, hospital, zhao_li):
    client.force_login(alice)
    data = {
        "title": "关于复工的建议",
        "topic": "经济发展",
        "text": "正文",
        "branch": hospital.pk,
        "received_on": "2020-02-01",
        "source": "paper",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "forwardings-TOTAL_FORMS": "0",
        "forwardings-INITIAL_FORMS": "0",
        "state_changes-TOTAL_FORMS": "0",
        "state_changes-INITIAL_FORMS": "0",
    }

    refused = client.post(f"{CHANGELIST}add/", data)
    accepted = client.post(f"{CHANGELIST}add/", {**data, "authors": [zhao_li.pk]})

    assert refused.context["adminform"].form.errors == {
        "authors": ["请至少填写一位社员作者，或标明为集体建议。"]
    }
    assert accepted.status_code == 302
    suggestion = Suggestion.objects.get()
    assert list(suggestion.state_changes.values_list("to_state", "changed_by")) == [
        ("received", alice.pk)
    ]


# Members


def test_member_submits_with_co_author_from_own_branch(client, member_login, zhao_li, hospital):
    colleague = MemberFactory(name="侍羽", branch=hospital)
    MemberFactory(name="外支社社员")  # another branch: not offered
    client.force_login(member_login)

    form = client.get("/suggestions/new/").context["form"]
    response = client.post(
        "/suggestions/new/",
        {
            "title": "关于口罩的建议",
            "topic": "经济发展",
            "text": "正文",
            "co_authors": [colleague.pk],
        },
        follow=True,
    )

    assert [m.name for m in form.fields["co_authors"].queryset] == ["侍羽"]
    assert messages_of(response) == ["谢谢，您的建议已收到。"]
    suggestion = Suggestion.objects.get()
    assert (suggestion.branch, suggestion.source, suggestion.submitted_by) == (
        hospital,
        "form",
        member_login,
    )
    assert sorted(suggestion.authors.values_list("name", flat=True)) == ["侍羽", "赵丽"]


def test_member_cannot_name_a_co_author_of_another_branch(client, member_login, outsider):
    client.force_login(member_login)

    response = client.post(
        "/suggestions/new/",
        {"title": "标题", "topic": "经济发展", "text": "正文", "co_authors": [outsider.pk]},
    )

    assert list(response.context["form"].errors) == ["co_authors"]
    assert Suggestion.objects.count() == 0


def test_member_sees_only_own_and_withdraws_only_open_ones(
    client, member_login, zhao_li, hospital, outsider, province, alice
):
    own_open = SuggestionFactory(branch=hospital, title="我的建议", authors=[zhao_li])
    own_forwarded = SuggestionFactory(branch=hospital, title="已报送的建议", authors=[zhao_li])
    services.suggestion_forward(
        suggestion=own_forwarded, body=province, forwarded_on=FEB_10, user=alice
    )
    others = SuggestionFactory(branch=outsider.branch, title="别人的建议", authors=[outsider])
    client.force_login(member_login)

    page = text(client.get("/suggestions/mine/"))
    refused = client.post(f"/suggestions/{own_forwarded.pk}/withdraw/", follow=True)
    foreign = client.post(f"/suggestions/{others.pk}/withdraw/")
    client.post(f"/suggestions/{own_open.pk}/withdraw/")

    assert "我的建议" in page and "已报送的建议" in page and "别人的建议" not in page
    assert messages_of(refused) == ["《已报送的建议》已报送，不能再撤回。"]
    assert foreign.status_code == 404
    own_open.refresh_from_db()
    others.refresh_from_db()
    assert (own_open.state, others.state) == ("withdrawn", "received")
    assert own_open.state_changes.last().changed_by == member_login


def test_login_without_member_gets_403_on_member_pages(client, alice):
    client.force_login(alice)

    assert client.get("/suggestions/new/").status_code == 403


# Attachments


def test_attachment_type_is_limited(client, member_login):
    client.force_login(member_login)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    response = client.post(
        "/suggestions/new/",
        {"title": "标题", "topic": "经济发展", "text": "正文", "attachment": upload},
    )

    assert response.context["form"].errors["attachment"] == [
        "请附 PDF、Word、Excel、JPEG、PNG 或文本文件；run.exe 不属于这些类型。"
    ]


def test_attachment_reaches_author_and_staff_in_scope_only(
    client, member_login, zhao_li, hospital, bob, dave, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    suggestion = SuggestionFactory(branch=hospital, authors=[zhao_li])
    attachment = suggestion.attachments.create(
        file=SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report")
    )
    url = attachment.file.url
    other_member = MemberFactory(user=UserFactory(username="other", is_staff=False))

    def status(user):
        client.force_login(user)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        return response.status_code, body

    assert url.startswith("/suggestions/files/suggestions/")
    assert status(member_login) == (200, b"%PDF-1.4 report")
    assert status(bob) == (200, b"%PDF-1.4 report")
    assert status(dave)[0] == 404
    assert status(other_member.user)[0] == 404


# The public page


def test_public_page_counts_exact(client, alice, hospital, province, united_front):
    call = SuggestionCallFactory()
    states = {}
    for index in range(6):
        states[index] = SuggestionFactory(branch=hospital, call=call)
    SuggestionFactory(branch=hospital)  # outside any call
    services.suggestion_forward(
        suggestion=states[0], body=province, forwarded_on=FEB_10, user=alice
    )
    services.suggestion_forward(
        suggestion=states[1], body=province, forwarded_on=FEB_10, user=alice
    )
    services.suggestion_forward(
        suggestion=states[1], body=united_front, forwarded_on=FEB_10, user=alice
    )
    services.suggestion_answer(suggestion=states[1], body=province, adopted=True, user=alice)
    services.suggestion_merge(suggestion=states[2], into=states[0], user=alice)
    services.suggestion_withdraw(suggestion=states[3], user=alice)
    services.suggestion_review(suggestion=states[4], user=alice)

    totals = figures.state_counts(Suggestion.objects.all())
    by_call = {
        row["call_id"]: row["received"]
        for row in figures.state_counts_by_call(Suggestion.objects.all())
    }
    page = text(client.get("/suggestions/"))

    assert totals == {
        "received": 6,
        "awaiting": 3,
        "forwarded": 2,
        "adopted": 1,
        "merged": 1,
        "withdrawn": 1,
    }
    assert by_call == {call.pk: 5, None: 1}
    assert figures.forwarded_by_body(Suggestion.objects.all()) == [
        {"body": "九三学社江苏省委", "forwarded": 2, "adopted": 1},
        {"body": "中共连云港市委统战部", "forwarded": 1, "adopted": 0},
    ]
    assert "已收到 6 待决定 3 已报送上级 2 已采纳 1 已合并 1" in page


def test_kept_counts_equal_a_recount_after_every_kind_of_write(alice, hospital, province):
    """The page reads counts kept per call, state and body (suggestions/tallies.py): they follow
    additions, moves through the workflow, a move to another call by plain SQL, and deletions."""
    call, other_call = SuggestionCallFactory(), SuggestionCallFactory()
    made = [SuggestionFactory(branch=hospital, call=call) for _ in range(4)]
    SuggestionFactory(branch=hospital)  # outside any call
    services.suggestion_forward(suggestion=made[0], body=province, forwarded_on=FEB_10, user=alice)
    services.suggestion_forward(suggestion=made[1], body=province, forwarded_on=FEB_10, user=alice)
    services.suggestion_answer(suggestion=made[1], body=province, adopted=True, user=alice)
    services.suggestion_withdraw(suggestion=made[2], user=alice)
    Suggestion.objects.filter(pk=made[3].pk).update(call=other_call)
    everything = Suggestion.objects.all()
    before = figures.kept_counts_by_call(), figures.kept_forwarded_by_body()
    counted = figures.state_counts_by_call(everything), figures.forwarded_by_body(everything)

    Forwarding.objects.filter(suggestion=made[0]).delete()
    Suggestion.objects.filter(pk=made[3].pk).delete()
    after = figures.kept_counts_by_call(), figures.kept_forwarded_by_body()

    assert before == counted
    assert [row["received"] for row in before[0]] == [2, 1, 1]  # call, other call, none
    assert before[1] == [{"body": "九三学社江苏省委", "forwarded": 2, "adopted": 1}]
    assert after == (
        figures.state_counts_by_call(everything),
        figures.forwarded_by_body(everything),
    )
    assert [row["call_id"] for row in after[0]] == [call.pk, None]
    assert differences(["suggestions_calltally", "suggestions_bodytally"]) == {}


def test_public_titles_counted_from_the_kept_counts_equal_those_listed(client, alice, hospital):
    """The public page's number of titles comes from the kept counts (``CallTally.public``),
    unless a topic is chosen: it follows a title made private or public again, a withdrawal, a
    merge and a move to another call, and says what the list holds under each filter."""
    call, other_call = SuggestionCallFactory(), SuggestionCallFactory()
    made = [SuggestionFactory(branch=hospital, call=call) for _ in range(5)]
    SuggestionFactory(branch=hospital)  # outside any call
    SuggestionFactory(branch=hospital, call=call, is_public=False)
    services.suggestion_withdraw(suggestion=made[0], user=alice)
    services.suggestion_merge(suggestion=made[1], into=made[2], user=alice)
    services.suggestion_review(suggestion=made[2], user=alice)
    Suggestion.objects.filter(pk=made[3].pk).update(call=other_call)
    Suggestion.objects.filter(pk=made[4].pk).update(is_public=False)
    Suggestion.objects.filter(pk=made[4].pk).update(is_public=True)

    for chosen_call in [None, call, other_call]:
        for state in [None, "received", "under_review", "withdrawn"]:
            listed = Suggestion.objects.public()
            listed = listed.filter(call=chosen_call) if chosen_call else listed
            listed = listed.filter(state=state) if state else listed

            kept = figures.kept_public_count(chosen_call, state)

            assert kept == listed.count(), (chosen_call, state)
    assert figures.kept_public_count() == 4
    with CaptureQueriesContext(connection) as queries:
        assert "4 条建议" in text(client.get("/suggestions/"))
    assert not [
        q for q in queries if 'COUNT(*) AS "__count" FROM "suggestions_suggestion"' in q["sql"]
    ]
    assert "1 条建议" in text(client.get(f"/suggestions/?call={call.pk}&state=under_review"))
    assert differences(["suggestions_calltally"]) == {}


def test_public_page_names_only_consenting_authors_of_public_suggestions(client, hospital):
    consenting = MemberFactory(name="公开作者", branch=hospital)
    private = MemberFactory(name="不公开作者", branch=hospital, listing_consent=False)
    SuggestionFactory(branch=hospital, title="公开的建议", authors=[consenting, private])
    SuggestionFactory(branch=hospital, title="内部的建议", is_public=False, authors=[consenting])
    SuggestionFactory(branch=hospital, title="集体建议", by_branch=True, authors=[])

    content = client.get("/suggestions/").content.decode()
    page = text(client.get("/suggestions/"))

    assert "《公开的建议》 公开作者" in page
    assert f"《集体建议》 {hospital.name}" in page
    for hidden in ["不公开作者", "内部的建议", private.phone, consenting.phone, consenting.email]:
        assert hidden not in content


def test_public_page_queries_do_not_grow(client, hospital, province, alice):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/suggestions/").status_code == 200
        return len(captured)

    call = SuggestionCallFactory()
    SuggestionFactory(branch=hospital, call=call, authors=[MemberFactory(branch=hospital)])
    few = queries()
    for index in range(12):
        suggestion = SuggestionFactory(
            branch=hospital,
            call=call if index % 2 else SuggestionCallFactory(title=f"征集{index}"),
            authors=[MemberFactory(branch=hospital), MemberFactory(branch=hospital)],
        )
        services.suggestion_forward(
            suggestion=suggestion,
            body=HigherBodyFactory(name=f"上级{index % 3}"),
            forwarded_on=FEB_10,
            user=alice,
        )

    # Cold: the version of the public data, the counts, the calls to filter by, then the page
    # of public titles.
    assert few == queries() == 8


# The story


def test_story_suggestion_figures(client):
    call_command("load_demo")

    totals = figures.state_counts(Suggestion.objects.all())
    page = text(client.get("/suggestions/"))

    assert (totals["received"], totals["forwarded"]) == (62, 40)
    assert {row["body"] for row in figures.forwarded_by_body(Suggestion.objects.all())} == {
        "九三学社江苏省委",
        "中共连云港市委统战部",
    }
    assert "《关于稳定口罩价格的建议》 经济科技支社" in page
    assert "《疫情对连云港“一带一路”物流和中欧班列的影响》 海州区基层委员会" in page


# Found in review: ways around the workflow, and what a member may read


def test_history_revert_cannot_move_a_suggestion_back(client, alice, bob, hospital, province):
    suggestion = SuggestionFactory(branch=hospital)
    first = suggestion.history.earliest("history_date")
    services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )
    url = f"{CHANGELIST}{suggestion.pk}/history/{first.history_id}/"
    data = {
        "title": suggestion.title,
        "topic": suggestion.topic,
        "text": suggestion.text,
        "branch": hospital.pk,
        "received_on": "2020-02-01",
        "source": "staff",
    }

    statuses = []
    for user in (bob, alice):
        client.force_login(user)
        statuses.append(client.post(url, data).status_code)

    suggestion.refresh_from_db()
    assert statuses == [403, 403]
    assert suggestion.state == "forwarded"


def test_forwarding_cannot_be_deleted_nor_its_date_changed(client, alice, hospital, province):
    suggestion = SuggestionFactory(branch=hospital)
    forwarding = services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )
    client.force_login(alice)
    url = f"/admin/suggestions/forwarding/{forwarding.pk}/"

    deleted = client.post(f"{url}delete/", {"post": "yes"})
    client.post(
        f"{url}change/",
        {
            "forwarded_on": "2020-01-01",
            "document_no": "新文号",
            "feedback": "",
            **version(forwarding),
        },
    )

    forwarding.refresh_from_db()
    assert deleted.status_code == 403
    assert (forwarding.forwarded_on, forwarding.document_no) == (FEB_10, "新文号")


def test_member_never_reads_the_title_of_another_branchs_private_suggestion(
    client, member_login, zhao_li, hospital, haizhou, alice
):
    mine = SuggestionFactory(branch=hospital, authors=[zhao_li])
    theirs = SuggestionFactory(branch=haizhou, title="海州内部未公开建议", is_public=False)
    services.suggestion_merge(suggestion=mine, into=theirs, user=alice)
    client.force_login(member_login)

    page = text(client.get("/suggestions/mine/"))

    assert "海州内部未公开建议" not in page
    assert "已并入一条相近的建议，随其办理。" in page


def test_reviewer_of_one_branch_cannot_merge_into_another_branch(client, hospital, haizhou):
    from django.contrib.auth.models import Group, Permission

    from members import roles

    reviewer = UserFactory(username="reviewer", branch=hospital)
    reviewer.groups.add(Group.objects.get(name=roles.BRANCH_CLERK))
    reviewer.user_permissions.add(Permission.objects.get(codename="review_suggestion"))
    mine = SuggestionFactory(branch=hospital)
    other = SuggestionFactory(branch=haizhou)
    client.force_login(reviewer)

    response = action(client, "merge", [mine], apply="1", into=other.pk)

    mine.refresh_from_db()
    assert messages_of(response) == ["没有这个编号的建议。"]
    assert mine.state == "received"


@pytest.mark.parametrize(
    ("is_public", "state", "listed"),
    [
        (True, "received", True),
        (True, "forwarded", True),
        (True, "adopted", True),
        (True, "merged", False),
        (True, "withdrawn", False),
        (False, "forwarded", False),
    ],
)
def test_public_queryset_over_flags_and_states(hospital, is_public, state, listed):
    target = SuggestionFactory(branch=hospital)
    suggestion = SuggestionFactory(
        branch=hospital,
        is_public=is_public,
        state=state,
        merged_into=target if state == "merged" else None,
    )

    assert (suggestion in Suggestion.objects.public()) is listed


def test_former_member_cannot_send_a_suggestion(client, member_login, zhao_li):
    zhao_li.status = "left"
    zhao_li.save()
    client.force_login(member_login)

    assert client.get("/suggestions/new/").status_code == 403


def test_clerk_cannot_make_a_title_public(client, bob, hospital, zhao_li):
    client.force_login(bob)

    form = client.get(f"{CHANGELIST}add/").context["adminform"].form

    assert "is_public" not in form.fields
