# The schema as it stands after the redesign (issue 14): self-contained, no import of app code.

import django.contrib.postgres.constraints
import django.contrib.postgres.fields
import django.contrib.postgres.fields.ranges
import django.core.validators
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('days_served', models.PositiveIntegerField(default=0, verbose_name='days served')),
                ('hours_logged', models.DecimalField(decimal_places=1, default=0, max_digits=7, verbose_name='hours logged')),
                ('confirmed', models.BooleanField(default=False, verbose_name='confirmed by staff')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'assignment',
                'verbose_name_plural': 'assignments',
                'ordering': ['-starts_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Campaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('donation', 'donation drive'), ('blood', 'blood drive'), ('volunteer', 'volunteer drive')], max_length=20, verbose_name='kind')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('summary', models.CharField(blank=True, max_length=300, verbose_name='summary')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('call_date', models.DateField(help_text='The day the appeal went out.', verbose_name='call date')),
                ('starts_on', models.DateField(verbose_name='starts on')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='ends on')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('open', 'open'), ('closed', 'closed')], default='draft', max_length=20, verbose_name='status')),
                ('is_public', models.BooleanField(default=False, help_text='Shown on the public pages when not a draft.', verbose_name='public')),
                ('shows_amounts', models.BooleanField(default=False, help_text='Off: public pages name consenting donors but never say how much each gave.', verbose_name='show amounts per donor')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='members.branch', verbose_name='organising branch')),
            ],
            options={
                'verbose_name': 'campaign',
                'verbose_name_plural': 'campaigns',
                'ordering': ['-starts_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='BloodDonation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('station', models.CharField(max_length=100, verbose_name='blood station')),
                ('volume_ml', models.PositiveIntegerField(verbose_name='volume (ml)')),
                ('component', models.CharField(choices=[('whole_blood', 'whole blood'), ('platelets', 'platelets')], default='whole_blood', max_length=20, verbose_name='component')),
                ('state', models.CharField(choices=[('pledged', 'pledged'), ('donated', 'donated')], default='donated', max_length=10, verbose_name='state')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='blood_donations', to='members.member', verbose_name='member')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='blood_donations', to='campaigns.campaign', verbose_name='campaign')),
            ],
            options={
                'verbose_name': 'blood donation',
                'verbose_name_plural': 'blood donations',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Donation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('form', models.CharField(choices=[('money', 'money'), ('goods', 'goods')], max_length=10, verbose_name='form')),
                ('channel', models.CharField(choices=[('direct', 'given directly'), ('facilitated', 'facilitated by a member')], default='direct', max_length=20, verbose_name='channel')),
                ('donor_name', models.CharField(blank=True, max_length=150, verbose_name='outside donor')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='Money only; goods are valued by their lines.', max_digits=12, null=True, verbose_name='amount (yuan)')),
                ('anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                ('receipt_no', models.CharField(blank=True, max_length=50, verbose_name='receipt number')),
                ('date', models.DateField(verbose_name='date')),
                ('state', models.CharField(choices=[('pledged', 'pledged'), ('received', 'received')], default='received', max_length=10, verbose_name='state')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='donations', to='campaigns.campaign', verbose_name='campaign')),
                ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='donations', to='members.enterprise', verbose_name='donor enterprise')),
                ('member', models.ForeignKey(blank=True, help_text='The member who gave, or who facilitated the gift.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='donations', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'donation',
                'verbose_name_plural': 'donations',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Goal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(choices=[('amount', 'amount in yuan'), ('donors', 'number of donors'), ('donations', 'number of donations'), ('blood_ml', 'millilitres of blood'), ('people_posted', 'people to post')], max_length=20, verbose_name='goal')),
                ('target', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='target')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='campaigns.campaign', verbose_name='campaign')),
            ],
            options={
                'verbose_name': 'goal',
                'verbose_name_plural': 'goals',
                'ordering': ['campaign', 'metric'],
            },
        ),
        migrations.CreateModel(
            name='GoodsLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=100, verbose_name='item')),
                ('quantity', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='quantity')),
                ('unit', models.CharField(help_text='For example 只, 副, 箱, 套, 斤.', max_length=10, verbose_name='unit')),
                ('estimated_value', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='estimated value (yuan)')),
                ('donation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goods', to='campaigns.donation', verbose_name='donation')),
            ],
            options={
                'verbose_name': 'goods line',
                'verbose_name_plural': 'goods lines',
                'ordering': ['donation', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalBloodDonation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('station', models.CharField(max_length=100, verbose_name='blood station')),
                ('volume_ml', models.PositiveIntegerField(verbose_name='volume (ml)')),
                ('component', models.CharField(choices=[('whole_blood', 'whole blood'), ('platelets', 'platelets')], default='whole_blood', max_length=20, verbose_name='component')),
                ('state', models.CharField(choices=[('pledged', 'pledged'), ('donated', 'donated')], default='donated', max_length=10, verbose_name='state')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'historical blood donation',
                'verbose_name_plural': 'historical blood donations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCampaign',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('donation', 'donation drive'), ('blood', 'blood drive'), ('volunteer', 'volunteer drive')], max_length=20, verbose_name='kind')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                ('summary', models.CharField(blank=True, max_length=300, verbose_name='summary')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('call_date', models.DateField(help_text='The day the appeal went out.', verbose_name='call date')),
                ('starts_on', models.DateField(verbose_name='starts on')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='ends on')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('open', 'open'), ('closed', 'closed')], default='draft', max_length=20, verbose_name='status')),
                ('is_public', models.BooleanField(default=False, help_text='Shown on the public pages when not a draft.', verbose_name='public')),
                ('shows_amounts', models.BooleanField(default=False, help_text='Off: public pages name consenting donors but never say how much each gave.', verbose_name='show amounts per donor')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organiser', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.branch', verbose_name='organising branch')),
            ],
            options={
                'verbose_name': 'historical campaign',
                'verbose_name_plural': 'historical campaigns',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGoal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('metric', models.CharField(choices=[('amount', 'amount in yuan'), ('donors', 'number of donors'), ('donations', 'number of donations'), ('blood_ml', 'millilitres of blood'), ('people_posted', 'people to post')], max_length=20, verbose_name='goal')),
                ('target', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='target')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical goal',
                'verbose_name_plural': 'historical goals',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGoodsLine',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('item', models.CharField(max_length=100, verbose_name='item')),
                ('quantity', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='quantity')),
                ('unit', models.CharField(help_text='For example 只, 副, 箱, 套, 斤.', max_length=10, verbose_name='unit')),
                ('estimated_value', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='estimated value (yuan)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('donation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.donation', verbose_name='donation')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical goods line',
                'verbose_name_plural': 'historical goods lines',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPosting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('place', models.CharField(max_length=150, verbose_name='place')),
                ('place_kind', models.CharField(choices=[('community', 'community'), ('street', 'street'), ('town', 'town')], max_length=20, verbose_name='kind of place')),
                ('district', models.CharField(max_length=50, verbose_name='district')),
                ('duties', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('checkpoint', 'checkpoint duty'), ('screening', 'door-to-door screening'), ('publicity', 'publicity'), ('supplies', 'supplies'), ('key_groups', 'services for key groups')], max_length=20), help_text='Several may apply.', verbose_name='duties')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='to')),
                ('people_needed', models.PositiveIntegerField(verbose_name='people needed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical posting',
                'verbose_name_plural': 'historical postings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRecipient',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=150, verbose_name='name')),
                ('kind', models.CharField(choices=[('red_cross', 'Red Cross'), ('fund', 'foundation fund'), ('charity', 'charity federation'), ('community', 'community'), ('other', 'other body')], max_length=20, verbose_name='kind')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical recipient',
                'verbose_name_plural': 'historical recipients',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Posting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place', models.CharField(max_length=150, verbose_name='place')),
                ('place_kind', models.CharField(choices=[('community', 'community'), ('street', 'street'), ('town', 'town')], max_length=20, verbose_name='kind of place')),
                ('district', models.CharField(max_length=50, verbose_name='district')),
                ('duties', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('checkpoint', 'checkpoint duty'), ('screening', 'door-to-door screening'), ('publicity', 'publicity'), ('supplies', 'supplies'), ('key_groups', 'services for key groups')], max_length=20), help_text='Several may apply.', verbose_name='duties')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='to')),
                ('people_needed', models.PositiveIntegerField(verbose_name='people needed')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='campaigns.campaign', verbose_name='campaign')),
            ],
            options={
                'verbose_name': 'posting',
                'verbose_name_plural': 'postings',
                'ordering': ['campaign', 'district', 'place'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalPostingSignup',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('state', models.CharField(choices=[('pending', 'pending'), ('accepted', 'accepted'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], default='pending', max_length=10, verbose_name='state')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='signed up at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('assignment', models.ForeignKey(blank=True, db_constraint=False, help_text='Recorded when the sign-up is accepted.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.assignment', verbose_name='assignment')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
                ('posting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.posting', verbose_name='posting')),
            ],
            options={
                'verbose_name': 'historical posting sign-up',
                'verbose_name_plural': 'historical posting sign-ups',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAssignment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('days_served', models.PositiveIntegerField(default=0, verbose_name='days served')),
                ('hours_logged', models.DecimalField(decimal_places=1, default=0, max_digits=7, verbose_name='hours logged')),
                ('confirmed', models.BooleanField(default=False, verbose_name='confirmed by staff')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
                ('posting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.posting', verbose_name='posting')),
            ],
            options={
                'verbose_name': 'historical assignment',
                'verbose_name_plural': 'historical assignments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='assignment',
            name='posting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='campaigns.posting', verbose_name='posting'),
        ),
        migrations.CreateModel(
            name='PostingSignup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('state', models.CharField(choices=[('pending', 'pending'), ('accepted', 'accepted'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], default='pending', max_length=10, verbose_name='state')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='signed up at')),
                ('assignment', models.OneToOneField(blank=True, help_text='Recorded when the sign-up is accepted.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='signup', to='campaigns.assignment', verbose_name='assignment')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='posting_signups', to='members.member', verbose_name='member')),
                ('posting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signups', to='campaigns.posting', verbose_name='posting')),
            ],
            options={
                'verbose_name': 'posting sign-up',
                'verbose_name_plural': 'posting sign-ups',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Recipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('red_cross', 'Red Cross'), ('fund', 'foundation fund'), ('charity', 'charity federation'), ('community', 'community'), ('other', 'other body')], max_length=20, verbose_name='kind')),
            ],
            options={
                'verbose_name': 'recipient',
                'verbose_name_plural': 'recipients',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['red_cross', 'fund', 'charity', 'community', 'other'])), name='recipient_kind_valid')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDonation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('form', models.CharField(choices=[('money', 'money'), ('goods', 'goods')], max_length=10, verbose_name='form')),
                ('channel', models.CharField(choices=[('direct', 'given directly'), ('facilitated', 'facilitated by a member')], default='direct', max_length=20, verbose_name='channel')),
                ('donor_name', models.CharField(blank=True, max_length=150, verbose_name='outside donor')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='Money only; goods are valued by their lines.', max_digits=12, null=True, verbose_name='amount (yuan)')),
                ('anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                ('receipt_no', models.CharField(blank=True, max_length=50, verbose_name='receipt number')),
                ('date', models.DateField(verbose_name='date')),
                ('state', models.CharField(choices=[('pledged', 'pledged'), ('received', 'received')], default='received', max_length=10, verbose_name='state')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.enterprise', verbose_name='donor enterprise')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, help_text='The member who gave, or who facilitated the gift.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
                ('recipient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.recipient', verbose_name='recipient')),
            ],
            options={
                'verbose_name': 'historical donation',
                'verbose_name_plural': 'historical donations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCampaign_recipients',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='campaigns.historicalcampaign')),
                ('recipient', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.recipient')),
            ],
            options={
                'verbose_name': 'HistoricalCampaign_recipients',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='donation',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='donations', to='campaigns.recipient', verbose_name='recipient'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='recipients',
            field=models.ManyToManyField(blank=True, help_text="The bodies this drive collects for. Members' gifts to other bodies are shown apart.", related_name='campaigns', to='campaigns.recipient', verbose_name='recipients collected for'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recipient',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='00385e56ad923d719e7ed2e0befa74e4ee6d5022', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_7200a', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_recipient', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recipient',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='8c68861f9bc6b96f09eb2d4e78b7a14e1d3abb02', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_763d6', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_recipient', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recipient',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']::text[]); RETURN NULL;", hash='6d468357e9835d5346f58d8b0237a7c2117da2b5', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_f39fe', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_recipient', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recipient',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='8df4645738cc711147e02e8fb9e4f18d0698a0a1', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_96da1', table='campaigns_recipient', when='AFTER')),
        ),
        migrations.AddIndex(
            model_name='blooddonation',
            index=models.Index(fields=['campaign', 'state'], name='blood_progress_idx'),
        ),
        migrations.AddIndex(
            model_name='blooddonation',
            index=models.Index(fields=['-date', '-id'], name='blood_list_idx'),
        ),
        migrations.AddConstraint(
            model_name='blooddonation',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pledged', 'donated'])), name='blood_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='blooddonation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('component', 'whole_blood'), ('volume_ml__in', (200, 300, 400))), models.Q(('component', 'platelets'), ('volume_ml__in', (250, 500))), _connector='OR'), name='blood_volume_allowed', violation_error_message='Whole blood is given as 200, 300 or 400 ml; platelets as 250 or 500 ml.'),
        ),
        migrations.AddConstraint(
            model_name='blooddonation',
            constraint=models.UniqueConstraint(fields=('member', 'date', 'component'), name='blood_unique_per_day', violation_error_message="This member's donation on this day is already recorded."),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='blooddonation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM new_rows AS written)); RETURN NULL;", hash='a207e938e922fa5201bb07cdbfbb193101b34c87', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_e9c07', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_blooddonation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='blooddonation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='8038b8c64fb8ec3ac27725f548c84bea15eeb254', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_b01ad', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_blooddonation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='blooddonation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM old_rows AS written)); RETURN NULL;", hash='ce8db7124a4c590c8f7ac203cd5fa84847f1f502', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_8a660', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_blooddonation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='blooddonation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='665320b00516a7a94d31c20f415f99f854712ffa', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_f8211', table='campaigns_blooddonation', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='goal',
            constraint=models.CheckConstraint(condition=models.Q(('metric__in', ['amount', 'donors', 'donations', 'blood_ml', 'people_posted'])), name='goal_metric_valid'),
        ),
        migrations.AddConstraint(
            model_name='goal',
            constraint=models.CheckConstraint(condition=models.Q(('target__gt', 0)), name='goal_target_positive', violation_error_message='A goal must be more than zero.'),
        ),
        migrations.AddConstraint(
            model_name='goal',
            constraint=models.UniqueConstraint(fields=('campaign', 'metric'), name='goal_unique_per_campaign', violation_error_message='This campaign already has a goal of this kind.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goal',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM new_rows AS written)); RETURN NULL;", hash='c796c8eb803a9c0caf27bd48b484eb2fa5b5e354', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_4b280', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_goal', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goal',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='40b6a0453af98836a57b716bc5e3b41aa3febf42', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_78d3d', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_goal', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goal',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM old_rows AS written)); RETURN NULL;", hash='2817d06027f3c27e96684a92d6b1d9426a3a4587', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_0f6de', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_goal', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goal',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='cc0a1cf67cb989a7683ab84117cdd00c84b4fb96', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_6ae6c', table='campaigns_goal', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='goodsline',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='goods_quantity_positive', violation_error_message='The quantity must be above zero.'),
        ),
        migrations.AddConstraint(
            model_name='goodsline',
            constraint=models.CheckConstraint(condition=models.Q(('unit', ''), _negated=True), name='goods_unit_required', violation_error_message='Give the unit (只, 副, 箱, 套, 斤…).'),
        ),
        migrations.AddConstraint(
            model_name='goodsline',
            constraint=models.CheckConstraint(condition=models.Q(('estimated_value__gte', 0)), name='goods_value_not_negative', violation_error_message='The estimated value cannot be negative.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goodsline',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY[]::text[] || ARRAY(SELECT 'campaign:' || donation.campaign_id FROM new_rows AS written JOIN campaigns_donation AS donation ON donation.id = written.donation_id)); RETURN NULL;", hash='300af7bdc14b0ee4a58245031a48e8f220bd41f8', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_1cbb1', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_goodsline', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goodsline',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY[]::text[] || ARRAY(SELECT 'campaign:' || donation.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written JOIN campaigns_donation AS donation ON donation.id = written.donation_id)); RETURN NULL;", hash='a02b41bb4d8ab1c56767ad54256c4d832b8ead09', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_b837d', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_goodsline', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goodsline',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY[]::text[] || ARRAY(SELECT 'campaign:' || donation.campaign_id FROM old_rows AS written JOIN campaigns_donation AS donation ON donation.id = written.donation_id)); RETURN NULL;", hash='3e28dc78fc05c91b4ce886c504cb6c2962e35275', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_c2471', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_goodsline', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='goodsline',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='29f6b11d406d71e53ea6bc58fd29efa12ffcf312', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_cccaa', table='campaigns_goodsline', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='posting_ends_after_start', violation_error_message='The end date must not be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(('duties__contained_by', ['checkpoint', 'screening', 'publicity', 'supplies', 'key_groups']), ('duties__len__gt', 0)), name='posting_duties_valid', violation_error_message='Choose at least one duty.'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(('people_needed__gt', 0)), name='posting_needs_people', violation_error_message='A posting needs at least one person.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='posting',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM new_rows AS written)); RETURN NULL;", hash='1fb319af7c0ee1c10ef017e21d587c60a51643be', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_06859', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_posting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='posting',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='43c91d0939686987218c33be9790caa8fbcf09c1', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_01f3d', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_posting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='posting',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM old_rows AS written)); RETURN NULL;", hash='4a9ee2430ca4187689a28be3eb77fb65accefea4', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_158f7', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_posting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='posting',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='360b23c0c3a24ded27f98b9f1da9e9f33fdeb719', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_d4c11', table='campaigns_posting', when='AFTER')),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['-starts_on', '-id'], name='assignment_list_idx'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='assignment_ends_after_start', violation_error_message='The end date must not be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(('hours_logged__gte', 0)), name='assignment_hours_not_negative', violation_error_message='Hours cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(expressions=[('member', '='), (models.Func(models.F('starts_on'), models.F('ends_on'), models.Value('[]'), function='DATERANGE', output_field=django.contrib.postgres.fields.ranges.DateRangeField()), '&&')], name='assignment_no_overlap', violation_error_message='This member already holds an assignment in these dates.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assignment',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || posting.campaign_id FROM new_rows AS written JOIN campaigns_posting AS posting ON posting.id = written.posting_id)); RETURN NULL;", hash='96b1a06fb6f153f8e5bfe63d808ccba9d0119f61', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_93775', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_assignment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assignment',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || posting.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written JOIN campaigns_posting AS posting ON posting.id = written.posting_id)); RETURN NULL;", hash='a7851e528b564a63f3b12a9617837f33d26f0fdb', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_d6da3', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_assignment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assignment',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || posting.campaign_id FROM old_rows AS written JOIN campaigns_posting AS posting ON posting.id = written.posting_id)); RETURN NULL;", hash='ac8a13618aab95878f5d4c43babfe4dc02dd98a9', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_65754', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_assignment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assignment',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='9c41938a61c2712f101bccec5df4bb359b09fb08', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_31950', table='campaigns_assignment', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='postingsignup',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'accepted', 'declined', 'withdrawn'])), name='signup_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='postingsignup',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='signup_ends_after_start', violation_error_message='The end date must not be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='postingsignup',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['pending', 'accepted'])), fields=('posting', 'member'), name='signup_one_open_per_member', violation_error_message='This member has already signed up for this posting.'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(fields=['campaign', 'state', 'date'], name='donation_progress_idx'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(fields=['-date', '-id'], name='donation_list_idx'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(condition=models.Q(('channel', 'direct'), ('member__isnull', False), ('state', 'received')), fields=['campaign', 'member'], name='donation_donor_campaign_idx'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(condition=models.Q(('channel', 'direct'), ('member__isnull', False), ('state', 'received')), fields=['member'], name='donation_donor_idx'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('form__in', ['money', 'goods'])), name='donation_form_valid'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('channel__in', ['direct', 'facilitated'])), name='donation_channel_valid'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pledged', 'received'])), name='donation_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('amount__isnull', False), ('form', 'money')), models.Q(('amount__isnull', True), ('form', 'goods')), _connector='OR'), name='donation_money_has_positive_amount', violation_error_message='A gift of money needs an amount above zero; a gift of goods has none.'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('channel', 'direct'), models.Q(models.Q(('donor_name', ''), ('enterprise__isnull', True), ('member__isnull', False)), models.Q(('donor_name', ''), ('enterprise__isnull', False), ('member__isnull', True)), models.Q(('enterprise__isnull', True), ('member__isnull', True), models.Q(('donor_name', ''), _negated=True)), _connector='OR')), models.Q(('channel', 'facilitated'), ('member__isnull', False), models.Q(models.Q(('donor_name', ''), ('enterprise__isnull', False)), models.Q(('enterprise__isnull', True), models.Q(('donor_name', ''), _negated=True)), _connector='OR')), _connector='OR'), name='donation_one_donor', violation_error_message='Name exactly one donor: a member, an enterprise or an outside donor; a facilitated gift also needs the member who facilitated it.'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.UniqueConstraint(condition=models.Q(('receipt_no', ''), _negated=True), fields=('recipient', 'receipt_no'), name='donation_unique_receipt', violation_error_message="This recipient's receipt number is already recorded."),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='donation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM new_rows AS written)); RETURN NULL;", hash='c504ba15f6f0338ac4eaec0c5054c7be1da86497', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_1eb56', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_donation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='donation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='b4da3e27d28344457bdc946b681dbc5a828fe71f', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_43724', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_donation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='donation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM old_rows AS written)); RETURN NULL;", hash='e3c12314bb3f682e0eafb8a62007625a2987233b', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_30912', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_donation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='donation',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='e2c7bcba74d1321e38a2b2475b777335cda13407', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_dcb54', table='campaigns_donation', when='AFTER')),
        ),
        migrations.AddIndex(
            model_name='campaign',
            index=models.Index(fields=['is_public', 'status'], name='campaign_public_idx'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['donation', 'blood', 'volunteer'])), name='campaign_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'open', 'closed'])), name='campaign_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='campaign_ends_after_start', violation_error_message='The end date must not be before the start date.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaign',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.id FROM new_rows AS written)); RETURN NULL;", hash='6e71fdb8ec77e6aab14ceacd1ad8e40c3616a594', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_bd3e4', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_campaign', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaign',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='609f6c07585c5afd0d14473ca18aadfdc00b2983', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_1a669', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_campaign', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaign',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns', 'roll']::text[] || ARRAY(SELECT 'campaign:' || written.id FROM old_rows AS written)); RETURN NULL;", hash='15a54237e12f76e6ecb98c5bb75f480b65679d25', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_32ab0', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_campaign', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaign',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='37f82f7574d3c2acf579d39f64e5b6ef3c8a0e10', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_afbb6', table='campaigns_campaign', when='AFTER')),
        ),
        migrations.CreateModel(
            name='CampaignRecipientLink',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('campaigns.campaign_recipients',),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaignrecipientlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM new_rows AS written)); RETURN NULL;", hash='8a32a7385af32bfa6fa027dae775d9700b0d39d2', level='STATEMENT', operation='INSERT', pgid='pgtrigger_public_data_insert_bc19a', referencing='REFERENCING NEW TABLE AS new_rows ', table='campaigns_campaign_recipients', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaignrecipientlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written)); RETURN NULL;", hash='31bc74aa8507b3d6a84a4e429f2d6b4a8d240075', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_public_data_update_36bbd', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='campaigns_campaign_recipients', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaignrecipientlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['campaigns']::text[] || ARRAY(SELECT 'campaign:' || written.campaign_id FROM old_rows AS written)); RETURN NULL;", hash='ec24bf8c5faece788378ed8bc8094d7ed16d8940', level='STATEMENT', operation='DELETE', pgid='pgtrigger_public_data_delete_192d8', referencing='REFERENCING OLD TABLE AS old_rows ', table='campaigns_campaign_recipients', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='campaignrecipientlink',
            trigger=pgtrigger.compiler.Trigger(name='public_data_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="PERFORM portal_note_public_change(ARRAY['register']); RETURN NULL;", hash='c1684d15804132d720c07a3742a7f6ac3ffb3fe6', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_public_data_truncate_a2141', table='campaigns_campaign_recipients', when='AFTER')),
        ),
    ]
