"""Suggestions readable one by one: each public suggestion's own page, the overview's links and
filters, a member's steps, the withdrawal's confirmation and the co-author search."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suggestions import services
from suggestions.models import Suggestion
from tests.factories import (
    HigherBodyFactory,
    MemberFactory,
    SuggestionCallFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import messages_of, text

pytestmark = pytest.mark.django_db

FEB_10 = datetime.date(2020, 2, 10)


@pytest.fixture
def province():
    return HigherBodyFactory(name="九三学社江苏省委")


@pytest.fixture
def member_login(zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


def at(year, month, day):
    """Noon of that day in the portal's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def detail_url(suggestion):
    return f"/suggestions/{suggestion.pk}/"


# A public suggestion's own page


def test_detail_page_tells_the_whole_story_of_a_public_suggestion(
    client, alice, hospital, province
):
    consenting = MemberFactory(name="公开作者", branch=hospital)
    private = MemberFactory(name="不公开作者", branch=hospital, listing_consent=False)
    suggestion = SuggestionFactory(
        title="关于口罩的建议",
        text="建议统一调配口罩。",
        topic="科教文卫",
        branch=hospital,
        call=SuggestionCallFactory(title="我为抗疫献一策"),
        received_on=datetime.date(2020, 2, 3),
        authors=[consenting, private],
    )
    services.suggestion_forward(
        suggestion=suggestion, body=province, forwarded_on=FEB_10, user=alice
    )
    services.suggestion_answer(
        suggestion=suggestion, body=province, adopted=True, feedback="已转有关部门。", user=alice
    )

    page = text(client.get(detail_url(suggestion)))

    assert (
        "科教文卫 已采纳 《关于口罩的建议》 作者 公开作者 收到日期 2020年2月3日 "
        "征集活动 我为抗疫献一策 九三学社江苏省委"
    ) in page
    assert "建议内容 建议统一调配口罩。" in page
    assert "报送与答复 2020年2月10日 报送九三学社江苏省委 · 已采纳 已转有关部门。" in page
    assert "不公开作者" not in page


def test_detail_page_shows_the_public_summary_in_place_of_the_text(client, hospital):
    suggestion = SuggestionFactory(
        branch=hospital, text="含有不宜公开的细节。", public_summary="建议加强物资调配。"
    )

    page = text(client.get(detail_url(suggestion)))

    assert "摘要 建议加强物资调配。" in page
    assert "不宜公开" not in page


def test_detail_page_names_a_branch_only_as_collective_author(client, hospital):
    collective = SuggestionFactory(branch=hospital, by_branch=True)
    unnamed = SuggestionFactory(
        branch=hospital, authors=[MemberFactory(branch=hospital, listing_consent=False)]
    )

    assert f"作者 {hospital.name}" in text(client.get(detail_url(collective)))
    assert "作者 未具名" in text(client.get(detail_url(unnamed)))
    assert hospital.name not in text(client.get(detail_url(unnamed)))


@pytest.mark.parametrize(
    ("is_public", "state"), [(False, "received"), (True, "withdrawn"), (True, "merged")]
)
def test_detail_page_of_a_suggestion_not_public_is_404(client, hospital, is_public, state):
    other = SuggestionFactory(branch=hospital)
    suggestion = SuggestionFactory(
        branch=hospital,
        is_public=is_public,
        state=state,
        merged_into=other if state == "merged" else None,
    )

    assert client.get(detail_url(suggestion)).status_code == 404


def test_detail_page_says_how_many_were_merged_into_it(client, alice, hospital):
    carrier = SuggestionFactory(branch=hospital)
    for _ in range(2):
        services.suggestion_merge(
            suggestion=SuggestionFactory(branch=hospital), into=carrier, user=alice
        )

    assert "另有 2 条相似建议并入本建议。" in text(client.get(detail_url(carrier)))


