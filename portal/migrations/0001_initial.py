# The schema as it stands after the redesign (issue 14): self-contained, no import of app code.

import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='PublicDataPending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'pending change of public data',
                'verbose_name_plural': 'pending changes of public data',
            },
        ),
        migrations.CreateModel(
            name='PublicDataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField(verbose_name='changed at')),
            ],
            options={
                'verbose_name': 'public data version',
                'verbose_name_plural': 'public data versions',
            },
        ),
        migrations.CreateModel(
            name='PendingImport',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('uploaded_by', models.BigIntegerField(db_index=True, verbose_name='uploaded by')),
                ('model', models.CharField(max_length=100, verbose_name='records')),
                ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                ('data', models.BinaryField(verbose_name='file')),
                ('uploaded_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='uploaded at')),
                ('state', models.CharField(choices=[('awaiting', 'awaiting confirmation'), ('imported', 'imported')], default='awaiting', max_length=20, verbose_name='state')),
            ],
            options={
                'verbose_name': 'pending import',
                'verbose_name_plural': 'pending imports',
                'ordering': ['-uploaded_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['awaiting', 'imported'])), name='pendingimport_state_valid')],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='publicdatapending',
            trigger=pgtrigger.compiler.Trigger(name='bump_at_commit', sql=pgtrigger.compiler.UpsertTriggerSql(constraint='CONSTRAINT', func="\n    UPDATE portal_publicdataversion SET changed_at = clock_timestamp() WHERE id = 1;\n    DELETE FROM portal_publicdatapending WHERE id = NEW.id;\n    PERFORM set_config('portal.public_data_pending', '', true);\n    RETURN NULL;\n    ", hash='9a6b0bfadb96a14f922834518875ffa15f86a600', operation='INSERT', pgid='pgtrigger_bump_at_commit_2d910', table='portal_publicdatapending', timing='DEFERRABLE INITIALLY DEFERRED', when='AFTER')),
        ),
        # The pending notes outlive no transaction: no need to write them to the WAL. The one
        # version row exists from the start (portal/triggers.py updates it, never inserts it).
        migrations.RunSQL(
            "ALTER TABLE portal_publicdatapending SET UNLOGGED;"
            "INSERT INTO portal_publicdataversion (id, changed_at) VALUES (1, now());",
            "DELETE FROM portal_publicdataversion;",
        ),
    ]
