"""The notification outbox: every message is a row before it is anything else.

Callers create messages inside the transaction of the change that causes them; delivery is
queued on commit, claimed with a conditional UPDATE (so two workers never send one row),
retried with backoff, and never resent on its own once its fate is unknown.
"""

import datetime
import json
import logging
import secrets
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from peerprogram import hooks
from peerprogram.models import Organisation, OutboxMessage
from peerprogram.outbox.quiet_hours import sms_held_until
from peerprogram.outbox.sms import SmsOutcomeUnknown, SmsRefused, get_sms_backend
from peerprogram.permissions import Purpose, roles_for

logger = logging.getLogger(__name__)

REDACTED = "[skjult – kun i den sendte besked]"
INSERT_BATCH = 500
ENQUEUE_BATCH = 100
# A retry queued with a countdown may arrive a little before its row is due.
CLAIM_SLACK = datetime.timedelta(seconds=5)


@dataclass(frozen=True)
class Recipient:
    """Someone to tell something: `key` identifies them across messages (e.g. "peer:12")."""

    key: str
    name: str
    email: str = ""
    phone: str = ""
    sms_opt_in: bool = False
    #: The language messages to them are written in (a registration's form language).
    language: str = settings.LANGUAGE_CODE


def user_recipient(user: Any) -> Recipient:
    """A staff log-in as a recipient (e-mail only)."""
    return Recipient(key=f"user:{user.pk}", name=user.get_full_name(), email=user.email)


def coordinator_recipients(organisation: Organisation) -> list[Recipient]:
    """The organisation's active coordinators and admins who have an e-mail address."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=roles_for(Purpose.COORDINATE),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    return [user_recipient(user) for user in users]


@dataclass
class MessageDraft:
    kind: str
    recipient: Recipient
    template: str
    context: dict = field(default_factory=dict)
    organisation: Organisation | None = None
    related: models.Model | None = None
    dedupe_key: str | None = None
    secret_provider: str = ""
    #: A message the person must get (about their own registration: confirmation, decision,
    #: a change of time): it goes by SMS to everyone who gave a mobile number, ticked or not.
    #: Other messages (reminders) go by SMS only to those who asked for it.
    must_reach: bool = False


@dataclass(frozen=True)
class DeliveryOutcome:
    sent: bool
    retry_in: int | None = None


def recipient_channels(
    *, recipient: Recipient, must_reach: bool
) -> list[tuple[OutboxMessage.Channel, str]]:
    """The channels (and addresses) a message to `recipient` goes by; previews show them."""
    channels = []
    if recipient.email:
        channels.append((OutboxMessage.Channel.EMAIL, recipient.email))
    # A message the person must get goes to every channel they gave; the SMS tick is for
    # the rest (reminders).
    if recipient.phone and (recipient.sms_opt_in or must_reach):
        channels.append((OutboxMessage.Channel.SMS, recipient.phone))
    return channels


def _rows(draft: MessageDraft) -> Iterable[OutboxMessage]:
    recipient = draft.recipient
    channels = recipient_channels(recipient=recipient, must_reach=draft.must_reach)
    related_type = (
        ContentType.objects.get_for_model(draft.related) if draft.related is not None else None
    )
    for channel, address in channels:
        yield OutboxMessage(
            organisation=draft.organisation,
            kind=draft.kind,
            channel=channel,
            recipient_name=recipient.name,
            recipient_address=address,
            template=draft.template,
            language=recipient.language,
            context=context_to_json(draft.context),
            secret_provider=draft.secret_provider,
            related_type=related_type,
            related_id=draft.related.pk if draft.related is not None else None,
            dedupe_key=f"{draft.dedupe_key}:{channel}" if draft.dedupe_key else None,
        )


def messages_create(*, drafts: Iterable[MessageDraft]) -> list[int]:
    """Store messages and queue their delivery once the surrounding transaction commits.

    A draft with a `dedupe_key` that already exists creates nothing, also when two
    transactions try at once (the unique constraint decides). Returns the ids queued.
    """
    drafts = list(drafts)
    keyed = [draft for draft in drafts if draft.dedupe_key]
    unkeyed = [row for draft in drafts if not draft.dedupe_key for row in _rows(draft)]
    queued: list[int] = []
    with transaction.atomic():
        if keyed:
            queued += _insert_keyed(keyed)
        for row in unkeyed:
            row.save()
            queued.append(row.pk)
        messages_enqueue_on_commit(message_ids=queued)
    return queued


# What a new keyed row is inserted with: the columns a draft decides, then those every new
# row starts with (the model's defaults).
_DRAFT_COLUMNS = (
    "organisation_id",
    "kind",
    "channel",
    "recipient_name",
    "recipient_address",
    "template",
    "language",
    "context",
    "secret_provider",
    "related_type_id",
    "related_id",
    "dedupe_key",
)
_NEW_ROW_COLUMNS = (
    "subject",
    "body",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "next_attempt_at",
    "gateway_reference",
    "gateway_message_id",
)


def _keyed_values(drafts: list[MessageDraft]) -> list[tuple]:
    """Each keyed draft's rows as column values: no model instance per row (a catch-up of
    reminders makes a hundred thousand), one JSON text per shared context."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new_row = ("", "", OutboxMessage.Status.PENDING.value, 0, "", now, now, "", "")
    contexts: dict[int, str] = {}
    values = []
    for draft in drafts:
        recipient = draft.recipient
        context = contexts.get(id(draft.context))
        if context is None:
            context = json.dumps(context_to_json(draft.context))
            contexts[id(draft.context)] = context
        related = draft.related
        related_type = ContentType.objects.get_for_model(related) if related is not None else None
        for channel, address in recipient_channels(
            recipient=recipient, must_reach=draft.must_reach
        ):
            values.append(
                (
                    draft.organisation.pk if draft.organisation is not None else None,
                    draft.kind,
                    channel.value,
                    recipient.name,
                    address,
                    draft.template,
                    recipient.language,
                    context,
                    draft.secret_provider,
                    related_type.pk if related_type is not None else None,
                    related.pk if related is not None else None,
                    f"{draft.dedupe_key}:{channel.value}",
                    *new_row,
                )
            )
    return values


