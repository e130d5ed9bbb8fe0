from django.db import migrations

from members import roles


def grant_roles(apps, schema_editor):
    # Clerks decide the sign-ups of their own subtree's members, as they record assignments.
    roles.grant_app_roles(apps, "campaigns", clerk_records=["postingsignup"], committee_records=[])


def revoke_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    added = Permission.objects.filter(
        content_type__app_label="campaigns", content_type__model="postingsignup"
    )
    for group in Group.objects.filter(
        name__in=[roles.BRANCH_CLERK, roles.COMMITTEE_STAFF, roles.LEADERSHIP]
    ):
        group.permissions.remove(*added)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_posting_signups"),
        ("members", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
