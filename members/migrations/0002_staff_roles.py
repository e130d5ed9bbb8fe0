from django.db import migrations

from members import roles


def create_roles(apps, schema_editor):
    # Clerks keep branches and sectors read-only: the tree is the committee's business.
    roles.grant_model_permissions(apps, {"members": ["member", "enterprise"]})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_tree = Permission.objects.filter(
        content_type__app_label="members", codename__in=["view_branch", "view_sector"]
    )
    tree = Permission.objects.filter(
        content_type__app_label="members",
        codename__in=[f"{a}_{m}" for a in ("add", "change", "delete", "view")
                      for m in ("branch", "sector", "user")],
    )
    all_branches = Permission.objects.get(
        content_type__app_label="members", codename="view_all_branches"
    )
    Group.objects.get(name=roles.BRANCH_CLERK).permissions.add(*view_tree)
    staff = Group.objects.get(name=roles.COMMITTEE_STAFF)
    staff.permissions.add(*tree, all_branches)
    leaders = Group.objects.get(name=roles.LEADERSHIP)
    leaders.permissions.add(*view_tree, all_branches)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=[roles.BRANCH_CLERK, roles.COMMITTEE_STAFF, roles.LEADERSHIP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
