"""Message kinds: each kind of message is a small class that owns its templates, its context
and its recipients (the pattern of ephios' notification types).

A kind's templates live in `templates/notifications/<language>/` as `<kind>.subject.txt`,
`<kind>.txt` and, for kinds that may go by SMS, `<kind>.sms.txt`, in every language of
settings.LANGUAGES. A kind meant for citizens or peers names a contact (`contact` in its
context, from peerprogram.contacts) and keeps its SMS and subject neutral on a lock screen
(peerprogram.outbox.lock_screen). Each app keeps its kinds in `<app>/message_kinds.py`;
tests render every kind found there, in every language, to check both.

    class SessionReminder(MessageKind):
        kind = "session_reminder"
        audience = Audience.CITIZEN
        ...
        def recipients(self): ...
        def context(self): ...

    SessionReminder(session=session).send()
"""

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerprogram.contacts import contact_for
from peerprogram.models import Organisation
from peerprogram.outbox.services import (
    MessageDraft,
    MessagePreview,
    Recipient,
    coordinator_recipients,
    messages_create,
    messages_preview,
)


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Borger")
    PEER = "peer", _("Peer")
    STAFF = "staff", _("Medarbejder")


class MessageKind(ABC):
    """One kind of message about one thing (a registration, a session, a course …). A kind
    says whose organisation it speaks for and whom it tells; the rest has defaults."""

    kind: ClassVar[str]
    audience: ClassVar[Audience]
    #: Whether the kind has an SMS text; staff notices go by e-mail only.
    has_sms: ClassVar[bool] = True
    #: A message the person must get (about their own registration, a change of time): it
    #: goes to every channel they gave, SMS without the tick too (recipient_channels).
    must_reach: ClassVar[bool] = False
    #: The outbox secret provider that makes the personal link at delivery, if any.
    secret_provider: ClassVar[str] = ""

    @classmethod
    def template(cls) -> str:
        return f"notifications/{cls.kind}"

    @abstractmethod
    def organisation(self) -> Organisation | None:
        """The organisation the message speaks for (its contact, sender name, scope)."""

    def program(self) -> Any:
        """The programme the message is about (its contact may differ), or None."""
        return None

    def related(self) -> models.Model | None:
        return None

    @abstractmethod
    def recipients(self) -> Iterable[Recipient]:
        """Whom to tell."""

    def context(self) -> dict[str, Any]:
        return {}

    def dedupe_key(self, recipient: Recipient) -> str | None:
        """A key that makes the message to `recipient` once only (None: no such guarantee)."""
        return None

    def full_context(self) -> dict[str, Any]:
        context = self.context()
        organisation = self.organisation()
        if organisation is not None and self.audience != Audience.STAFF:
            contact = contact_for(organisation=organisation, program=self.program())
            context.setdefault("contact", contact.as_context())
        return context

    def drafts(self) -> list[MessageDraft]:
        recipients = list(self.recipients())
        if not recipients:
            return []
        context = self.full_context()
        return [
            MessageDraft(
                kind=self.kind,
                # A kind without an SMS text never goes by SMS.
                recipient=recipient if self.has_sms else dataclasses.replace(recipient, phone=""),
                template=self.template(),
                context=context,
                organisation=self.organisation(),
                related=self.related(),
                dedupe_key=self.dedupe_key(recipient),
                secret_provider=self.secret_provider,
                must_reach=self.must_reach,
            )
            for recipient in recipients
        ]

    def send(self) -> int:
        """Store the messages (delivered once the surrounding transaction commits)."""
        return len(messages_create(drafts=self.drafts()))

    def preview(self) -> list[MessagePreview]:
        return messages_preview(drafts=self.drafts())


class CoordinatorNotice(MessageKind):
    """A notice to an organisation's coordinators (e-mail only): the one way to tell them."""

    audience = Audience.STAFF
    has_sms = False

    def recipients(self) -> Iterable[Recipient]:
        organisation = self.organisation()
        return coordinator_recipients(organisation) if organisation is not None else []


def send_all(messages: Iterable[MessageKind]) -> int:
    """Store the messages of many kinds' instances in one batch (e.g. a reminder sweep)."""
    return len(messages_create(drafts=[draft for m in messages for draft in m.drafts()]))
