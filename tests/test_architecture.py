"""The shape of the code (docs/architecture.md): apps in layers, in their imports and their
migrations; self-contained migrations; roles as declared; every public table with its trigger."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from members import roles
from members.models import Branch, EnterpriseContactLink
from portal.triggers import PORTAL_APPS, check_public_tables, has_public_trigger

BASE_DIR = Path(__file__).resolve().parent.parent

# Which app may import which (docs/architecture.md); the project package only for the replica's
# router, which only reports use.
MAY_IMPORT = {
    "portal": set(),
    "members": {"portal"},
    "campaigns": {"members", "portal"},
    "suggestions": {"members", "portal"},
    "honours": {"campaigns", "members", "portal"},
    "reports": {"honours", "campaigns", "suggestions", "members", "portal", "branch_portal"},
}
OURS = set(MAY_IMPORT) | {"branch_portal", "bench"}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages of ours that a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


def modules_of(app: str, *, migrations: bool):
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        if ("migrations" in path.parts) == migrations:
            yield path


def test_each_app_imports_only_the_apps_below_it():
    upward = {
        str(path.relative_to(BASE_DIR)): sorted(imported_packages(path) - allowed - {app})
        for app, allowed in MAY_IMPORT.items()
        for path in modules_of(app, migrations=False)
    }

    assert {path: found for path, found in upward.items() if found} == {}


def test_migrations_import_no_app_code():
    importing = {
        str(path.relative_to(BASE_DIR)): sorted(imported_packages(path))
        for app in MAY_IMPORT
        for path in modules_of(app, migrations=True)
    }

    assert {path: found for path, found in importing.items() if found} == {}


def test_migrations_depend_only_on_the_apps_below():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    edges = {
        (key[0], parent.key[0])
        for key, node in graph.node_map.items()
        for parent in node.parents
        if key[0] in MAY_IMPORT and parent.key[0] in MAY_IMPORT and key[0] != parent.key[0]
    }

    assert {(app, on) for app, on in edges if on not in MAY_IMPORT[app]} == set()
    assert ("members", "portal") in edges and ("honours", "campaigns") in edges


def test_every_portal_model_decided_whether_public_pages_read_it():
    assert check_public_tables() == []


def test_a_public_model_without_its_trigger_is_found(monkeypatch):
    monkeypatch.setattr(Branch._meta, "triggers", [])

    assert [error.id for error in check_public_tables() if error.obj is Branch] == ["portal.E002"]


def test_a_public_link_table_without_its_trigger_is_found(monkeypatch):
    monkeypatch.setattr(EnterpriseContactLink._meta, "triggers", [])

    found = [(error.id, error.obj._meta.db_table) for error in check_public_tables()]

    assert found == [("portal.E001", "members_enterprise_contacts")]


@pytest.mark.django_db
def test_every_public_table_has_its_trigger_in_the_database():
    declared = {
        model._meta.db_table
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if has_public_trigger(model)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname LIKE 'pgtrigger_public_data_%%'"
        )
        installed = {table for (table,) in cursor.fetchall()}

    assert installed == declared
    assert {"members_member", "campaigns_donation", "members_enterprise_contacts"} <= installed


@pytest.mark.django_db
def test_roles_hold_exactly_the_declared_permissions():
    held = {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=roles.ROLES)
    }

    assert held == roles.ROLES


@pytest.mark.django_db
def test_applying_the_roles_again_undoes_a_change_by_hand():
    clerks = Group.objects.get(name=roles.BRANCH_CLERK)
    clerks.permissions.add(Permission.objects.get(codename="change_campaign"))
    clerks.permissions.remove(Permission.objects.get(codename="add_donation"))

    roles.apply_roles()

    codenames = set(clerks.permissions.values_list("codename", flat=True))
    assert "change_campaign" not in codenames and "add_donation" in codenames