def test_detail_page_queries_do_not_grow(client, alice, hospital):
    def queries(suggestion):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail_url(suggestion)).status_code == 200
        return len(captured)

    few = SuggestionFactory(branch=hospital, authors=[MemberFactory(branch=hospital)])
    many = SuggestionFactory(
        branch=hospital, authors=[MemberFactory(branch=hospital) for _ in range(5)]
    )
    for index in range(3):
        services.suggestion_forward(
            suggestion=many,
            body=HigherBodyFactory(name=f"上级{index}"),
            forwarded_on=FEB_10,
            user=alice,
        )

    # The version, the suggestion, its authors, its forwardings, the count merged into it.
    assert queries(few) == queries(many) == 5


# The overview


def test_overview_titles_link_to_their_pages(client, hospital):
    suggestion = SuggestionFactory(branch=hospital, title="关于口罩的建议")

    content = client.get("/suggestions/").content.decode()

    assert f'href="/suggestions/{suggestion.pk}/">《关于口罩的建议》</a>' in content


def test_overview_filters_by_call_topic_and_state(client, alice, hospital, province):
    call = SuggestionCallFactory(title="我为抗疫献一策")
    SuggestionFactory(branch=hospital, title="甲", call=call, topic="科教文卫")
    forwarded = SuggestionFactory(branch=hospital, title="乙", call=call, topic="科教文卫")
    services.suggestion_forward(
        suggestion=forwarded, body=province, forwarded_on=FEB_10, user=alice
    )
    SuggestionFactory(branch=hospital, title="丙", topic="科教文卫")
    SuggestionFactory(branch=hospital, title="丁", call=call, topic="经济发展")

    def titles(query):
        return re.findall(r"《(.)》</a>", client.get(f"/suggestions/?{query}").content.decode())

    assert sorted(titles(f"call={call.pk}")) == ["丁", "乙", "甲"]
    assert sorted(titles(f"call={call.pk}&topic=科教文卫")) == ["乙", "甲"]
    assert titles(f"call={call.pk}&topic=科教文卫&state=forwarded") == ["乙"]
    assert "找到 1 条建议。" in text(client.get("/suggestions/?state=forwarded"))


def test_overview_ignores_a_filter_it_does_not_offer_and_says_so(client, hospital):
    SuggestionFactory(branch=hospital, title="甲")

    page = text(client.get("/suggestions/?state=withdrawn&call=999"))

    assert "部分筛选条件无法识别，已忽略：" in page
    assert "《甲》" in page


def test_overview_with_one_call_shows_its_counts_once(client, hospital):
    call = SuggestionCallFactory(title="我为抗疫献一策")
    SuggestionFactory(branch=hospital, call=call)

    content = client.get("/suggestions/").content.decode()

    # The counts of the call alone would repeat the totals: one block, the call named above it.
    assert content.count('<dl class="campaign-stats">') == 1
    assert "按征集活动" not in content
    assert "响应九三学社江苏省委“我为抗疫献一策”征集" in text(client.get("/suggestions/"))


def test_overview_with_several_calls_tables_them(client, hospital):
    SuggestionFactory(branch=hospital, call=SuggestionCallFactory(title="我为抗疫献一策"))
    SuggestionFactory(branch=hospital)

    page = text(client.get("/suggestions/"))

    assert "按征集活动" in page
    assert "我为抗疫献一策 九三学社江苏省委 · 2020年1月28日 起 1 1 0 0" in page
    assert "不属于征集活动 1 1 0 0" in page


# A member's own suggestions


