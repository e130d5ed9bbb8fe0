"""A campaign's posting duties and a call's suggestion topics are words staff set, with general
defaults; a posting or a suggestion takes only its campaign's or call's words, and the pages show
the words as stored. A blood drive's donor goal reads 献血人数."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from campaigns.admin import CampaignAdmin
from campaigns.models import Campaign, Goal, Posting
from suggestions.models import Suggestion
from tests.factories import (
    BloodDonationFactory,
    CampaignFactory,
    PostingFactory,
    SuggestionCallFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import text
from tests.spreadsheets import csv_bytes, invalid_rows, preview

pytestmark = pytest.mark.django_db

GENERAL_DUTIES = ["志愿服务", "物资分发", "宣传引导", "后勤保障"]
GENERAL_TOPICS = ["经济发展", "社会民生", "生态环境", "科教文卫", "其他"]


@pytest.fixture
def member_login(zhao_li):
    """赵丽's own login (not staff)."""
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


def _errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


# Duties


def test_new_campaign_has_the_general_duties_each_its_own_list():
    first, second = CampaignFactory(kind="volunteer"), CampaignFactory(kind="volunteer")
    first.duty_words.append("巡河护河")

    assert (first.duty_words, second.duty_words) == (GENERAL_DUTIES + ["巡河护河"], GENERAL_DUTIES)
    second.refresh_from_db()
    assert second.duty_words == GENERAL_DUTIES


def test_posting_duty_not_among_its_campaigns_words_is_refused_naming_the_field():
    campaign = CampaignFactory(kind="volunteer", title="社区服务", duty_words=["巡河护河", "助老"])
    posting = PostingFactory.build(campaign=campaign, duties=["助老", "卡口值守"])

    assert _errors(posting) == {
        "duties": ["任务“卡口值守”不在“社区服务”的任务之中：巡河护河、助老。"]
    }
    posting.duties = ["助老"]
    posting.full_clean()


def test_posting_duty_not_among_its_campaigns_words_is_refused_by_the_database():
    campaign = CampaignFactory(kind="volunteer", duty_words=["巡河护河", "助老"])
    posting = PostingFactory(campaign=campaign, duties=["助老"])

    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(duties=["卡口值守"])
    Posting.objects.filter(pk=posting.pk).update(duties=["巡河护河", "助老"])

    posting.refresh_from_db()
    assert posting.duties == ["巡河护河", "助老"]


def test_admin_reads_a_campaigns_duties_separated_by_dunhao(alice):
    request = RequestFactory().get("/admin/")
    request.user = alice
    model_admin = CampaignAdmin(Campaign, admin.site)

    field = model_admin.formfield_for_dbfield(Campaign._meta.get_field("duty_words"), request)

    assert field.clean("卡口值守、 逐户排查") == ["卡口值守", "逐户排查"]
    assert field.prepare_value(["卡口值守", "逐户排查"]) == "卡口值守、逐户排查"


def test_admin_posting_form_refuses_a_duty_of_another_campaign(client, alice):
    ours = CampaignFactory(kind="volunteer", title="社区服务", duty_words=["助老"])
    CampaignFactory(kind="volunteer", title="防汛", duty_words=["巡堤"])
    client.force_login(alice)
    data = {
        "campaign": ours.pk,
        "place": "电台社区",
        "place_kind": "community",
        "district": "海州区",
        "starts_on": "2020-02-01",
        "people_needed": "3",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }

    offered = client.get("/admin/campaigns/posting/add/").context["adminform"].form
    refused = client.post("/admin/campaigns/posting/add/", {**data, "duties": ["巡堤"]})
    accepted = client.post("/admin/campaigns/posting/add/", {**data, "duties": ["助老"]})

    assert offered.fields["duties"].choices == [("助老", "助老"), ("巡堤", "巡堤")]
    assert refused.context["adminform"].form.errors == {
        "duties": ["任务“巡堤”不在“社区服务”的任务之中：助老。"]
    }
    assert accepted.status_code == 302
    assert list(Posting.objects.values_list("duties", flat=True)) == [["助老"]]


def test_public_campaign_page_shows_the_duties_as_set(client):
    campaign = CampaignFactory(kind="volunteer", duty_words=["巡河护河", "助老"])
    PostingFactory(campaign=campaign, place="河滨社区", duties=["巡河护河", "助老"])

    page = text(client.get(campaign.get_absolute_url()))

    assert "巡河护河、助老" in page