def _keyed_sql() -> dict[str, str]:
    """The statements of `_insert_keyed`. Only our own table and column names go into the
    text; every value is a parameter or comes through COPY."""
    table = OutboxMessage._meta.db_table
    names = ", ".join((*_DRAFT_COLUMNS, *_NEW_ROW_COLUMNS))
    scratch = "outbox_new_rows"
    placeholders = ", ".join(["%s"] * (len(_DRAFT_COLUMNS) + len(_NEW_ROW_COLUMNS)))
    conflict = "ON CONFLICT (dedupe_key) DO NOTHING"
    return {
        "drop": f"DROP TABLE IF EXISTS {scratch}",
        "scratch": f"CREATE TEMP TABLE {scratch} AS SELECT {names} FROM {table} WITH NO DATA",  # noqa: S608
        "copy": f"COPY {scratch} ({names}) FROM STDIN",
        "move": f"INSERT INTO {table} ({names}) SELECT {names} FROM {scratch} {conflict}",  # noqa: S608
        "pending": (
            f"SELECT o.id FROM {table} o JOIN {scratch} n ON o.dedupe_key = n.dedupe_key "  # noqa: S608
            "WHERE o.status = %s ORDER BY o.id"
        ),
        "insert": f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {conflict}",  # noqa: S608
    }


def _insert_keyed(drafts: list[MessageDraft]) -> list[int]:
    """Insert the keyed drafts' rows, skipping any whose dedupe key exists; return the ids of
    the pending rows with their keys (new or already waiting)."""
    values = _keyed_values(drafts)
    if not values:
        return []
    sql = _keyed_sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a scratch table, then one INSERT … ON CONFLICT: the fast path for a
            # catch-up of a hundred thousand rows.
            cursor.execute(sql["drop"])
            cursor.execute(sql["scratch"])
            with cursor.cursor.copy(sql["copy"]) as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(sql["move"])
            cursor.execute(sql["pending"], [OutboxMessage.Status.PENDING.value])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(sql["drop"])
            return ids
        ids = []
        for start in range(0, len(values), INSERT_BATCH):
            batch = values[start : start + INSERT_BATCH]
            cursor.executemany(sql["insert"], batch)
            keys = [row[len(_DRAFT_COLUMNS) - 1] for row in batch]
            ids += OutboxMessage.objects.filter(
                dedupe_key__in=keys, status=OutboxMessage.Status.PENDING
            ).values_list("pk", flat=True)
        return ids


