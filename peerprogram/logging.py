"""Logs never hold a secret link: tokens in paths are masked before anything is written."""

import logging
import re

from gunicorn.glogging import Logger as GunicornBaseLogger

# Paths whose last part is a secret: evaluation answers, registration status, calendar
# feeds and password resets.
SECRET_PATHS = re.compile(
    r"((?<!/admin)/evaluation/|/tilmelding/|/peer/calendar/|/reset/[^/\s]+/)([^/\s?\"]+)"
)


def redact_secrets(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[skjult]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's access log with secret path segments masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_secrets(atoms[key])
        return atoms
