"""Pluggable SMS gateways. `settings.SMS_BACKEND` names the class; the default prints, for
development only (refused at start with DEBUG off, see settings). The real gateways are in
peerprogram.outbox.sms_gateways."""

import sys
import threading
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string


class SmsDeliveryError(Exception):
    """The gateway did not take the message (down, busy, 5xx, refused connection): the
    outbox tries again later with backoff."""


class SmsRefused(SmsDeliveryError):
    """The gateway refused the message for good (a 4xx other than 429, e.g. an invalid number
    or sender): trying again would get the same answer, so the row fails at once."""


class SmsOutcomeUnknown(SmsDeliveryError):
    """The request reached the gateway but no answer came back (a timeout after sending): the
    SMS may have gone, so the row becomes `uncertain` and is never resent on its own."""


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, body: str, reference: str = "", sender: str = "") -> str:
        """Hand one message to the gateway; return the gateway's message id ("" if it gives
        none). `reference` is ours, echoed in the gateway's delivery reports; `sender` is the
        organisation's neutral sender name (settings.SMS_SENDER when it has none). Raise
        SmsDeliveryError (or a subclass above) when the message is not taken."""


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each SMS to standard output, for development."""

    def send(self, *, to: str, body: str, reference: str = "", sender: str = "") -> str:
        sys.stdout.write(f"SMS from {sender or settings.SMS_SENDER} to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return ""


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps sent SMS in memory (`LocmemSmsBackend.outbox`), for tests."""

    outbox: list[dict] = []
    _lock = threading.Lock()

    def send(self, *, to: str, body: str, reference: str = "", sender: str = "") -> str:
        with self._lock:
            self.outbox.append({"to": to, "body": body, "sender": sender})
        return ""


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
