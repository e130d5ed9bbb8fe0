from django.db import migrations

from members import roles

# What a branch clerk records for the members of their own subtree.
CLERK_RECORDS = ["donation", "goodsline", "blooddonation", "assignment"]
# Committee-wide records: clerks only choose them (a campaign, a recipient, a posting).
COMMITTEE_RECORDS = ["campaign", "goal", "recipient", "posting"]


def grant_roles(apps, schema_editor):
    # Clerks and committee staff get every action on the clerk's records, leadership view.
    roles.grant_model_permissions(apps, {"campaigns": CLERK_RECORDS})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    committee = Permission.objects.filter(
        content_type__app_label="campaigns",
        codename__in=[
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in COMMITTEE_RECORDS
        ],
    )
    view_committee = committee.filter(codename__startswith="view_")
    Group.objects.get(name=roles.BRANCH_CLERK).permissions.add(*view_committee)
    Group.objects.get(name=roles.COMMITTEE_STAFF).permissions.add(*committee)
    Group.objects.get(name=roles.LEADERSHIP).permissions.add(*view_committee)


def revoke_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    campaigns = Permission.objects.filter(content_type__app_label="campaigns")
    for group in Group.objects.filter(
        name__in=[roles.BRANCH_CLERK, roles.COMMITTEE_STAFF, roles.LEADERSHIP]
    ):
        group.permissions.remove(*campaigns)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("members", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
