from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members import roles
from members.demo import COMMITTEE, HOSPITAL_BRANCH
from members.models import Branch, Member, User

DEMO_PASSWORD = "demo-2020-lyg"

# username: (role group or None, superuser, branch, member name for the member's own login)
ACCOUNTS = {
    "admin": (None, True, COMMITTEE, None),
    "staff": (roles.COMMITTEE_STAFF, False, COMMITTEE, None),
    "clerk": (roles.BRANCH_CLERK, False, HOSPITAL_BRANCH, None),
    "leader": (roles.LEADERSHIP, False, COMMITTEE, None),
    "member": (None, False, None, "赵丽"),
}


class Command(BaseCommand):
    help = "Make sure the demo accounts exist (one per role) and print them. DEBUG only."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts share a published password: they are made only with DEBUG on."
            )
        if not Branch.objects.filter(name=COMMITTEE).exists():
            # An empty register (a new database): one sentence instead of a traceback.
            with translation.override(settings.LANGUAGE_CODE):
                raise CommandError(
                    _(
                        "The register has no branch “%(name)s” for the demo accounts: load the "
                        "demo first (manage.py load_demo), or start a new committee with "
                        "manage.py start_committee."
                    )
                    % {"name": COMMITTEE}
                )
        for username, (group_name, superuser, branch_name, member_name) in ACCOUNTS.items():
            user = User.objects.filter(username=username).first() or User(username=username)
            user.is_superuser = superuser
            user.is_staff = member_name is None
            user.branch = Branch.objects.get(name=branch_name) if branch_name else None
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)] if group_name else [])
            if member_name:
                member = Member.objects.filter(name=member_name).order_by("pk").first()
                if member is None:
                    raise CommandError("Load the demo data first: manage.py load_demo")
                member.user = user
                member.save()
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, (group_name, superuser, branch_name, member_name) in ACCOUNTS.items():
            role = "superuser" if superuser else group_name or f"member {member_name}"
            self.stdout.write(f"  {username:<8} {role}  {branch_name or ''}")
