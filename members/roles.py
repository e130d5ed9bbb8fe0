"""The staff roles, as Django groups created by a data migration.

Group names are the Chinese display names the committee uses; code refers to them only through
these constants. What each role may change comes from model permissions; whether it sees every
branch comes from ``members.view_all_branches`` (see members/scoping.py).
"""

BRANCH_CLERK = "基层组织管理员"  # branch clerk: own branch subtree, add/change/delete/view
COMMITTEE_STAFF = "社市委机关工作人员"  # committee staff: every branch, every change
LEADERSHIP = "社市委领导"  # leadership: every branch, read only, reports

# The models each role works on, by app label; later apps add theirs in their own migrations
# through grant_model_permissions().
MEMBER_RECORDS = {"members": ["member", "enterprise", "branch", "sector"]}


def grant_model_permissions(apps, models_by_app: dict[str, list[str]]) -> None:
    """Give the three roles their permissions on the named models (used by data migrations)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in models_by_app:
        # Permissions are normally created after all migrations; a data migration needs them now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's stub lacks it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    def permissions(actions):
        query = Permission.objects.none()
        for app_label, model_names in models_by_app.items():
            query |= Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{a}_{m}" for a in actions for m in model_names],
            )
        return query

    every_action = ["add", "change", "delete", "view"]
    clerk, _ = Group.objects.get_or_create(name=BRANCH_CLERK)
    staff, _ = Group.objects.get_or_create(name=COMMITTEE_STAFF)
    leaders, _ = Group.objects.get_or_create(name=LEADERSHIP)
    clerk.permissions.add(*permissions(every_action))
    staff.permissions.add(*permissions(every_action))
    leaders.permissions.add(*permissions(["view"]))


def grant_app_roles(
    apps, app_label: str, *, clerk_records, committee_records, staff_only=()
) -> None:
    """An app's roles, as its data migration sets them: clerks and committee staff get every
    action on ``clerk_records`` (scoping keeps a clerk in their subtree), committee staff every
    action on ``committee_records`` (which clerks and leadership only view), leadership view on
    all; ``staff_only`` names extra permission codenames for committee staff alone."""
    grant_model_permissions(apps, {app_label: list(clerk_records)})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label=app_label)
    committee = in_app.filter(
        codename__in=[
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in committee_records
        ]
    )
    view_committee = committee.filter(codename__startswith="view_")
    Group.objects.get(name=BRANCH_CLERK).permissions.add(*view_committee)
    Group.objects.get(name=COMMITTEE_STAFF).permissions.add(
        *committee, *in_app.filter(codename__in=staff_only)
    )
    Group.objects.get(name=LEADERSHIP).permissions.add(*view_committee)


def revoke_app_roles(apps, app_label: str) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label=app_label)
    for group in Group.objects.filter(name__in=[BRANCH_CLERK, COMMITTEE_STAFF, LEADERSHIP]):
        group.permissions.remove(*in_app)
