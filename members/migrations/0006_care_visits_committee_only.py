from django.db import migrations

from members import roles


def revoke_from_clerks(apps, schema_editor):
    """Care visits name members of every branch: clerks no longer view them."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="members", codename="view_carevisit"
    )
    for group in Group.objects.filter(name=roles.BRANCH_CLERK):
        group.permissions.remove(*view)


def grant_to_clerks(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="members", codename="view_carevisit"
    )
    for group in Group.objects.filter(name=roles.BRANCH_CLERK):
        group.permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_public_data_version")]

    operations = [migrations.RunPython(revoke_from_clerks, grant_to_clerks)]
