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
        ('members', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=django.core.files.storage.FileSystemStorage(base_url='/suggestions/files/'), upload_to='suggestions/%Y/%m/', verbose_name='file')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['suggestion', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HigherBody',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
            ],
            options={
                'verbose_name': 'higher body',
                'verbose_name_plural': 'higher bodies',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAttachment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('file', models.TextField(max_length=100, verbose_name='file')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical attachment',
                'verbose_name_plural': 'historical attachments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalForwarding',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('forwarded_on', models.DateField(verbose_name='forwarded on')),
                ('document_no', models.CharField(blank=True, max_length=50, verbose_name='document number')),
                ('feedback', models.TextField(blank=True, verbose_name='feedback or instruction received')),
                ('adopted', models.BooleanField(blank=True, help_text='Empty until the body answers.', null=True, verbose_name='adopted')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical forwarding',
                'verbose_name_plural': 'historical forwardings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHigherBody',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical higher body',
                'verbose_name_plural': 'historical higher bodies',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSuggestion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('topic', models.CharField(choices=[('epidemic', 'epidemic prevention and control'), ('health', 'medicine and health'), ('economy', 'economy and return to work'), ('livelihood', 'livelihood and social security'), ('governance', 'social governance'), ('science', 'science, technology and education'), ('other', 'other')], max_length=20, verbose_name='topic')),
                ('by_branch', models.BooleanField(default=False, help_text='The branch itself is an author (for example after a survey it ran).', verbose_name='collective suggestion of the branch')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('source', models.CharField(choices=[('form', "member's form"), ('staff', 'entered by staff'), ('paper', 'imported from paper')], default='staff', max_length=10, verbose_name='source')),
                ('is_public', models.BooleanField(default=False, help_text='Shown on the public suggestions page; member authors are named there only if they consented to be listed.', verbose_name='title public')),
                ('state', models.CharField(choices=[('received', 'received'), ('under_review', 'under review'), ('forwarded', 'forwarded'), ('adopted', 'adopted'), ('not_adopted', 'not adopted'), ('merged', 'merged into another'), ('withdrawn', 'withdrawn by its author')], default='received', editable=False, max_length=20, verbose_name='state')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical suggestion',
                'verbose_name_plural': 'historical suggestions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSuggestion_authors',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalSuggestion_authors',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSuggestionCall',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('organiser', models.CharField(help_text='For example 九三学社江苏省委.', max_length=100, verbose_name='organising body')),
                ('opens_on', models.DateField(verbose_name='opens on')),
                ('closes_on', models.DateField(blank=True, null=True, verbose_name='closes on')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical call for suggestions',
                'verbose_name_plural': 'historical calls for suggestions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='StateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_state', models.CharField(blank=True, choices=[('received', 'received'), ('under_review', 'under review'), ('forwarded', 'forwarded'), ('adopted', 'adopted'), ('not_adopted', 'not adopted'), ('merged', 'merged into another'), ('withdrawn', 'withdrawn by its author')], max_length=20, verbose_name='from')),
                ('to_state', models.CharField(choices=[('received', 'received'), ('under_review', 'under review'), ('forwarded', 'forwarded'), ('adopted', 'adopted'), ('not_adopted', 'not adopted'), ('merged', 'merged into another'), ('withdrawn', 'withdrawn by its author')], max_length=20, verbose_name='to')),
                ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='changed at')),
                ('note', models.TextField(blank=True, verbose_name='note')),
            ],
            options={
                'verbose_name': 'state change',
                'verbose_name_plural': 'state changes',
                'ordering': ['suggestion', 'changed_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('topic', models.CharField(choices=[('epidemic', 'epidemic prevention and control'), ('health', 'medicine and health'), ('economy', 'economy and return to work'), ('livelihood', 'livelihood and social security'), ('governance', 'social governance'), ('science', 'science, technology and education'), ('other', 'other')], max_length=20, verbose_name='topic')),
                ('by_branch', models.BooleanField(default=False, help_text='The branch itself is an author (for example after a survey it ran).', verbose_name='collective suggestion of the branch')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('source', models.CharField(choices=[('form', "member's form"), ('staff', 'entered by staff'), ('paper', 'imported from paper')], default='staff', max_length=10, verbose_name='source')),
                ('is_public', models.BooleanField(default=False, help_text='Shown on the public suggestions page; member authors are named there only if they consented to be listed.', verbose_name='title public')),
                ('state', models.CharField(choices=[('received', 'received'), ('under_review', 'under review'), ('forwarded', 'forwarded'), ('adopted', 'adopted'), ('not_adopted', 'not adopted'), ('merged', 'merged into another'), ('withdrawn', 'withdrawn by its author')], default='received', editable=False, max_length=20, verbose_name='state')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['-received_on', '-pk'],
                'permissions': [('review_suggestion', 'Can review, forward, answer and merge')],
            },
        ),
        migrations.CreateModel(
            name='SuggestionCall',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('organiser', models.CharField(help_text='For example 九三学社江苏省委.', max_length=100, verbose_name='organising body')),
                ('opens_on', models.DateField(verbose_name='opens on')),
                ('closes_on', models.DateField(blank=True, null=True, verbose_name='closes on')),
                ('description', models.TextField(blank=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'call for suggestions',
                'verbose_name_plural': 'calls for suggestions',
                'ordering': ['-opens_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='Forwarding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('forwarded_on', models.DateField(verbose_name='forwarded on')),
                ('document_no', models.CharField(blank=True, max_length=50, verbose_name='document number')),
                ('feedback', models.TextField(blank=True, verbose_name='feedback or instruction received')),
                ('adopted', models.BooleanField(blank=True, help_text='Empty until the body answers.', null=True, verbose_name='adopted')),
                ('body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forwardings', to='suggestions.higherbody', verbose_name='body')),
            ],
            options={
                'verbose_name': 'forwarding',
                'verbose_name_plural': 'forwardings',
                'ordering': ['forwarded_on', 'pk'],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='higherbody',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='9f76bcd6132247648e2467cb7f91ac2c2ee76aea', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_6e0f5', referencing='REFERENCING NEW TABLE AS new_rows ', table='suggestions_higherbody', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='higherbody',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='36508b0300723528f88375f42424c7084aa59711', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_a3c6e', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='suggestions_higherbody', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='higherbody',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='90a9bff68f326e26edf44abf4a28dc74d98d9b00', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_e5b4c', referencing='REFERENCING OLD TABLE AS old_rows ', table='suggestions_higherbody', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='higherbody',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='ae7a489558cf82ddca10ec5b553d7d4b4b10f6c5', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_ce0dc', table='suggestions_higherbody', when='AFTER')),
        ),
        migrations.AddField(
            model_name='historicalattachment',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalforwarding',
            name='body',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.higherbody', verbose_name='body'),
        ),
        migrations.AddField(
            model_name='historicalforwarding',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalhigherbody',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='branch',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="Where the suggestion comes from: the authors' branch.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.branch', verbose_name='branch'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='submitted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion_authors',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='suggestions.historicalsuggestion'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion_authors',
            name='member',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member'),
        ),
        migrations.AddField(
            model_name='historicalsuggestioncall',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='statechange',
            name='changed_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='authors',
            field=models.ManyToManyField(blank=True, related_name='suggestions', to='members.member', verbose_name='member authors'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='branch',
            field=models.ForeignKey(help_text="Where the suggestion comes from: the authors' branch.", on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='members.branch', verbose_name='branch'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='merged_into',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='suggestions.suggestion', verbose_name='merged into'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='submitted_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddField(
            model_name='statechange',
            name='suggestion',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion_authors',
            name='suggestion',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestion'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='merged_into',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestion', verbose_name='merged into'),
        ),
        migrations.AddField(
            model_name='historicalforwarding',
            name='suggestion',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddField(
            model_name='historicalattachment',
            name='suggestion',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddField(
            model_name='forwarding',
            name='suggestion',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='forwardings', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='suggestion',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddConstraint(
            model_name='suggestioncall',
            constraint=models.CheckConstraint(condition=models.Q(('closes_on__isnull', True), ('closes_on__gte', models.F('opens_on')), _connector='OR'), name='call_closes_after_opening', violation_error_message='The closing date must not be before the opening date.'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='call',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='suggestions.suggestioncall', verbose_name='call'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='call',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestioncall', verbose_name='call'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestioncall',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='f2e3df8a0c33ea96e316499f28e2a1e9cbabb387', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_b6eaf', referencing='REFERENCING NEW TABLE AS new_rows ', table='suggestions_suggestioncall', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestioncall',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='7b202cda03079ef392b2f34e74991b9ed601d102', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_b49b5', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='suggestions_suggestioncall', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestioncall',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='2ae52f08afc6ae03116b249c02cdfa8d631403ad', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_4935d', referencing='REFERENCING OLD TABLE AS old_rows ', table='suggestions_suggestioncall', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestioncall',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='e5e836814d887b2f712739f01e3db10355aaaaff', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_f3e0c', table='suggestions_suggestioncall', when='AFTER')),
        ),
        migrations.CreateModel(
            name='SuggestionAuthorLink',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('suggestions.suggestion_authors',),
        ),
        migrations.AddConstraint(
            model_name='forwarding',
            constraint=models.UniqueConstraint(fields=('suggestion', 'body'), name='forwarding_once_per_body', violation_error_message='This suggestion is already forwarded to this body.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='forwarding',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='7bcacfe7fa8677383d592ee05116cd6de7971648', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_a7dab', referencing='REFERENCING NEW TABLE AS new_rows ', table='suggestions_forwarding', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='forwarding',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='f70574efb4756ecee6d15023dae0d5a95a19a759', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_580e1', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='suggestions_forwarding', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='forwarding',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions']::text[]); RETURN NULL;", hash='0685ac27dc3c759ef49d219ce42570969790babc', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_fb4d4', referencing='REFERENCING OLD TABLE AS old_rows ', table='suggestions_forwarding', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='forwarding',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='befe3011610b7532e19a87fc264031aedb0a07eb', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_fd200', table='suggestions_forwarding', when='AFTER')),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['state', 'call'], name='suggestion_state_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['is_public', 'state'], name='suggestion_public_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['-received_on', '-id'], name='suggestion_list_idx'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('topic__in', ['epidemic', 'health', 'economy', 'livelihood', 'governance', 'science', 'other'])), name='suggestion_topic'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['received', 'under_review', 'forwarded', 'adopted', 'not_adopted', 'merged', 'withdrawn'])), name='suggestion_state'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('source__in', ['form', 'staff', 'paper'])), name='suggestion_source'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('merged_into__isnull', False), ('state', 'merged')), models.Q(models.Q(('state', 'merged'), _negated=True), ('merged_into__isnull', True)), _connector='OR'), name='suggestion_merged_has_target', violation_error_message='A merged suggestion names the one it was merged into.'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('merged_into', models.F('pk')), _negated=True), name='suggestion_not_merged_into_itself', violation_error_message='A suggestion cannot be merged into itself.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestion',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='777a5a05e385c0bedd0a4e3a85abf5c5f3365ca6', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_65861', referencing='REFERENCING NEW TABLE AS new_rows ', table='suggestions_suggestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestion',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='b468b9cb8e28d8920b5e1c78412c84892e99270b', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_c550a', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='suggestions_suggestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestion',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='69f4f346692f93afda28e25eaf66d68aa454232e', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_17fff', referencing='REFERENCING OLD TABLE AS old_rows ', table='suggestions_suggestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestion',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='7da52626a1ad2da7e09e6b62d4d11dc43f103c5d', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_7f9cd', table='suggestions_suggestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionauthorlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='907492d2ce8d6a4e21a150ee02e7f9fde15c6f44', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_9f0b3', referencing='REFERENCING NEW TABLE AS new_rows ', table='suggestions_suggestion_authors', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionauthorlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='0240f5c86ccf0d480c6cc2c44a074ecd603481cb', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_ef6c2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='suggestions_suggestion_authors', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionauthorlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['suggestions', 'roll']::text[]); RETURN NULL;", hash='c161f508d544c03a6b64d961af97b8795da1404a', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_07def', referencing='REFERENCING OLD TABLE AS old_rows ', table='suggestions_suggestion_authors', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionauthorlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='b060ee9c6b2da06be340fa6e8072cdf746772ace', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_b1060', table='suggestions_suggestion_authors', when='AFTER')),
        ),
    ]