def messages_enqueue_on_commit(*, message_ids: list[int]) -> None:
    from peerprogram.tasks import deliver_messages

    for start in range(0, len(message_ids), ENQUEUE_BATCH):
        batch = message_ids[start : start + ENQUEUE_BATCH]
        # robust: a broker that is down must not undo the change that caused the message;
        # the periodic re-queue delivers what this enqueue lost.
        transaction.on_commit(partial(deliver_messages.delay, batch), robust=True)


def context_to_json(value: Any) -> Any:
    """A message's context as stored (JSON): dates and times keep their type, so each
    language's template formats them its own way at delivery."""
    if isinstance(value, dict):
        return {key: context_to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_to_json(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    return value


def context_from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [context_from_json(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__datetime__" in value:
        return timezone.localtime(datetime.datetime.fromisoformat(value["__datetime__"]))
    if "__date__" in value:
        return datetime.date.fromisoformat(value["__date__"])
    return {key: context_from_json(item) for key, item in value.items()}


def template_names(message: OutboxMessage, part: str) -> list[str]:
    """The message's template for `part` ("subject.txt", "txt", "sms.txt") in its language:
    `notifications/<language>/<kind>.<part>` for "notifications/<kind>"."""
    folder, _slash, name = message.template.rpartition("/")
    return [f"{folder}/{message.language}/{name}.{part}"]


def _render(message: OutboxMessage, secret: str) -> tuple[str, str]:
    context = {
        **context_from_json(message.context),
        "recipient_name": message.recipient_name,
        "secret": secret,
    }
    with translation.override(message.language):
        if message.channel == OutboxMessage.Channel.SMS:
            return "", render_to_string(template_names(message, "sms.txt"), context).strip()
        subject = render_to_string(template_names(message, "subject.txt"), context)
        body = render_to_string(template_names(message, "txt"), context).strip()
    return " ".join(subject.split()), body


# Where a message will carry a secret made at delivery (a personal link), a preview says so.
PREVIEW_SECRET = "[personligt link]"  # noqa: S105 - a placeholder shown instead


@dataclass(frozen=True)
class MessagePreview:
    """What one recipient will get on one channel, rendered as delivery renders it."""

    channel: str
    channel_label: str
    recipient_name: str
    address: str
    subject: str
    body: str


def messages_preview(*, drafts: Iterable[MessageDraft]) -> list[MessagePreview]:
    """The messages the drafts would make, on the same channels and from the same templates
    and context as `messages_create` and delivery, without storing or sending anything; a
    secret shows as PREVIEW_SECRET."""
    previews = []
    for draft in drafts:
        for row in _rows(draft):
            subject, body = _render(row, PREVIEW_SECRET if row.secret_provider else "")
            previews.append(
                MessagePreview(
                    channel=row.channel,
                    channel_label=str(row.get_channel_display()),
                    recipient_name=row.recipient_name,
                    address=row.recipient_address,
                    subject=subject,
                    body=body,
                )
            )
    return previews


def secret_providers() -> dict[str, Callable[[OutboxMessage], str]]:
    """The secret providers by name, as the receivers of the hook give them."""
    providers: dict = {}
    for answer in hooks.answers(hooks.outbox_secret_providers):
        twice = providers.keys() & answer.keys()
        if twice:
            raise ImproperlyConfigured(f"Secret providers named twice: {sorted(twice)}")
        providers.update(answer)
    return providers


def _make_secret(message: OutboxMessage) -> str:
    if not message.secret_provider:
        return ""
    return secret_providers()[message.secret_provider](message)


class EmailRefused(Exception):
    """The mail server refused the message for good (a 5xx answer, e.g. an unknown address):
    trying again would get the same answer, so the row fails at once with the reason."""


def _reply_to(message: OutboxMessage) -> list[str]:
    # The contact named in the message answers replies; else the organisation's contact.
    contact = message.context.get("contact") or {}
    organisation = message.organisation
    address = contact.get("email") or (organisation.contact_email if organisation else "")
    return [address] if address else []


def _send_email(message: OutboxMessage, subject: str, body: str) -> None:
    email = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [message.recipient_address],
        reply_to=_reply_to(message),
    )
    # The HTML part is the same text, in paragraphs and with working links, for readers
    # that show HTML (a screen reader gets the language from `lang`).
    html = render_to_string(
        "notifications/email.html",
        {"subject": subject, "body": body, "language": message.language},
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        reasons = "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in error.recipients.values()
        )
        if all(code >= 500 for code, _text in error.recipients.values()):
            raise EmailRefused(reasons) from error
        raise
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        if error.smtp_code >= 500:
            reason = error.smtp_error
            text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
            raise EmailRefused(f"{error.smtp_code} {text}") from error
        raise


def _send(message: OutboxMessage, subject: str, body: str) -> str:
    """Send; return the SMS gateway's id for the message ("" for e-mail or when it gives none)."""
    if message.channel == OutboxMessage.Channel.SMS:
        organisation = message.organisation
        return get_sms_backend().send(
            to=message.recipient_address,
            body=body,
            reference=message.gateway_reference,
            sender=organisation.sms_sender if organisation else "",
        )
    _send_email(message, subject, body)
    return ""


def _hold_for_quiet_hours(message_id: int, now: datetime.datetime) -> DeliveryOutcome | None:
    """A pending SMS that must wait for the morning gets its next attempt set to then."""
    message = OutboxMessage.objects.filter(
        pk=message_id,
        status=OutboxMessage.Status.PENDING,
        channel=OutboxMessage.Channel.SMS,
        next_attempt_at__lte=now + CLAIM_SLACK,
    ).first()
    until = sms_held_until(message=message, now=now) if message is not None else None
    if until is None:
        return None
    OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
        next_attempt_at=until
    )
    return DeliveryOutcome(sent=False, retry_in=int((until - now).total_seconds()))


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 1, 2, 4, 8 … times the base."""
    return settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def message_deliver(*, message_id: int) -> DeliveryOutcome:
    """Send one message if it is still pending and nobody else has claimed it (an SMS
    reminder in the quiet hours waits for the morning instead, see quiet_hours)."""
    now = timezone.now()
    held = _hold_for_quiet_hours(message_id, now)
    if held is not None:
        return held
    claimed = OutboxMessage.objects.filter(
        pk=message_id,
        status=OutboxMessage.Status.PENDING,
        next_attempt_at__lte=now + CLAIM_SLACK,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return DeliveryOutcome(sent=False)
    message = OutboxMessage.objects.select_related("organisation").get(pk=message_id)
    if message.channel == OutboxMessage.Channel.SMS:
        # Stored before sending: a delivery report may come although the answer did not. New
        # for each attempt (also after a coordinator's resend), so a late report about an
        # earlier attempt finds nothing.
        message.gateway_reference = f"outbox-{message.pk}-{secrets.token_hex(4)}"
        OutboxMessage.objects.filter(pk=message_id).update(
            gateway_reference=message.gateway_reference
        )
    try:
        subject, body = _render(message, _make_secret(message))
        gateway_message_id = _send(message, subject, body)
    except (SmsRefused, EmailRefused) as error:  # trying again would get the same refusal
        return _record_outcome(message, error, OutboxMessage.Status.FAILED)
    except SmsOutcomeUnknown as error:  # it may have gone: never resent on its own
        return _record_outcome(message, error, OutboxMessage.Status.UNCERTAIN)
    except Exception as error:  # whatever the gateway raised is kept on the row
        return _record_failure(message, error)
    redacted_subject, redacted_body = (
        _render(message, REDACTED) if message.secret_provider else (subject, body)
    )
    OutboxMessage.objects.filter(
        pk=message_id,
        status__in=[OutboxMessage.Status.SENDING, OutboxMessage.Status.UNCERTAIN],
    ).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        subject=redacted_subject[:200],
        body=redacted_body,
        last_error="",
        gateway_message_id=gateway_message_id[:100],
    )
    return DeliveryOutcome(sent=True)


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _record_outcome(
    message: OutboxMessage, error: Exception, status: OutboxMessage.Status
) -> DeliveryOutcome:
    logger.warning("Outbox message %s is %s: %s", message.pk, status, _error_text(error))
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=status, last_error=_error_text(error)
    )
    return DeliveryOutcome(sent=False)


def _record_failure(message: OutboxMessage, error: Exception) -> DeliveryOutcome:
    error_text = _error_text(error)
    logger.warning(
        "Outbox message %s failed (attempt %s): %s", message.pk, message.attempts, error_text
    )
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED, last_error=error_text
        )
        return DeliveryOutcome(sent=False)
    delay = retry_delay(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.PENDING,
        last_error=error_text,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
    )
    return DeliveryOutcome(sent=False, retry_in=delay)


def messages_overdue(*, now: datetime.datetime | None = None, limit: int = 5000) -> list[int]:
    """Pending messages well past their due time: their queue message was lost."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=cutoff
        ).values_list("pk", flat=True)[:limit]
    )


