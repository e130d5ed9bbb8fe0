# The schema as it stands after the redesign (issue 14): self-contained, no import of app code.

import django.core.files.storage
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0001_initial'),
        ('members', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CareVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('sites', models.CharField(max_length=300, verbose_name='sites')),
                ('letters_sent', models.PositiveIntegerField(default=0, help_text='Sent with or after the visit.', verbose_name='letters of sympathy sent')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_visits', to='campaigns.campaign', verbose_name='campaign')),
                ('leaders', models.ManyToManyField(related_name='care_visits_made', to='members.member', verbose_name='leaders')),
                ('visited', models.ManyToManyField(related_name='care_visits_received', to='members.member', verbose_name='members visited')),
            ],
            options={
                'verbose_name': 'care visit',
                'verbose_name_plural': 'care visits',
                'ordering': ['-date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCareVisit',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('sites', models.CharField(max_length=300, verbose_name='sites')),
                ('letters_sent', models.PositiveIntegerField(default=0, help_text='Sent with or after the visit.', verbose_name='letters of sympathy sent')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical care visit',
                'verbose_name_plural': 'historical care visits',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCareVisit_leaders',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('carevisit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='honours.carevisit')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='honours.historicalcarevisit')),
                ('member', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member')),
            ],
            options={
                'verbose_name': 'HistoricalCareVisit_leaders',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCareVisit_visited',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('carevisit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='honours.carevisit')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='honours.historicalcarevisit')),
                ('member', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member')),
            ],
            options={
                'verbose_name': 'HistoricalCareVisit_visited',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCitation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('front_line', 'front-line service'), ('artwork', 'artwork'), ('enterprise', 'enterprise contribution'), ('other', 'other')], max_length=20, verbose_name='kind')),
                ('title', models.CharField(help_text="The artwork's title, or a short heading.", max_length=200, verbose_name='title')),
                ('unit', models.CharField(blank=True, max_length=100, verbose_name='unit')),
                ('role', models.CharField(blank=True, max_length=100, verbose_name='role')),
                ('text', models.TextField(blank=True, help_text="A few words, shown on the honour roll. Your own words, not an article's.", max_length=500, verbose_name='citation')),
                ('medium', models.CharField(blank=True, max_length=50, verbose_name='medium')),
                ('image', models.TextField(blank=True, max_length=100, verbose_name='picture')),
                ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('enterprise', models.ForeignKey(blank=True, db_constraint=False, help_text='For an enterprise contribution; its contact members are honoured.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.enterprise', verbose_name='member enterprise')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'historical citation',
                'verbose_name_plural': 'historical citations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('front_line', 'front-line service'), ('artwork', 'artwork'), ('enterprise', 'enterprise contribution'), ('other', 'other')], max_length=20, verbose_name='kind')),
                ('title', models.CharField(help_text="The artwork's title, or a short heading.", max_length=200, verbose_name='title')),
                ('unit', models.CharField(blank=True, max_length=100, verbose_name='unit')),
                ('role', models.CharField(blank=True, max_length=100, verbose_name='role')),
                ('text', models.TextField(blank=True, help_text="A few words, shown on the honour roll. Your own words, not an article's.", max_length=500, verbose_name='citation')),
                ('medium', models.CharField(blank=True, max_length=50, verbose_name='medium')),
                ('image', models.FileField(blank=True, storage=django.core.files.storage.FileSystemStorage(base_url='/honour-roll/artworks/'), upload_to='artworks/%Y/', verbose_name='picture')),
                ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='citations', to='campaigns.campaign', verbose_name='campaign')),
                ('enterprise', models.ForeignKey(blank=True, help_text='For an enterprise contribution; its contact members are honoured.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='members.enterprise', verbose_name='member enterprise')),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'citation',
                'verbose_name_plural': 'citations',
                'ordering': ['kind', '-date', 'pk'],
                'indexes': [models.Index(fields=['kind', 'member'], name='citation_kind_member_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['front_line', 'artwork', 'enterprise', 'other'])), name='citation_kind_valid'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'enterprise'), ('enterprise__isnull', False)), models.Q(models.Q(('kind', 'enterprise'), _negated=True), ('member__isnull', False)), _connector='OR'), name='citation_names_who', violation_error_message='An enterprise contribution names the enterprise; every other citation names the member.')],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='citation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['roll']::text[]); RETURN NULL;", hash='acdd5482f00bc5d71d9fbc5498722e80c8015794', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_66983', referencing='REFERENCING NEW TABLE AS new_rows ', table='honours_citation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='citation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['roll']::text[]); RETURN NULL;", hash='d7351cfef36ce8053a34543183705e85df427a17', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_d0262', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='honours_citation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='citation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['roll']::text[]); RETURN NULL;", hash='ae67b889d7b2334129bcd4c2673b485dc4951131', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_0b734', referencing='REFERENCING OLD TABLE AS old_rows ', table='honours_citation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='citation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='e5cdd556e730f6267221d13fbb83e35106c25663', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_7f507', table='honours_citation', when='AFTER')),
        ),
    ]
