import os
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from portal import pgtools

BACKUP_DIR = settings.BASE_DIR / "var" / "backups"
# restore unpacks into a folder of this name inside MEDIA_ROOT (same file system, so it can
# move the files into place); a backup taken meanwhile must not pack it.
STAGING_PREFIX = ".restore-"


def media_archive_path(dump: Path) -> Path:
    """x.dump → x.media.tar.gz: the uploaded files that belong with that dump."""
    stem = dump.stem if dump.suffix == ".dump" else dump.name
    return dump.with_name(f"{stem}.media.tar.gz")


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024


def open_private(path: Path):
    # Backups hold members' phones and addresses: readable by their owner only, from the start.
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def pack_media(media_root: Path, archive: Path) -> tuple[int, int]:
    """Every file under MEDIA_ROOT into a .tar.gz; (number of files, their bytes)."""
    with open_private(archive) as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
        if media_root.is_dir():
            for entry in sorted(media_root.iterdir()):
                if not entry.name.startswith(STAGING_PREFIX):
                    tar.add(entry, arcname=entry.name)
        files = [member for member in tar.getmembers() if member.isfile()]
    return len(files), sum(member.size for member in files)


class Command(BaseCommand):
    help = (
        "Back up the database (a pg_dump custom-format archive) and the uploaded files under "
        "MEDIA_ROOT (a .media.tar.gz beside it with the same name). Restore with restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Path of the dump (default var/backups/branch_portal-YYYYmmdd-HHMMSS.dump); "
            "the uploaded files go beside it as <name>.media.tar.gz.",
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            BACKUP_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = BACKUP_DIR / f"branch_portal-{stamp}.dump"
        media = media_archive_path(output)
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a folder: give --output in one.")
        for path in (output, media):
            if path.exists():
                raise CommandError(f"{path} already exists: give another --output.")

        database = connection.settings_dict
        try:
            pg_dump = pgtools.find_program("pg_dump", pgtools.server_major(connection))
            args, env = pgtools.connection_args(database)
            partial = output.with_name(f"{output.name}.partial")
            open_private(partial).close()
            try:
                pgtools.run(pg_dump, [*args, "--format=custom", f"--file={partial}"], env)
            except pgtools.ClientError:
                partial.unlink()
                raise
        except pgtools.ClientError as error:
            raise CommandError(str(error)) from None
        partial.replace(output)
        # Packed after the dump, so every file a dumped row names is in it (a later upload comes
        # along unused at worst).
        partial = media.with_name(f"{media.name}.partial")
        try:
            files, media_bytes = pack_media(Path(settings.MEDIA_ROOT), partial)
        except (OSError, tarfile.TarError) as error:
            partial.unlink(missing_ok=True)
            raise CommandError(
                f"The database is in {output}, but the uploaded files could not be packed: {error}"
            ) from None
        partial.replace(media)

        self.stdout.write(f"Backed up database {database['NAME']} with {pg_dump}:")
        self.stdout.write(f"  {output}  {human_size(output.stat().st_size)}")
        self.stdout.write(
            f"  {media}  {human_size(media.stat().st_size)} ({files} uploaded files from "
            f"{settings.MEDIA_ROOT}, {human_size(media_bytes)} unpacked)"
        )
        self.stdout.write(
            self.style.SUCCESS(f"The two belong together. To restore: manage.py restore {output}")
        )