def messages_mark_stuck_uncertain(*, now: datetime.datetime | None = None) -> int:
    """Messages cut off mid-send may or may not have arrived: a coordinator decides."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=cutoff
    ).update(
        status=OutboxMessage.Status.UNCERTAIN,
        last_error="Afsendelsen blev afbrudt; det vides ikke, om beskeden nåede frem.",
    )


DECIDABLE = [OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN]


@transaction.atomic
def message_resend(*, message: OutboxMessage, user: Any) -> bool:
    updated = OutboxMessage.objects.filter(pk=message.pk, status__in=DECIDABLE).update(
        status=OutboxMessage.Status.PENDING,
        next_attempt_at=timezone.now(),
        attempts=0,
        decided_by=user,
    )
    if updated:
        messages_enqueue_on_commit(message_ids=[message.pk])
    return bool(updated)


def message_mark_arrived(*, message: OutboxMessage, user: Any) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.UNCERTAIN).update(
            status=OutboxMessage.Status.SENT, decided_by=user
        )
    )


def message_discard(*, message: OutboxMessage, user: Any) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status__in=DECIDABLE).update(
            status=OutboxMessage.Status.DISCARDED, decided_by=user
        )
    )


class ReportOutcome(models.TextChoices):
    """What a gateway's delivery report did to its row."""

    UNKNOWN = "unknown"  # no SMS has this reference: nothing changes
    APPLIED = "applied"
    PENDING = "pending"  # not final yet (buffered, en route): nothing changes
    LATE = "late"  # the row's fate was already settled: nothing changes


