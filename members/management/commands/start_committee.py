"""A new committee's first run: its top branch and the first committee staff account.

Everything else (the branches below, the members, the other accounts) is then entered or imported
in the admin by that account. Running it again with the same committee name changes nothing but
the account; another name is refused, so that a register never gets two top branches.
"""

import getpass
import os

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members import roles
from members.models import Branch, User


class Command(BaseCommand):
    help = (
        "Start a new committee on an empty register: create its top branch and the first "
        "committee staff account (the password is asked twice, or read from an environment "
        "variable with --password-from-env)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The committee's name (its top branch).")
        parser.add_argument(
            "--username", required=True, help="The first committee staff account's login name."
        )
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of asking for it "
            "(for scripts).",
        )

    def handle(self, *args, name, username, password_from_env=None, **options):
        # A command has no request to choose a language: it speaks the portal's default one.
        with translation.override(settings.LANGUAGE_CODE):
            name = name.strip()
            username = username.strip()
            if not name or not username:
                raise CommandError(_("Give the committee's name and the account's username."))
            self.check_no_other_top_branch(name)
            password = self.read_password(password_from_env, username)
            with transaction.atomic():
                created = self.start(name, username, password)
            message = (
                _("Committee “%(name)s” started; %(username)s can log in to the admin.")
                if created
                else _("Committee “%(name)s” already started; %(username)s is its committee staff.")
            )
            self.stdout.write(self.style.SUCCESS(message % {"name": name, "username": username}))

    def check_no_other_top_branch(self, name: str) -> None:
        others = Branch.objects.filter(parent=None).exclude(name=name)
        top = others.order_by("pk").first()
        if top is not None:
            raise CommandError(
                _(
                    "This register already belongs to the committee “%(top)s”: a second top "
                    "branch “%(name)s” is not made."
                )
                % {"top": top.name, "name": name}
            )

    def read_password(self, variable: str | None, username: str) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(
                    _("The environment variable %(variable)s holds no password.")
                    % {"variable": variable}
                )
        else:
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ; nothing was changed."))
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password

    def start(self, name: str, username: str, password: str) -> bool:
        """Make the top branch and the account; True when the branch is new."""
        branch, created = Branch.objects.get_or_create(
            name=name, parent=None, defaults={"kind": Branch.Kind.COMMITTEE}
        )
        user = User.objects.filter(username=username).first() or User(username=username)
        user.is_staff = True
        user.branch = branch
        user.set_password(password)
        user.save()
        # The role as members/roles.py declares it (applied after every migrate), as
        # demo_accounts gives it.
        user.groups.set([Group.objects.get(name=roles.COMMITTEE_STAFF)])
        return created
