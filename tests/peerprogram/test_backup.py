"""`manage.py backup` and `manage.py restore` (`make backup`, `make restore`)."""

import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from groups.models import Course, Program
from participants.models import Participant, Registration
from peerprogram.models import Organisation
from tests.factories import RegistrationFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are for the PostgreSQL deployment"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite development run")

TOUCHED = [Organisation, Program, Course, Participant, Registration]


def row_counts() -> dict[str, int]:
    """Rows in every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def touched_rows() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TOUCHED}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_backup_drop_and_restore_brings_back_the_same_rows(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "manuals").mkdir(parents=True)
    (settings.MEDIA_ROOT / "manuals" / "manual.pdf").write_bytes(b"%PDF-1.7 stored manual")
    RegistrationFactory.create_batch(3)
    rows_before, counts_before = touched_rows(), row_counts()
    assert all(rows_before.values())

    call_command("backup", "--dir", str(tmp_path / "backups"))

    (dump,) = (tmp_path / "backups").glob("*.dump")
    (media,) = (tmp_path / "backups").glob("*-media.tar.gz")
    assert f"Database backup: {dump}" in capsys.readouterr().out
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(media.stat().st_mode) == 0o600

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    (settings.MEDIA_ROOT / "manuals" / "manual.pdf").unlink()
    assert row_counts() == {}

    call_command("restore", str(dump), "--noinput")

    assert touched_rows() == rows_before
    assert row_counts() == counts_before
    assert (settings.MEDIA_ROOT / "manuals" / "manual.pdf").read_bytes() == (
        b"%PDF-1.7 stored manual"
    )
    # The restored sequences go on from where they were: new rows get new keys.
    assert RegistrationFactory().pk > max(row["id"] for row in rows_before["Registration"])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_changes_nothing_unless_confirmed(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "no-media"
    call_command("backup", "--dir", str(tmp_path))
    (dump,) = tmp_path.glob("*.dump")
    RegistrationFactory()
    counts = row_counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "nej")

    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", str(dump))

    assert row_counts() == counts


@on_postgresql
@pytest.mark.django_db
def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nothing.dump"), "--noinput")


@on_sqlite
@pytest.mark.smoke
@pytest.mark.django_db
def test_backup_on_sqlite_says_backups_are_for_postgresql(tmp_path):
    with pytest.raises(CommandError, match="Backups are for the PostgreSQL deployment"):
        call_command("backup", "--dir", str(tmp_path / "backups"))
    assert not (tmp_path / "backups").exists()


@on_sqlite
@pytest.mark.smoke
@pytest.mark.django_db
def test_restore_on_sqlite_refuses_with_a_clear_message(tmp_path):
    dump = tmp_path / "peerprogram.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="Backups are for the PostgreSQL deployment"):
        call_command("restore", str(dump), "--noinput")