def message_delivery_report(
    *, reference: str, gateway_message_id: str = "", delivered: bool | None, reason: str = ""
) -> ReportOutcome:
    """Apply an SMS gateway's delivery report (its signature checked by the caller).

    `delivered` is True for "reached the phone", False for a final failure and None for a
    report that is not final. A report settles the row once: delivered marks it `sent` with
    `delivered_at` (also an `uncertain` row: it did arrive), a failure marks it `failed` with
    the gateway's reason; a later report about a settled row changes nothing.
    """
    candidates = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS)
    if reference:
        message = candidates.filter(gateway_reference=reference).first()
    elif gateway_message_id:
        message = candidates.filter(gateway_message_id=gateway_message_id).first()
    else:
        message = None
    if message is None:
        return ReportOutcome.UNKNOWN
    if delivered is None:
        return ReportOutcome.PENDING
    Status = OutboxMessage.Status
    unsettled = OutboxMessage.objects.filter(pk=message.pk, delivered_at__isnull=True)
    if delivered:
        # A row still `sending` keeps its status: the sender marks it sent when the answer
        # comes (a report can overtake it).
        updated = unsettled.filter(status=Status.SENDING).update(delivered_at=timezone.now())
        updated += unsettled.filter(status__in=[Status.SENT, Status.UNCERTAIN]).update(
            status=Status.SENT, delivered_at=timezone.now(), last_error=""
        )
    else:
        updated = unsettled.filter(
            status__in=[Status.SENDING, Status.SENT, Status.UNCERTAIN]
        ).update(
            status=Status.FAILED,
            last_error=f"SMS-udbyderen kunne ikke levere beskeden: {reason}"[:2000],
        )
    if updated:
        logger.info("Outbox message %s: delivery report (delivered=%s)", message.pk, delivered)
        return ReportOutcome.APPLIED
    return ReportOutcome.LATE
