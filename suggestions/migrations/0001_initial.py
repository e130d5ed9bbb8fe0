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
            trigger=pgtrigger.compiler.Trigger(name='public_data_changed', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    -- Once per transaction: the setting is the transaction's own and rolls back with it.\n    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN\n        PERFORM set_config('portal.public_data_pending', 'yes', true);\n        INSERT INTO portal_publicdatapending DEFAULT VALUES;\n    END IF;\n    RETURN NULL;\n", hash='841ff07d791cb584071a6d75bb58c171781ce2f7', level='STATEMENT', operation='INSERT OR UPDATE OR DELETE OR TRUNCATE', pgid='pgtrigger_public_data_changed_69beb', table='suggestions_higherbody', when='AFTER')),
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
            trigger=pgtrigger.compiler.Trigger(name='public_data_changed', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    -- Once per transaction: the setting is the transaction's own and rolls back with it.\n    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN\n        PERFORM set_config('portal.public_data_pending', 'yes', true);\n        INSERT INTO portal_publicdatapending DEFAULT VALUES;\n    END IF;\n    RETURN NULL;\n", hash='2ef42dff71692548110ad1dd478ec7b320410fdc', level='STATEMENT', operation='INSERT OR UPDATE OR DELETE OR TRUNCATE', pgid='pgtrigger_public_data_changed_1390e', table='suggestions_suggestioncall', when='AFTER')),
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
            trigger=pgtrigger.compiler.Trigger(name='public_data_changed', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    -- Once per transaction: the setting is the transaction's own and rolls back with it.\n    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN\n        PERFORM set_config('portal.public_data_pending', 'yes', true);\n        INSERT INTO portal_publicdatapending DEFAULT VALUES;\n    END IF;\n    RETURN NULL;\n", hash='0380569b75ee47ec210fc29c0c68fb2f3f47c6b7', level='STATEMENT', operation='INSERT OR UPDATE OR DELETE OR TRUNCATE', pgid='pgtrigger_public_data_changed_75936', table='suggestions_forwarding', when='AFTER')),
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
            trigger=pgtrigger.compiler.Trigger(name='public_data_changed', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    -- Once per transaction: the setting is the transaction's own and rolls back with it.\n    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN\n        PERFORM set_config('portal.public_data_pending', 'yes', true);\n        INSERT INTO portal_publicdatapending DEFAULT VALUES;\n    END IF;\n    RETURN NULL;\n", hash='e5f14dcd15b3533aaf625a9bf53e1175a9b86739', level='STATEMENT', operation='INSERT OR UPDATE OR DELETE OR TRUNCATE', pgid='pgtrigger_public_data_changed_800ee', table='suggestions_suggestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionauthorlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_changed', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    -- Once per transaction: the setting is the transaction's own and rolls back with it.\n    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN\n        PERFORM set_config('portal.public_data_pending', 'yes', true);\n        INSERT INTO portal_publicdatapending DEFAULT VALUES;\n    END IF;\n    RETURN NULL;\n", hash='4960c9889d5c2ba267c763a9185c52aed1b63ef0', level='STATEMENT', operation='INSERT OR UPDATE OR DELETE OR TRUNCATE', pgid='pgtrigger_public_data_changed_fa55b', table='suggestions_suggestion_authors', when='AFTER')),
        ),
    ]
