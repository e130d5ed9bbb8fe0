"""The data steps of the migrations that turned fixed codes into words (campaigns 0004: a
posting's duties; suggestions 0003: a suggestion's topic), run with the models as those
migrations left them, on rows holding the old codes as a register made before them did.

Today's schema refuses a posting's duty outside its campaign's words (a trigger added after the
data step), so that trigger is disabled for the test's transaction only: DDL rolls back with it.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Posting
from suggestions.models import Suggestion
from tests.factories import (
    CampaignFactory,
    PostingFactory,
    SuggestionCallFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

DUTIES = "0004_posting_duties_as_campaign_words"
TOPICS = "0003_topics_as_call_words"
duties_step = importlib.import_module(f"campaigns.migrations.{DUTIES}")
topics_step = importlib.import_module(f"suggestions.migrations.{TOPICS}")


def models_after(app: str, migration: str):
    """The models as of ``migration``: those its data step was written for (no signals, so no
    history is added by the step's own saves)."""
    return MigrationExecutor(connection).loader.project_state((app, migration)).apps


def test_posting_duty_codes_become_the_words_they_showed_and_join_their_campaigns_words():
    campaign = CampaignFactory(kind="volunteer", duty_words=["志愿服务"])
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE campaigns_posting DISABLE TRIGGER "
            "pgtrigger_posting_duties_among_words_e5b25"
        )
    posting = PostingFactory(campaign=campaign, duties=["checkpoint", "志愿服务", "publicity"])
    untouched = PostingFactory(duties=["志愿服务"])
    state = models_after("campaigns", DUTIES)

    duties_step.codes_to_words(state, None)
    posting.refresh_from_db()
    campaign.refresh_from_db()
    history = list(Posting.history.filter(id=posting.pk).values_list("duties", flat=True))
    words = (posting.duties, campaign.duty_words, history)
    duties_step.words_to_codes(state, None)
    posting.refresh_from_db()
    untouched.refresh_from_db()

    assert words == (
        ["卡口值守", "志愿服务", "宣传"],
        ["志愿服务", "卡口值守", "宣传"],
        [["卡口值守", "志愿服务", "宣传"]],
    )
    # Back: the words that had a code get it again; a campaign's own word has none, and a
    # posting left with none gets one the old constraint accepts.
    assert (posting.duties, untouched.duties) == (["checkpoint", "publicity"], ["publicity"])


def test_suggestion_topic_codes_become_their_words_and_join_their_calls_words():
    call = SuggestionCallFactory(topic_words=["社会民生"])
    coded = SuggestionFactory(call=call, topic="epidemic")
    outside = SuggestionFactory(topic="economy")
    worded = SuggestionFactory(call=call, topic="社会民生")
    state = models_after("suggestions", TOPICS)

    topics_step.codes_to_words(state, None)
    call.refresh_from_db()
    topics = list(
        Suggestion.objects.filter(pk__in=[coded.pk, outside.pk, worded.pk])
        .order_by("pk")
        .values_list("topic", flat=True)
    )
    history = set(Suggestion.history.filter(id=coded.pk).values_list("topic", flat=True))
    words = (topics, call.topic_words, history)
    topics_step.words_to_codes(state, None)
    back = list(
        Suggestion.objects.filter(pk__in=[coded.pk, outside.pk, worded.pk])
        .order_by("pk")
        .values_list("topic", flat=True)
    )

    assert words == (
        ["疫情防控", "经济与复工复产", "社会民生"],
        ["社会民生", "疫情防控"],
        {"疫情防控"},
    )
    assert back == ["epidemic", "economy", "other"]
