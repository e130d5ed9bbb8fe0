"""The staff roles, declared once: each role's Django group and every permission it holds.

Group names are the Chinese display names the committee uses; code refers to them only through
these constants. What a role may change comes from these model permissions; whether it sees every
branch comes from ``members.view_all_branches`` (members/scoping.py).

``apply_roles`` runs after every ``migrate`` (a ``post_migrate`` receiver, members/apps.py) and
makes each group hold exactly what is declared here, so a new model's permissions, or one taken
away, reach the database with the next migrate. Permissions are named as strings
("campaigns.add_donation"): this module imports no other app.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

BRANCH_CLERK = "基层组织管理员"  # branch clerk: own branch subtree, add/change/delete/view
COMMITTEE_STAFF = "社市委机关工作人员"  # committee staff: every branch, every change
LEADERSHIP = "社市委领导"  # leadership: every branch, read only, reports

EVERY_ACTION = ("add", "change", "delete", "view")


def every(*models: str) -> set[str]:
    """Every action on each "app_label.model"."""
    return {
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model in models
        for action in EVERY_ACTION
    }


def view(*models: str) -> set[str]:
    return {f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in models}


# What a branch clerk records for the members of their own subtree (scoping keeps them there).
BRANCH_RECORDS = (
    "members.member",
    "members.enterprise",
    "campaigns.donation",
    "campaigns.goodsline",
    "campaigns.blooddonation",
    "campaigns.assignment",
    # Clerks decide the sign-ups of their own members, as they record assignments.
    "campaigns.postingsignup",
    # Branches enter the suggestions of their own subtree, with their files.
    "suggestions.suggestion",
    "suggestions.attachment",
    # Clerks write the citations of their own members.
    "honours.citation",
)
# The committee's records: clerks only choose them (a campaign, a recipient, a posting).
SHARED_RECORDS = (
    "members.branch",
    "members.sector",
    "campaigns.campaign",
    "campaigns.goal",
    "campaigns.recipient",
    "campaigns.posting",
    "suggestions.suggestioncall",
    "suggestions.higherbody",
    "suggestions.forwarding",
    "suggestions.statechange",
    # The honour roll's words for its categories, which the committee writes.
    "honours.rollcategorywording",
)
# The committee's alone: care visits name members of every branch; logins are account management.
COMMITTEE_RECORDS = ("honours.carevisit", "members.user")

# Members' requests to correct their data: made on /me/, answered by their branch's staff, never
# added or deleted in the admin.
ANSWERED_RECORDS = ("members.correctionrequest",)

ROLES: dict[str, set[str]] = {
    BRANCH_CLERK: every(*BRANCH_RECORDS)
    | view(*SHARED_RECORDS, *ANSWERED_RECORDS)
    | {"members.change_correctionrequest"},
    COMMITTEE_STAFF: every(*BRANCH_RECORDS, *SHARED_RECORDS, *COMMITTEE_RECORDS)
    | view(*ANSWERED_RECORDS)
    | {
        "members.view_all_branches",
        "members.change_correctionrequest",
        # Reviewing, forwarding and merging suggestions is the committee's work.
        "suggestions.review_suggestion",
        # Erasing a member everywhere cannot be undone: the committee's decision.
        "members.anonymise_member",
    },
    # Leadership reads everything but logins, and changes nothing.
    LEADERSHIP: view(*BRANCH_RECORDS, *SHARED_RECORDS, *ANSWERED_RECORDS, "honours.carevisit")
    | {"members.view_all_branches"},
}


def apply_roles(*, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """Make each role's group hold exactly its declared permissions (those that exist yet:
    during a first migrate, an app's permissions exist once its own migrations have run)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = set().union(*ROLES.values())
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    for name, permissions in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([found[p] for p in sorted(permissions) if p in found])
