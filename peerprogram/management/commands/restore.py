"""`manage.py restore FILE`: pg_restore a `manage.py backup` dump into the configured database.

Replaces what the dump holds (`--clean --if-exists`) in one transaction, so a failed restore
leaves the database as it was. The media archive written beside the dump, if any, is unpacked
into MEDIA_ROOT.
"""

import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from peerprogram.management.commands.backup import pg_tool, postgresql_connection


def media_archive_for(dump: Path) -> Path:
    """The media archive `manage.py backup` writes beside a dump."""
    return dump.with_name(f"{dump.stem}-media.tar.gz")


class Command(BaseCommand):
    help = (
        "Restores a backup made by `manage.py backup` into the configured PostgreSQL database "
        "(pg_restore --clean --if-exists --no-owner), and its media archive into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .dump file written by `manage.py backup`.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, file, interactive, database, **options):
        conn_args, env, name = postgresql_connection(database)
        dump = Path(file)
        if not dump.is_file():
            raise CommandError(f"No backup file at {dump}.")
        media = media_archive_for(dump)
        host = connections[database].settings_dict.get("HOST") or "localhost"

        if interactive:
            also = f" and the media folder {settings.MEDIA_ROOT}" if media.is_file() else ""
            answer = input(
                f"This replaces the data in database {name!r} on {host}{also} with {dump}.\n"
                "Stop the web server and the workers first. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")

        # Our own idle connection must not sit in the way of pg_restore's DROP statements.
        connections[database].close()
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *conn_args,
                f"--dbname={name}",
                str(dump),
            ],
            capture_output=True,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(
                "pg_restore failed; the database is unchanged: "
                f"{result.stderr.decode(errors='replace').strip()}"
            )
        self.stdout.write(self.style.SUCCESS(f"Restored {dump} into database {name!r}."))

        if media.is_file():
            media_root = Path(settings.MEDIA_ROOT)
            media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(media, mode="r:gz") as tar:
                # The "data" filter refuses absolute paths, links out of the folder and devices.
                tar.extractall(media_root, filter="data")
            self.stdout.write(self.style.SUCCESS(f"Restored {media} into {media_root}."))
