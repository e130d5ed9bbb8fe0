"""manage.py backup and restore end to end: the demo data in a scratch database of the test
server, backed up, the database dropped and made again (or changed), restored, and every table
compared row for row.

The scratch database `bp_backup_<pid>` is neither pytest-django's test database nor the
developer's: manage.py runs in subprocesses with DATABASE_URL naming it, and the test drops it.
They connect as the portal does in production: as the owner of its database, not a superuser,
with the extensions made beforehand by a superuser (pg_restore --clean alone would fail to drop
them); the role `bp_backup_owner_<pid>` is dropped with the database.
"""

import io
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from psycopg import sql

from portal import pgtools

SERVER = settings.DATABASES["default"]
SCRATCH = f"bp_backup_{os.getpid()}"
OWNER = f"bp_backup_owner_{os.getpid()}"
OWNER_PASSWORD = secrets.token_urlsafe(16)
EXTENSIONS = ["btree_gist", "pg_trgm"]
MEDIA_FILES = {
    "artworks/2020/picture.png": b"\x89PNG\r\n\x1a\n not really a picture",
    "suggestions/2020/02/suggestion.txt": "关于复工复产的建议".encode(),
}

MIGRATE_AND_LOAD_DEMO = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
"""


def connect(dbname: str) -> psycopg.Connection:
    params = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    given = {param: SERVER[key] for key, param in params.items() if SERVER.get(key)}
    return psycopg.connect(dbname=dbname, autocommit=True, **given)


def database_url(dbname: str) -> str:
    user, password = quote(OWNER), f":{quote(OWNER_PASSWORD, safe='')}"
    host = quote(str(SERVER.get("HOST") or ""), safe="")  # a socket folder is a path
    return f"postgres://{user}{password}@{host}:{SERVER.get('PORT') or 5432}/{dbname}"


def make_scratch_database(*, extensions: list[str]) -> None:
    """An empty database owned by OWNER, with these extensions made by the superuser."""
    with connect(SERVER["NAME"]) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(SCRATCH), sql.Identifier(OWNER)
            )
        )
    with connect(SCRATCH) as scratch:
        for extension in extensions:
            scratch.execute(sql.SQL("CREATE EXTENSION {}").format(sql.Identifier(extension)))


def make_owner() -> None:
    with connect(SERVER["NAME"]) as admin:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(OWNER)))
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(OWNER), sql.Literal(OWNER_PASSWORD)
            )
        )


def drop_scratch_database_and_owner() -> None:
    with connect(SERVER["NAME"]) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
        )
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(OWNER)))


def extension_owners() -> dict[str, str]:
    with connect(SCRATCH) as scratch:
        rows = scratch.execute(
            "SELECT extname, extowner::regrole::text FROM pg_extension WHERE extname = ANY(%s)",
            [EXTENSIONS],
        ).fetchall()
    return dict(rows)


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def table_checksums() -> dict[str, tuple]:
    """Rows and an md5 of them per table of the scratch database, and each sequence's value."""
    with connect(SCRATCH) as scratch:
        tables = scratch.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        sums = {
            table: scratch.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '' ORDER BY t::text), ''))"
                    " FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
            for (table,) in tables
        }
        sequences = scratch.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
    return sums | {f"sequence {name}": (value,) for name, value in sequences}


def media_files(media_root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(media_root).as_posix(): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """The demo data and two uploaded files backed up from the scratch database."""
    with connect(SERVER["NAME"]) as admin:
        server_major = admin.info.server_version // 10000
        superuser = admin.info.user
        may_make_roles = admin.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
    if not may_make_roles:
        pytest.skip(f"{SERVER.get('USER')} may not create the database owner's role")
    try:
        for program in ("pg_dump", "pg_restore"):
            pgtools.find_program(program, server_major)
    except pgtools.ClientError as error:
        pytest.skip(str(error))
    folder = tmp_path_factory.mktemp("backup")
    media_root = folder / "media"
    for name, content in MEDIA_FILES.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(content)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(SCRATCH),
        "MEDIA_ROOT": str(media_root),
    }
    try:
        make_owner()
        make_scratch_database(extensions=EXTENSIONS)
        # migrate and load_demo in one process: a Django start-up less.
        subprocess.run(
            [sys.executable, "-c", MIGRATE_AND_LOAD_DEMO],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=120,
        )
        dump = folder / "portal.dump"
        written = manage("backup", "--output", str(dump), env=env)
        yield SimpleNamespace(
            dump=dump,
            media_root=media_root,
            env=env,
            stdout=written.stdout,
            tables=table_checksums(),
            superuser=superuser,
        )
    finally:
        drop_scratch_database_and_owner()


