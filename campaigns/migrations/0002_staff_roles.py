from django.db import migrations

from members import roles


def grant_roles(apps, schema_editor):
    roles.grant_app_roles(
        apps,
        "campaigns",
        # What a branch clerk records for the members of their own subtree.
        clerk_records=["donation", "goodsline", "blooddonation", "assignment"],
        # Committee-wide records: clerks only choose them (a campaign, a recipient, a posting).
        committee_records=["campaign", "goal", "recipient", "posting"],
    )


def revoke_roles(apps, schema_editor):
    roles.revoke_app_roles(apps, "campaigns")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("members", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
