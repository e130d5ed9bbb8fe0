"""A suggestion's topic becomes a word of its call (SuggestionCall.topic_words) instead of a fixed
code: the codes stored so far become the words the import and export used for them, and each
call's words are the general defaults plus those its suggestions use."""

import django.contrib.postgres.fields
import functools
from django.conf import settings
from django.db import migrations, models


# The fixed topics' codes and their words (the spreadsheet's 主题 words).
TOPIC_WORDS_OF_CODES = {
    "epidemic": "疫情防控",
    "health": "医疗卫生",
    "economy": "经济与复工复产",
    "livelihood": "民生保障",
    "governance": "社会治理",
    "science": "科技教育",
    "other": "其他",
}


def codes_to_words(apps, schema_editor):
    SuggestionCall = apps.get_model("suggestions", "SuggestionCall")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    for code, word in TOPIC_WORDS_OF_CODES.items():
        Suggestion.objects.filter(topic=code).update(topic=word)
        apps.get_model("suggestions", "HistoricalSuggestion").objects.filter(topic=code).update(
            topic=word
        )
    for call in SuggestionCall.objects.filter(suggestions__isnull=False).distinct():
        used = Suggestion.objects.filter(call=call).values_list("topic", flat=True).distinct()
        words = dict.fromkeys(call.topic_words)
        words.update(dict.fromkeys(sorted(used)))
        call.topic_words = list(words)
        call.save(update_fields=["topic_words"])


def words_to_codes(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    for code, word in TOPIC_WORDS_OF_CODES.items():
        Suggestion.objects.filter(topic=word).update(topic=code)
    # A word with no code (a call's own) cannot go back: the old constraint refuses it.
    Suggestion.objects.exclude(topic__in=TOPIC_WORDS_OF_CODES).update(topic="other")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_correction_requests'),
        ('suggestions', '0002_suggestion_public_page'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='suggestion',
            name='suggestion_topic',
        ),
        migrations.AddField(
            model_name='historicalsuggestioncall',
            name='topic_words',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), default=functools.partial(list, ['经济发展', '社会民生', '生态环境', '科教文卫', '其他']), help_text='The topics a suggestion to this call may have, separated by 、; the public suggestions page and the reports group by them.', verbose_name='topics'),
        ),
        migrations.AddField(
            model_name='suggestioncall',
            name='topic_words',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), default=functools.partial(list, ['经济发展', '社会民生', '生态环境', '科教文卫', '其他']), help_text='The topics a suggestion to this call may have, separated by 、; the public suggestions page and the reports group by them.', verbose_name='topics'),
        ),
        migrations.AlterField(
            model_name='historicalsuggestion',
            name='topic',
            field=models.CharField(max_length=20, verbose_name='topic'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='topic',
            field=models.CharField(max_length=20, verbose_name='topic'),
        ),
        migrations.RunPython(codes_to_words, words_to_codes),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('topic', ''), _negated=True), name='suggestion_topic'),
        ),
    ]
