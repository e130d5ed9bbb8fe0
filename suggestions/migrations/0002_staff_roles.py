from django.db import migrations

from members import roles


def grant_roles(apps, schema_editor):
    roles.grant_app_roles(
        apps,
        "suggestions",
        # Branches enter the suggestions of their own subtree, with their files.
        clerk_records=["suggestion", "attachment"],
        committee_records=["suggestioncall", "higherbody", "forwarding", "statechange"],
        # Reviewing, forwarding and merging is the committee's work, not the branches'.
        staff_only=["review_suggestion"],
    )


def revoke_roles(apps, schema_editor):
    roles.revoke_app_roles(apps, "suggestions")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("members", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