def test_my_suggestions_show_each_step_with_its_date(
    client, member_login, zhao_li, hospital, alice, province
):
    adopted = SuggestionFactory(
        branch=hospital, title="已采纳的", received_on=datetime.date(2020, 2, 3), authors=[zhao_li]
    )
    services.suggestion_review(suggestion=adopted, user=alice)
    services.suggestion_forward(suggestion=adopted, body=province, forwarded_on=FEB_10, user=alice)
    services.suggestion_answer(suggestion=adopted, body=province, adopted=True, user=alice)
    waiting = SuggestionFactory(
        branch=hospital, title="刚收到的", received_on=datetime.date(2020, 2, 4), authors=[zhao_li]
    )
    # The log's times, fixed: the steps' dates must not be today's.
    adopted.state_changes.filter(to_state="under_review").update(changed_at=at(2020, 2, 5))
    adopted.state_changes.filter(to_state="adopted").update(changed_at=at(2020, 3, 2))
    client.force_login(member_login)

    response = client.get("/suggestions/mine/")
    page = text(response)

    assert (
        "收到 2020年2月3日 审阅 2020年2月5日 报送 2020年2月10日 采纳 2020年3月2日"
    ) in page.split("《已采纳的》")[1]
    assert "收到 2020年2月4日 审阅 进行中 报送 — 采纳 —" in page.split("《刚收到的》")[1]
    assert response.content.decode().count('aria-current="step"') == 1
    assert waiting.state == "received"


def test_withdrawn_suggestion_steps_end_at_the_withdrawal(client, member_login, zhao_li, hospital):
    suggestion = SuggestionFactory(branch=hospital, title="撤回的", authors=[zhao_li])
    services.suggestion_withdraw(suggestion=suggestion, user=member_login)
    suggestion.state_changes.filter(to_state="withdrawn").update(changed_at=at(2020, 2, 6))
    client.force_login(member_login)

    page = text(client.get("/suggestions/mine/"))

    assert "收到 2020年2月1日 撤回 2020年2月6日" in page


def test_withdrawal_asks_first(client, member_login, zhao_li, hospital):
    suggestion = SuggestionFactory(branch=hospital, title="我的建议", authors=[zhao_li])
    client.force_login(member_login)

    mine = client.get("/suggestions/mine/").content.decode()
    question = client.get(f"/suggestions/{suggestion.pk}/withdraw/")
    suggestion.refresh_from_db()
    state_after_asking = suggestion.state
    answered = client.post(f"/suggestions/{suggestion.pk}/withdraw/", follow=True)
    suggestion.refresh_from_db()

    # No form on the list withdraws at once: its link leads to the question.
    assert f'action="/suggestions/{suggestion.pk}/withdraw/"' not in mine
    assert f'href="/suggestions/{suggestion.pk}/withdraw/"' in mine
    assert "确定撤回《我的建议》吗？" in text(question)
    assert state_after_asking == "received"
    assert (suggestion.state, messages_of(answered)) == ("withdrawn", ["《我的建议》已撤回。"])


def test_withdrawal_question_of_another_members_suggestion_is_404(client, member_login, outsider):
    others = SuggestionFactory(branch=outsider.branch, authors=[outsider])
    client.force_login(member_login)

    assert client.get(f"/suggestions/{others.pk}/withdraw/").status_code == 404


# The co-author picker


def test_co_author_picker_carries_search_keys_and_its_script(client, member_login, hospital):
    MemberFactory(name="侍羽", branch=hospital)
    client.force_login(member_login)

    content = client.get("/suggestions/new/").content.decode()

    assert 'data-search="侍羽 shiyu sy"' in content
    # The search box waits for the script, which shows it; without it the checkboxes stay.
    assert '<div class="picker-search-box mb-2" hidden' in content
    assert '<script src="/static/js/co-authors.js" defer></script>' in content


def test_co_author_found_by_search_is_a_co_author(client, member_login, zhao_li, hospital):
    colleague = MemberFactory(name="侍羽", branch=hospital)
    client.force_login(member_login)

    client.post(
        "/suggestions/new/",
        {"title": "标题", "topic": "经济发展", "text": "正文", "co_authors": [colleague.pk]},
    )

    assert sorted(Suggestion.objects.get().authors.values_list("name", flat=True)) == [
        "侍羽",
        "赵丽",
    ]