def test_backup_writes_dump_and_media_archive_readable_by_owner_only(backup):
    media_archive = backup.dump.with_name("portal.media.tar.gz")

    with tarfile.open(media_archive) as tar:
        archived = sorted(member.name for member in tar.getmembers() if member.isfile())
    assert backup.dump.read_bytes()[:5] == b"PGDMP"
    assert archived == sorted(MEDIA_FILES)
    assert backup.dump.stat().st_mode & 0o777 == 0o600
    assert media_archive.stat().st_mode & 0o777 == 0o600
    assert f"  {backup.dump}  " in backup.stdout
    assert f"  {media_archive}  " in backup.stdout
    assert backup.tables["members_member"][0] > 0


def test_restore_into_new_database_gives_back_every_row_and_file(backup):
    # Without the extensions: the owner makes them (they are trusted ones).
    make_scratch_database(extensions=[])
    for path in backup.media_root.rglob("*.png"):
        path.unlink()

    manage("restore", str(backup.dump), "--yes", env=backup.env)

    assert table_checksums() == backup.tables
    assert media_files(backup.media_root) == MEDIA_FILES
    assert manage("migrate", "--check", env=backup.env, check=False).returncode == 0


def test_restore_over_changed_database_removes_the_changes(backup):
    # The database as the fixture made it, whichever test ran before: extensions by the superuser.
    make_scratch_database(extensions=EXTENSIONS)
    manage("restore", str(backup.dump), "--yes", env=backup.env)
    with connect(SCRATCH) as scratch:
        scratch.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(OWNER)))
        scratch.execute("UPDATE members_member SET name = name || '改'")
        scratch.execute("DELETE FROM members_historicalmember")
        # As a migration newer than the backup would: a table the backup does not know.
        scratch.execute("CREATE TABLE members_newer (member_id bigint REFERENCES members_member)")
    (backup.media_root / "uploaded-later.txt").write_bytes(b"later")

    restored = manage("restore", str(backup.dump), "--yes", env=backup.env)

    assert table_checksums() == backup.tables
    assert media_files(backup.media_root) == MEDIA_FILES
    assert restored.stdout.splitlines()[-1] == "Done; migrations are up to date."
    assert extension_owners() == dict.fromkeys(EXTENSIONS, backup.superuser)


def test_restore_refuses_file_that_is_not_a_dump_in_one_line(tmp_path):
    not_a_dump = tmp_path / "notes.sql"
    not_a_dump.write_text("SELECT 1;\n")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"}

    result = manage("restore", str(not_a_dump), "--yes", env=env, check=False)

    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: {not_a_dump} is not a PostgreSQL custom-format dump "
        "(as made by manage.py backup).\n"
    )


def test_restore_refuses_without_yes_when_not_at_a_terminal(tmp_path, monkeypatch):
    dump = tmp_path / "portal.dump"
    dump.write_bytes(b"PGDMP and the rest")
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))

    # No database access is allowed here: the refusal comes before any.
    with pytest.raises(CommandError, match=r"^Restoring replaces every record of database "):
        call_command("restore", str(dump))


def test_connection_args_pass_password_in_environment_only():
    database = {"HOST": "db.internal", "PORT": 5432, "USER": "portal", "NAME": "bp"}
    database |= {"PASSWORD": "s3cret", "OPTIONS": {}}

    args, env = pgtools.connection_args(database)

    assert args == ["--host=db.internal", "--port=5432", "--username=portal", "--dbname=bp"]
    assert env["PGPASSWORD"] == "s3cret"


def test_backup_and_restore_are_commands_of_the_portal_app():
    commands = get_commands()

    assert (commands["backup"], commands["restore"]) == ("portal", "portal")
