"""Where a person's data could linger: a full pg_dump of the database and the media folder."""

import io
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from peerprogram.management.commands.backup import pg_tool, postgresql_connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a pg_dump needs the PostgreSQL database"
)


def database_dump() -> str:
    """Every row of the test database as pg_dump writes it (plain SQL)."""
    args, env, name = postgresql_connection("default")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [pg_tool("pg_dump"), "--format=plain", *args, f"--dbname={name}"],
        capture_output=True,
        env=env,
        check=True,
    )
    return result.stdout.decode()


def media_text(root) -> str:
    """Every stored file: its bytes as text, and a PDF's extracted text as well."""
    parts = []
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file():
            continue
        content = path.read_bytes()
        parts.append(content.decode("utf-8", errors="replace"))
        if content.startswith(b"%PDF"):
            reader = PdfReader(io.BytesIO(content))
            parts.extend(page.extract_text() for page in reader.pages)
    return "\n".join(parts)


def phone_forms(phone: str) -> list[str]:
    digits = phone.replace(" ", "").removeprefix("+45")
    return [phone, digits, " ".join([digits[:2], digits[2:4], digits[4:6], digits[6:]])]


def found(text: str, values) -> list[str]:
    """Which of the values appear in the text (ignoring case)."""
    lowered = text.lower()
    return [value for value in values if value.lower() in lowered]
