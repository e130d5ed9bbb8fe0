import os
import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from psycopg import sql

from portal import pgtools
from portal.management.commands.backup import STAGING_PREFIX, media_archive_path

# Tables, views and sequences in `pg_restore --list`: "212; 1259 16390 TABLE public name owner",
# not the "TABLE DATA", "SEQUENCE SET", "SEQUENCE OWNED BY" … entries that fill them.
ARCHIVED_RELATION = re.compile(
    r"^\d+; \d+ \d+ (?:TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE|FOREIGN TABLE) "
    r"(?!DATA |SET |OWNED BY |ATTACH )(\S+) (\S+)",
    re.MULTILINE,
)
# "2; 3079 16390 EXTENSION - pg_trgm owner" and its "4589; 0 0 COMMENT - EXTENSION pg_trgm ".
ARCHIVED_EXTENSION = re.compile(
    r"^\d+; \d+ \d+ (?:COMMENT - )?EXTENSION (?:- )?(\S+)", re.MULTILINE
)
DROP_KIND = {
    "r": "TABLE",
    "p": "TABLE",
    "f": "FOREIGN TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "S": "SEQUENCE",
}


def check_custom_dump(path: Path) -> None:
    try:
        with path.open("rb") as file:
            magic = file.read(5)
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist.") from None
    except OSError as error:  # a folder, or not ours to read
        raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
    if magic != b"PGDMP":
        raise CommandError(
            f"{path} is not a PostgreSQL custom-format dump (as made by manage.py backup)."
        )


def prepare_database(contents: str) -> list[str]:
    """Make the database ready for pg_restore of an archive with these contents (its --list).

    The archive's extensions are created here when missing, and pg_restore leaves them alone
    (restore_list): dropping an extension takes its owner, often a superuser who made it for a
    portal that is not one. Tables, views and sequences of the archive's schemas that the archive
    lacks are dropped: pg_restore --clean replaces only what the archive holds, and a table of a
    newer migration left behind would make `migrate` fail to create it again. Returns their names.
    """
    relations = set(ARCHIVED_RELATION.findall(contents))
    with transaction.atomic(), connection.cursor() as cursor:
        for extension in sorted(set(ARCHIVED_EXTENSION.findall(contents))):
            cursor.execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension))
            )
        # Not an extension's objects, nor a column's own sequence (it goes with its table).
        cursor.execute(
            """
            SELECT c.relkind, n.nspname, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
              AND NOT EXISTS (
                SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
            ORDER BY n.nspname, c.relname
            """,
            [sorted({schema for schema, _ in relations})],
        )
        extra = [row for row in cursor.fetchall() if (row[1], row[2]) not in relations]
        for kind, schema, name in extra:
            cursor.execute(
                sql.SQL("DROP {} IF EXISTS {} CASCADE").format(
                    sql.SQL(DROP_KIND[kind]), sql.Identifier(schema, name)
                )
            )
    return [name for _, _, name in extra]


def restore_list(contents: str) -> str:
    """The archive's contents for pg_restore --use-list: all but its extensions."""
    return "\n".join(line for line in contents.splitlines() if not ARCHIVED_EXTENSION.match(line))


def replace_database(dump: Path, contents: str, pg_restore: Path) -> list[str]:
    """The database's records replaced by the dump's; the names of the tables dropped."""
    try:
        dropped = prepare_database(contents)
        connection.close()
        args, env = pgtools.connection_args(connection.settings_dict)
        with tempfile.NamedTemporaryFile("w", suffix=".list") as listing:
            listing.write(restore_list(contents))
            listing.flush()
            # One transaction: a failure leaves the records as they were.
            replace = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
            pgtools.run(pg_restore, [*args, *replace, f"--use-list={listing.name}", str(dump)], env)
    except (pgtools.ClientError, DatabaseError) as error:
        raise CommandError(f"Not restored: {' '.join(str(error).split())}") from None
    return dropped


def unpack_media(archive: Path, media_root: Path) -> Path:
    """The archive unpacked into a new folder inside MEDIA_ROOT, not yet in place."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            tar.extractall(staging, filter="data")
    except (OSError, EOFError, tarfile.TarError) as error:
        shutil.rmtree(staging)
        raise CommandError(f"{archive} cannot be unpacked: {error}") from None
    return staging


def put_media_in_place(staging: Path, media_root: Path) -> int:
    """MEDIA_ROOT's files replaced by the unpacked ones; how many files there are now."""
    try:
        for entry in media_root.iterdir():
            if entry == staging:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in staging.iterdir():
            entry.rename(media_root / entry.name)
    except OSError as error:
        raise CommandError(
            f"The database is restored, but the uploaded files are not: {error}"
        ) from None
    return sum(1 for path in media_root.rglob("*") if path.is_file())


class Command(BaseCommand):
    help = (
        "Replace the database's contents by a dump of backup (and the uploaded files by the "
        ".media.tar.gz beside it, if there). Asks first; --yes does not."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The .dump file written by backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace without asking (needed without a TTY)."
        )

    def handle(self, *args, dump, yes=False, **options):
        check_custom_dump(dump)
        media = media_archive_path(dump)
        media_root = Path(settings.MEDIA_ROOT)
        target = f"every record of database {connection.settings_dict['NAME']}"
        if media.is_file():
            target += f" and every uploaded file in {media_root}"
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"Restoring replaces {target}: give --yes to go ahead.")
            answer = input(f"This replaces {target} by the backup {dump}. Type yes to go ahead: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Not restored; nothing was changed.")

        try:
            pg_restore = pgtools.find_program("pg_restore", pgtools.server_major(connection))
            contents = pgtools.run(pg_restore, ["--list", str(dump)], os.environ)
        except pgtools.ClientError as error:
            raise CommandError(str(error)) from None
        # Unpacked before the database changes: a broken archive stops the restore untouched.
        staging = unpack_media(media, media_root) if media.is_file() else None
        try:
            dropped = replace_database(dump, contents, pg_restore)
            files = put_media_in_place(staging, media_root) if staging else None
        finally:
            if staging:
                shutil.rmtree(staging, ignore_errors=True)

        self.stdout.write(f"Restored database {connection.settings_dict['NAME']} from {dump}.")
        if dropped:
            self.stdout.write(f"Dropped tables the backup does not have: {', '.join(dropped)}.")
        if files is None:
            self.stdout.write(f"No {media.name} beside the dump: uploaded files left as they were.")
        else:
            self.stdout.write(f"Restored {files} uploaded files into {media_root} from {media}.")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(pending)} migrations of this code: "
                    "run manage.py migrate."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Done; migrations are up to date."))
