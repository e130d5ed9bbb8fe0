"""A posting's duties become words of its campaign (Campaign.duty_words) instead of fixed codes:
the codes stored so far become the Chinese words they showed, and each campaign's words are the
general defaults plus those its postings use."""

import django.contrib.postgres.fields
import functools
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


# The fixed duties' codes and the words they showed (their Chinese labels).
DUTY_WORDS_OF_CODES = {
    "checkpoint": "卡口值守",
    "screening": "逐户排查",
    "publicity": "宣传",
    "supplies": "物资保障",
    "key_groups": "重点人群服务",
}


def codes_to_words(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Posting = apps.get_model("campaigns", "Posting")
    # The history too, so that it reads as the words were shown.
    for model in (Posting, apps.get_model("campaigns", "HistoricalPosting")):
        for posting in model.objects.all():
            posting.duties = [DUTY_WORDS_OF_CODES.get(duty, duty) for duty in posting.duties]
            posting.save(update_fields=["duties"])
    for campaign in Campaign.objects.filter(postings__isnull=False).distinct():
        used = Posting.objects.filter(campaign=campaign).values_list("duties", flat=True)
        words = dict.fromkeys(campaign.duty_words)
        words.update(dict.fromkeys(word for duties in used for word in duties))
        campaign.duty_words = list(words)
        campaign.save(update_fields=["duty_words"])


def words_to_codes(apps, schema_editor):
    Posting = apps.get_model("campaigns", "Posting")
    codes = {word: code for code, word in DUTY_WORDS_OF_CODES.items()}
    for posting in Posting.objects.all():
        # A word with no code (a campaign's own) cannot go back: the old constraint refuses it.
        posting.duties = [codes[duty] for duty in posting.duties if duty in codes] or ["publicity"]
        posting.save(update_fields=["duties"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0003_campaign_take_part'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='posting',
            name='posting_duties_valid',
        ),
        migrations.AddField(
            model_name='campaign',
            name='duty_words',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=functools.partial(list, ['志愿服务', '物资分发', '宣传引导', '后勤保障']), help_text='The duties a posting of this campaign may list, separated by 、; shown on the public page with each posting.', verbose_name='duties of its postings'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='duty_words',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=functools.partial(list, ['志愿服务', '物资分发', '宣传引导', '后勤保障']), help_text='The duties a posting of this campaign may list, separated by 、; shown on the public page with each posting.', verbose_name='duties of its postings'),
        ),
        migrations.AlterField(
            model_name='historicalposting',
            name='duties',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), help_text='Several may apply.', verbose_name='duties'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='duties',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), help_text='Several may apply.', verbose_name='duties'),
        ),
        migrations.RunPython(codes_to_words, words_to_codes),
        pgtrigger.migrations.AddTrigger(
            model_name='posting',
            trigger=pgtrigger.compiler.Trigger(name='posting_duties_among_words', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    IF NOT NEW.duties <@ (SELECT duty_words FROM campaigns_campaign WHERE id = NEW.campaign_id)\n    THEN\n        RAISE EXCEPTION 'duties % are not among the words of campaign %',\n            NEW.duties, NEW.campaign_id\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'posting_duties_among_words';\n    END IF;\n    RETURN NEW;\n    ", hash='58a6aae2ce9841027ecade3ace1adb337e1cea58', operation='INSERT OR UPDATE OF "duties", "campaign_id"', pgid='pgtrigger_posting_duties_among_words_e5b25', table='campaigns_posting', when='BEFORE')),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(('duties__len__gt', 0)), name='posting_duties_valid', violation_error_message='Choose at least one duty.'),
        ),
    ]
