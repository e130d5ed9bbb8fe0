# The schema as it stands after the redesign (issue 14): self-contained, no import of app code.

import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
import uuid
from django.db import migrations, models

# The functions the public data triggers call (portal/triggers.py FUNCTIONS), as of this
# migration: a later change of them is a new migration.
FUNCTIONS = '''
CREATE OR REPLACE FUNCTION portal_note_public_change(scopes text[]) RETURNS void AS $$
DECLARE
    noted text := coalesce(current_setting('portal.public_scopes', true), '');
BEGIN
    -- The transaction's own setting: it rolls back with the transaction (or a savepoint).
    PERFORM set_config('portal.public_scopes', array_to_string(ARRAY(
        SELECT DISTINCT scope
        FROM unnest(string_to_array(nullif(noted, ''), ',') || scopes) AS scope
        WHERE scope IS NOT NULL ORDER BY scope
    ), ','), true);
    IF noted = '' THEN
        -- The first note of the transaction: its versions move when it commits.
        INSERT INTO portal_publicdatapending DEFAULT VALUES;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_bump_public_versions() RETURNS void AS $$
DECLARE
    scopes text[] := string_to_array(
        nullif(coalesce(current_setting('portal.public_scopes', true), ''), ''), ','
    );
BEGIN
    IF scopes IS NOT NULL THEN
        -- In scope order: two committing transactions lock shared rows in the same order.
        INSERT INTO portal_publicdataversion (scope, version, changed_at)
        SELECT scope, 1, clock_timestamp() FROM unnest(scopes) AS scope ORDER BY scope
        ON CONFLICT (scope) DO UPDATE
            SET version = portal_publicdataversion.version + 1,
                changed_at = excluded.changed_at;
    END IF;
    PERFORM set_config('portal.public_scopes', '', true);
END
$$ LANGUAGE plpgsql;
'''
DROP_FUNCTIONS = '''
DROP FUNCTION IF EXISTS portal_note_public_change(text[]);
DROP FUNCTION IF EXISTS portal_bump_public_versions();
'''


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
                ('scope', models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name='scope')),
                ('version', models.BigIntegerField(verbose_name='version')),
                ('changed_at', models.DateTimeField(verbose_name='changed at')),
            ],
            options={
                'verbose_name': 'public data version',
                'verbose_name_plural': 'public data versions',
                'ordering': ['scope'],
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
            trigger=pgtrigger.compiler.Trigger(name='bump_at_commit', sql=pgtrigger.compiler.UpsertTriggerSql(constraint='CONSTRAINT', func='\n    PERFORM portal_bump_public_versions();\n    DELETE FROM portal_publicdatapending WHERE id = NEW.id;\n    RETURN NULL;\n    ', hash='745b0ac610ca73c8b654f378186b6a26d41a40ae', operation='INSERT', pgid='pgtrigger_bump_at_commit_2d910', table='portal_publicdatapending', timing='DEFERRABLE INITIALLY DEFERRED', when='AFTER')),
        ),
        # The pending notes outlive no transaction: no need to write them to the WAL.
        migrations.RunSQL(
            "ALTER TABLE portal_publicdatapending SET UNLOGGED;" + FUNCTIONS, DROP_FUNCTIONS
        ),
    ]
