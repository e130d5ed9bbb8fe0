"""The history page in words (portal.admin.ReadableHistoryContextHelper and
templates/simple_history/object_history_list.html): choice labels, not codes; a Chinese changes
column; yes/no, dates and empty values as a reader writes them; the workflow's state shown though
no form edits it; derived columns left out."""

import datetime
import re

from django.utils import translation

from suggestions import services
from suggestions.models import StateChange
from tests.factories import DonationFactory, SuggestionFactory
from tests.pages import text


def changes(response) -> list[str]:
    """Each change the page lists, as text ("状态：已收到 → 审阅中"), newest first."""
    items = re.findall(r'<ul class="history-changes">(.*?)</ul>', response.content.decode(), re.S)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item).replace("&nbsp;", " "))
        .strip()
        .replace("&rarr;", "→")
        for block in items
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def test_history_suggestion_state_in_words(client, alice, hospital):
    suggestion = SuggestionFactory(branch=hospital)
    services.suggestion_review(suggestion=suggestion, user=alice)
    client.force_login(alice)

    response = client.get(f"/admin/suggestions/suggestion/{suggestion.pk}/history/")

    assert changes(response) == ["状态：已收到 → 审阅中"]
    assert "under_review" not in response.content.decode()


def test_history_changes_column_and_empty_reason_in_chinese(client, alice, zhao_li):
    zhao_li.workplace = ""
    zhao_li.save()
    client.force_login(alice)

    response = client.get(f"/admin/members/member/{zhao_li.pk}/history/")

    headers = re.findall(r'<th scope="col">(.*?)</th>', response.content.decode())
    assert headers[-1] == "修改内容"
    assert changes(response) == ["工作单位：连云港市第四人民医院 → —"]
    assert "None" not in text(response)


def test_history_member_name_change_leaves_out_derived_columns(client, alice, zhao_li):
    zhao_li.name = "赵莉"
    zhao_li.save()
    client.force_login(alice)

    response = client.get(f"/admin/members/member/{zhao_li.pk}/history/")

    assert changes(response) == ["名称：赵丽 → 赵莉"]


def test_history_donation_dates_choices_and_yes_no(client, alice, zhao_li):
    donation = DonationFactory(member=zhao_li, date=datetime.date(2020, 2, 1))
    donation.date = datetime.date(2020, 2, 3)
    donation.anonymous = True
    donation.state = "pledged"
    donation.save()
    client.force_login(alice)

    response = client.get(f"/admin/campaigns/donation/{donation.pk}/history/")

    assert changes(response) == [
        "匿名：否 → 是",
        "日期：2020年2月1日 → 2020年2月3日",
        "状态：已收到 → 已认捐",
    ]


def test_history_in_english_when_chosen(client, alice, hospital):
    suggestion = SuggestionFactory(branch=hospital)
    services.suggestion_review(suggestion=suggestion, user=alice)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(f"/admin/suggestions/suggestion/{suggestion.pk}/history/")

    assert changes(response) == ["State: received → under review"]
    assert "Changes" in text(response)


def test_state_change_reads_in_words(alice, hospital):
    suggestion = SuggestionFactory(branch=hospital, title="关于口罩的建议")
    services.suggestion_review(suggestion=suggestion, user=alice)

    with translation.override("zh-hans"):
        shown = str(StateChange.objects.get(to_state="under_review"))

    assert shown == "关于口罩的建议: 已收到 → 审阅中"
