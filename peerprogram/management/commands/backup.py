"""`manage.py backup`: a pg_dump of the configured PostgreSQL database, plus the media folder.

The connection comes from Django's settings (DATABASE_URL), so the backup reads the same
database the app uses. The password goes to pg_dump through PGPASSWORD, never as an argument.
"""

import glob
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client program: PATH first, then Debian's newest versioned folder."""
    found = shutil.which(name)
    if found:
        return found

    def version(folder: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", Path(folder).parent.name))

    for folder in sorted(glob.glob(PG_BIN_GLOB), key=version, reverse=True):
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise CommandError(
        f"{name} not found on PATH or in {PG_BIN_GLOB}. "
        "Install the PostgreSQL client tools (apt-get install postgresql-client)."
    )


def postgresql_connection(alias: str) -> tuple[list[str], dict[str, str], str]:
    """Connection arguments, environment (with PGPASSWORD) and database name for pg_* tools.

    Refuses anything but PostgreSQL: backups are for the PostgreSQL deployment.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        where = connection.settings_dict.get("NAME")
        raise CommandError(
            f"Backups are for the PostgreSQL deployment, but this database is {connection.vendor} "
            f"({where}). Set DATABASE_URL=postgres://user:password@host:5432/name. "
            "The SQLite development database is a plain file: stop `make run` and copy it."
        )
    settings_dict = connection.settings_dict
    # Django's psql client knows every connection option (password, sslmode, service,
    # passfile, certificates) and passes them as PG* environment variables.
    _, client_env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    args = []
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    args.append("--no-password")  # never prompt: the password comes from PGPASSWORD
    env = {**os.environ, **(client_env or {})}
    return args, env, settings_dict["NAME"]


def _private_file(path: Path):
    """Open a new file readable by its owner only; never overwrite an existing backup."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


class Command(BaseCommand):
    help = (
        "Writes a timestamped pg_dump (custom format) of the PostgreSQL database, and the "
        "media folder as a tar.gz next to it, into BACKUP_DIR (default: backups/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="backup_dir",
            default=os.environ.get("BACKUP_DIR") or "backups",
            help="Folder for the backup files (default: $BACKUP_DIR or backups/).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, backup_dir, database, **options):
        conn_args, env, name = postgresql_connection(database)
        folder = Path(backup_dir)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        dump_path = folder / f"{name}-{stamp}.dump"

        pg_dump = pg_tool("pg_dump")
        try:
            with _private_file(dump_path) as out:
                result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [pg_dump, "--format=custom", *conn_args, f"--dbname={name}"],
                    stdout=out,
                    stderr=subprocess.PIPE,
                    env=env,
                    check=False,
                )
        except FileExistsError as error:
            raise CommandError(f"{dump_path} already exists; try again in a second.") from error
        except BaseException:
            dump_path.unlink(missing_ok=True)  # no half-written dump that looks like a backup
            raise
        if result.returncode != 0:
            dump_path.unlink()
            raise CommandError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
        self.stdout.write(self.style.SUCCESS(f"Database backup: {dump_path}"))

        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            media_path = folder / f"{name}-{stamp}-media.tar.gz"
            with _private_file(media_path) as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                tar.add(media_root, arcname=".")
            self.stdout.write(self.style.SUCCESS(f"Media backup: {media_path}"))
        else:
            self.stdout.write(f"No media folder at {media_root}: nothing else to back up.")
