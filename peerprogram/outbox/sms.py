"""Pluggable SMS gateways. `settings.SMS_BACKEND` names the class; the default prints, for
development only (refused at start with DEBUG off, see settings)."""

import sys
import threading
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string


class SmsDeliveryError(Exception):
    """The gateway refused or could not take the message."""


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, body: str) -> None:
        """Hand one message to the gateway; raise SmsDeliveryError when it is not taken."""


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each SMS to standard output, for development."""

    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"SMS from {settings.SMS_SENDER} to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps sent SMS in memory (`LocmemSmsBackend.outbox`), for tests."""

    outbox: list[dict] = []
    _lock = threading.Lock()

    def send(self, *, to: str, body: str) -> None:
        with self._lock:
            self.outbox.append({"to": to, "body": body})


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
