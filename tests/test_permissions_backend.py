"""members.backends.ModelBackend reads a user's permissions in one query and finds exactly what
Django's ModelBackend finds: their own, their groups', all for a superuser, none when inactive;
sessions logged in before it are kept (members migration 0004)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangosModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import roles
from members.backends import ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request loads them: no permissions read yet."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def users():
    clerk = UserFactory(username="clerk")
    clerk.groups.add(Group.objects.get(name=roles.BRANCH_CLERK))
    clerk.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    two_roles = UserFactory(username="two_roles")
    two_roles.groups.add(*Group.objects.filter(name__in=[roles.BRANCH_CLERK, roles.LEADERSHIP]))
    only_own = UserFactory(username="only_own")
    only_own.user_permissions.add(Permission.objects.get(codename="add_member"))
    inactive = UserFactory(username="inactive", is_active=False)
    inactive.groups.add(Group.objects.get(name=roles.COMMITTEE_STAFF))
    return [
        clerk,
        two_roles,
        only_own,
        inactive,
        UserFactory(username="none"),
        UserFactory(username="root", is_superuser=True),
    ]


def test_the_same_permissions_as_djangos(users):
    for user in users:
        ours = ModelBackend().get_all_permissions(fresh(user))

        assert ours == DjangosModelBackend().get_all_permissions(fresh(user)), user.username
    clerk, _, only_own, inactive, nobody, root = users
    assert "admin.view_logentry" in ModelBackend().get_all_permissions(fresh(clerk))
    assert ModelBackend().get_all_permissions(fresh(only_own)) == {"members.add_member"}
    assert ModelBackend().get_all_permissions(fresh(inactive)) == set()
    assert ModelBackend().get_all_permissions(fresh(nobody)) == set()
    assert len(ModelBackend().get_all_permissions(fresh(root))) == Permission.objects.count()
    assert ModelBackend().get_all_permissions(AnonymousUser()) == set()


def test_one_query_a_request_whatever_is_asked(users):
    clerk = fresh(users[0])

    with CaptureQueriesContext(connection) as queries:
        assert clerk.has_perm("campaigns.add_donation")
        assert not clerk.has_perm("members.delete_branch")
        assert clerk.has_module_perms("campaigns")

    assert len(queries) == 1


SESSIONS_STEP = importlib.import_module("members.migrations.0004_sessions_name_the_portals_backend")


def django_backend_session(user) -> str:
    """A session as a login made before members.backends did: it names Django's backend."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_sessions_from_before_the_portals_backend_stay_logged_in(client, alice):
    key = django_backend_session(alice)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    # Django drops a session naming a backend it no longer uses: the login page.
    assert client.get("/admin/").status_code == 302

    key = django_backend_session(alice)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    SESSIONS_STEP.renaming(SESSIONS_STEP.DJANGOS, SESSIONS_STEP.PORTALS)(
        django_apps, connection.schema_editor()
    )

    assert client.get("/admin/").status_code == 200
    assert SessionStore(key).load()[BACKEND_SESSION_KEY] == "members.backends.ModelBackend"
