# The schema as it stands after the redesign (issue 14): self-contained, no import of app code.

import django.contrib.auth.models
import django.contrib.auth.validators
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
import simple_history.models
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('portal', '0001_initial'),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name='Enterprise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'member enterprise',
                'verbose_name_plural': 'member enterprises',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Sector',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='name')),
            ],
            options={
                'verbose_name': 'sector',
                'verbose_name_plural': 'sectors',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Branch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('committee', 'committee'), ('grassroots_committee', 'grassroots committee'), ('branch', 'branch'), ('group', 'group')], max_length=30, verbose_name='kind')),
                ('path', models.CharField(default='', editable=False, max_length=255, verbose_name='path')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='members.branch', verbose_name='parent organisation')),
            ],
            options={
                'verbose_name': 'branch',
                'verbose_name_plural': 'branches',
                'ordering': ['path'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('branch', models.ForeignKey(blank=True, help_text='A branch clerk sees and changes only this branch and the branches under it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff_users', to='members.branch', verbose_name='branch')),
            ],
            options={
                'verbose_name': 'user',
                'verbose_name_plural': 'users',
                'permissions': [('view_all_branches', 'Can see the records of every branch')],
                'abstract': False,
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='HistoricalBranch',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                ('kind', models.CharField(choices=[('committee', 'committee'), ('grassroots_committee', 'grassroots committee'), ('branch', 'branch'), ('group', 'group')], max_length=30, verbose_name='kind')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.branch', verbose_name='parent organisation')),
            ],
            options={
                'verbose_name': 'historical branch',
                'verbose_name_plural': 'historical branches',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEnterprise',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical member enterprise',
                'verbose_name_plural': 'historical member enterprises',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSector',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=50, verbose_name='name')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical sector',
                'verbose_name_plural': 'historical sectors',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalUser',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(db_index=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('branch', models.ForeignKey(blank=True, db_constraint=False, help_text='A branch clerk sees and changes only this branch and the branches under it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.branch', verbose_name='branch')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical user',
                'verbose_name_plural': 'historical users',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Member',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('number', models.CharField(blank=True, help_text='Unique when given.', max_length=20, verbose_name='member number')),
                ('gender', models.CharField(choices=[('female', 'female'), ('male', 'male')], max_length=10, verbose_name='gender')),
                ('workplace', models.CharField(blank=True, max_length=100, verbose_name='workplace')),
                ('position', models.CharField(blank=True, max_length=100, verbose_name='position')),
                ('phone', models.CharField(blank=True, help_text='Private: never shown on a public page or in a public export.', max_length=20, verbose_name='phone')),
                ('email', models.EmailField(blank=True, help_text='Private: never shown on a public page.', max_length=254, verbose_name='e-mail')),
                ('joined_on', models.DateField(blank=True, null=True, verbose_name='joined on')),
                ('status', models.CharField(choices=[('active', 'active'), ('transferred', 'transferred'), ('left', 'left'), ('deceased', 'deceased')], default='active', max_length=20, verbose_name='status')),
                ('listing_consent', models.BooleanField(default=False, help_text='Only members who consent are shown on the public honour roll and pages.', verbose_name='consents to public listing')),
                ('consent_changed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='consent given or withdrawn at')),
                ('name_pinyin', models.CharField(default='', editable=False, max_length=200, verbose_name='pinyin')),
                ('search_key', models.CharField(default='', editable=False, max_length=300)),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='members.branch', verbose_name='branch')),
                ('user', models.OneToOneField(blank=True, help_text="The member's own login, never a staff account.", limit_choices_to={'is_staff': False, 'is_superuser': False}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='member', to=settings.AUTH_USER_MODEL, verbose_name='login account')),
                ('sector', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='members.sector', verbose_name='sector')),
            ],
            options={
                'verbose_name': 'member',
                'verbose_name_plural': 'members',
                'ordering': ['name_pinyin', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEnterprise_contacts',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('enterprise', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.enterprise')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='members.historicalenterprise')),
                ('member', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member')),
            ],
            options={
                'verbose_name': 'HistoricalEnterprise_contacts',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='enterprise',
            name='contacts',
            field=models.ManyToManyField(blank=True, help_text='Members who run or represent the enterprise.', related_name='enterprises', to='members.member', verbose_name='contact members'),
        ),
        migrations.CreateModel(
            name='HistoricalMember',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('number', models.CharField(blank=True, help_text='Unique when given.', max_length=20, verbose_name='member number')),
                ('gender', models.CharField(choices=[('female', 'female'), ('male', 'male')], max_length=10, verbose_name='gender')),
                ('workplace', models.CharField(blank=True, max_length=100, verbose_name='workplace')),
                ('position', models.CharField(blank=True, max_length=100, verbose_name='position')),
                ('phone', models.CharField(blank=True, help_text='Private: never shown on a public page or in a public export.', max_length=20, verbose_name='phone')),
                ('email', models.EmailField(blank=True, help_text='Private: never shown on a public page.', max_length=254, verbose_name='e-mail')),
                ('joined_on', models.DateField(blank=True, null=True, verbose_name='joined on')),
                ('status', models.CharField(choices=[('active', 'active'), ('transferred', 'transferred'), ('left', 'left'), ('deceased', 'deceased')], default='active', max_length=20, verbose_name='status')),
                ('listing_consent', models.BooleanField(default=False, help_text='Only members who consent are shown on the public honour roll and pages.', verbose_name='consents to public listing')),
                ('consent_changed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='consent given or withdrawn at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('branch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.branch', verbose_name='branch')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, help_text="The member's own login, never a staff account.", limit_choices_to={'is_staff': False, 'is_superuser': False}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='login account')),
                ('sector', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.sector', verbose_name='sector')),
            ],
            options={
                'verbose_name': 'historical member',
                'verbose_name_plural': 'historical members',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='sector',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='542d1bcff86a30af5421e8bef9ba210692ce0ae2', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_97f6b', referencing='REFERENCING NEW TABLE AS new_rows ', table='members_sector', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='sector',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='07a4943a0e8b6f66209a1094c60db30e9b09fe2c', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_6a948', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='members_sector', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='sector',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='1689c6739d1d89f9e17cd4bccf5e9017c211f029', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_e98bc', referencing='REFERENCING OLD TABLE AS old_rows ', table='members_sector', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='sector',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='2e9a3488ff0a7f3c6da2f670200c0cc07eef53c4', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_5e3ac', table='members_sector', when='AFTER')),
        ),
        migrations.AddIndex(
            model_name='branch',
            index=models.Index(fields=['path'], name='branch_path_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddConstraint(
            model_name='branch',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['committee', 'grassroots_committee', 'branch', 'group'])), name='branch_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='branch',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='branch_not_own_parent'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='branch',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='b83e621dcd6e921b7abefe734f75d12fec710aed', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_c817d', referencing='REFERENCING NEW TABLE AS new_rows ', table='members_branch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='branch',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='c63b34138637b2b31b992d823696e9d3969d9465', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_f179f', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='members_branch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='branch',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='ead5e045327b84def9ff87965572fea587976aa7', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_ebe3a', referencing='REFERENCING OLD TABLE AS old_rows ', table='members_branch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='branch',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='e60b938adf8b26feda3d283bcaa160eca833757d', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_21dcd', table='members_branch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprise',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='3b9708800b60fc338a0f36c5b719285ead396691', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_e34d3', referencing='REFERENCING NEW TABLE AS new_rows ', table='members_enterprise', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprise',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='b9dcd9bed454544e9ba78ff1c82a0018a835b24e', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_b2ab3', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='members_enterprise', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprise',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='b95dac05c8a813f761cd900ac30a75f6e1db250f', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_5c180', referencing='REFERENCING OLD TABLE AS old_rows ', table='members_enterprise', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprise',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='9d5c0fb38fda9fe91fdb7703b22ed80e9cfbb9e1', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_a4b9a', table='members_enterprise', when='AFTER')),
        ),
        migrations.CreateModel(
            name='EnterpriseContactLink',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('members.enterprise_contacts',),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['name_pinyin', 'id'], name='member_pinyin_idx'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['status', 'listing_consent'], name='member_listable_idx'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_key'], name='member_search_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('gender__in', ['female', 'male'])), name='member_gender_valid'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['active', 'transferred', 'left', 'deceased'])), name='member_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('phone__regex', '^[0-9+() -]*$')), name='member_phone_digits'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('listing_consent', False), ('consent_changed_at__isnull', False), _connector='OR'), name='member_consent_has_time'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(condition=models.Q(('phone', ''), _negated=True), fields=('name', 'phone'), name='member_unique_name_phone', violation_error_message='A member with this name and phone is already on file.'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(condition=models.Q(('number', ''), _negated=True), fields=('number',), name='member_unique_number', violation_error_message='Another member already has this member number.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='member',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='5c1d9d3ef59a31110e669d6d0d4d310d51a7cda7', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_ec5e2', referencing='REFERENCING NEW TABLE AS new_rows ', table='members_member', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='member',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='da4a844774d5e2f028fe810e6bfb0305eb4f03c1', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_f3df8', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='members_member', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='member',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='3b1aae5b0103bbbc0c9ee020a8136529bcb5ff63', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_ec980', referencing='REFERENCING OLD TABLE AS old_rows ', table='members_member', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='member',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='0e84d18a6e495b28bebfe286efec50645d218bd8', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_c3b26', table='members_member', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprisecontactlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='fd3052e084e9d3d51fc5ec120637711c9afd7b01', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_59466', referencing='REFERENCING NEW TABLE AS new_rows ', table='members_enterprise_contacts', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprisecontactlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='bcd05ad25bb97c018d069e0e7d6038b2738924a1', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_f5780', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='members_enterprise_contacts', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprisecontactlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='3acc53750e32d03fed71496ba5c8847611e75e24', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_ec410', referencing='REFERENCING OLD TABLE AS old_rows ', table='members_enterprise_contacts', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='enterprisecontactlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='86c7d52fb68e33f240361fc4a76b6e9dc4eb0601', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_67f10', table='members_enterprise_contacts', when='AFTER')),
        ),
    ]