# Topics


def test_new_call_has_the_general_topics():
    assert SuggestionCallFactory().topic_words == GENERAL_TOPICS


def test_suggestion_topic_not_among_its_calls_words_is_refused_naming_the_topic(hospital):
    call = SuggestionCallFactory(title="乡村振兴献一策", topic_words=["产业", "人才"])
    suggestion = SuggestionFactory.build(call=call, topic="经济发展", branch=hospital)
    outside_call = SuggestionFactory.build(call=None, topic="产业", branch=hospital)

    assert _errors(suggestion) == {
        "topic": ["主题“经济发展”不属于“乡村振兴献一策”，请从以下主题中选择：产业、人才。"]
    }
    assert _errors(outside_call) == {
        "topic": [
            "主题“产业”不是征集活动以外的建议可选的主题，请从以下主题中选择："
            "经济发展、社会民生、生态环境、科教文卫、其他。"
        ]
    }


def test_member_submission_refuses_a_topic_of_another_call(client, member_login, zhao_li):
    call = SuggestionCallFactory(
        title="乡村振兴献一策", opens_on=datetime.date(2000, 1, 1), topic_words=["产业", "人才"]
    )
    client.force_login(member_login)
    data = {"call": call.pk, "title": "关于乡村人才的建议", "text": "正文"}

    offered = client.get("/suggestions/new/").context["form"].fields["topic"].choices
    refused = client.post("/suggestions/new/", {**data, "topic": "经济发展"})
    accepted = client.post("/suggestions/new/", {**data, "topic": "人才"})

    assert [word for word, _ in offered] == ["", "产业", "人才", *GENERAL_TOPICS]
    assert refused.context["form"].errors == {
        "topic": ["主题“经济发展”不属于“乡村振兴献一策”，请从以下主题中选择：产业、人才。"]
    }
    assert accepted.status_code == 302
    assert list(Suggestion.objects.values_list("topic", flat=True)) == ["人才"]


def test_import_refuses_a_topic_not_among_the_calls_words(client, alice, zhao_li):
    SuggestionCallFactory(title="乡村振兴献一策", topic_words=["产业", "人才"])
    client.force_login(alice)
    headers = ["标题", "内容", "主题", "征集活动", "所属组织", "作者", "收到日期"]
    rows = [
        ["关于乡村人才的建议", "正文", "人才", "乡村振兴献一策", "医院支社", "赵丽", "2020/2/3"],
        ["关于复工的建议", "正文", "经济发展", "乡村振兴献一策", "医院支社", "赵丽", "2020/2/3"],
    ]

    response = preview(client, "/admin/suggestions/suggestion/", csv_bytes(headers, rows))

    assert invalid_rows(response) == [
        (3, {"主题": ["主题“经济发展”不属于“乡村振兴献一策”，请从以下主题中选择：产业、人才。"]})
    ]
    assert Suggestion.objects.count() == 0


def test_public_suggestions_page_filters_by_a_calls_own_topic(client):
    call = SuggestionCallFactory(title="乡村振兴献一策", topic_words=["产业", "人才"])
    SuggestionFactory(call=call, topic="人才", title="关于乡村人才的建议")
    SuggestionFactory(call=call, topic="产业", title="关于乡村产业的建议")

    page = text(client.get("/suggestions/", {"topic": "人才"}))

    assert ("关于乡村人才的建议" in page, "关于乡村产业的建议" in page) == (True, False)


# The blood drive's goal


def test_blood_drive_donor_goal_reads_blood_donors_and_a_donation_drive_donors(client):
    blood = CampaignFactory(kind="blood", title="无偿献血")
    Goal.objects.create(campaign=blood, metric="donors", target=Decimal("10"))
    BloodDonationFactory(campaign=blood, date=datetime.date(2020, 2, 6))
    money = CampaignFactory(kind="donation", title="特殊社费")
    Goal.objects.create(campaign=money, metric="donors", target=Decimal("10"))

    blood_goals = client.get(blood.get_absolute_url()).context["figures"]["goals"]
    money_goals = client.get(money.get_absolute_url()).context["figures"]["goals"]

    assert [str(goal["label"]) for goal in blood_goals] == ["献血人数"]
    assert [str(goal["label"]) for goal in money_goals] == ["捐赠人数"]
