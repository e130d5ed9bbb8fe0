from django.db import migrations

from members import roles


def grant_roles(apps, schema_editor):
    roles.grant_app_roles(
        apps,
        "members",
        # Clerks write the citations of their own members; care visits are the committee's.
        clerk_records=["citation"],
        committee_records=["carevisit"],
    )


def revoke_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    added = Permission.objects.filter(
        content_type__app_label="members", content_type__model__in=["citation", "carevisit"]
    )
    for group in Group.objects.filter(
        name__in=[roles.BRANCH_CLERK, roles.COMMITTEE_STAFF, roles.LEADERSHIP]
    ):
        group.permissions.remove(*added)


class Migration(migrations.Migration):
    dependencies = [("members", "0003_citations_and_care_visits")]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
