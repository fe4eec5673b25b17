"""What every kind of person record needs when the person asks for their data or its erasure.

The apps that hold people (participants, volunteers) build their exports and anonymisers from
these parts; this module knows none of them:

- `record_data` / `export_section`: a row as plain values for an export, with field labels;
- `outbox_to` / `outbox_about`: the outbox messages sent to a person, and those that reach or
  name them; `outbox_scrub` empties them (kind, channel, status and dates stay);
- `admin_log_scrub`: Django's admin history names objects by `str(obj)`; rows about an erased
  person keep only a neutral label and lose their change message;
- `erasure_recorded` / `export_recorded`: the erasure record and the audit trail.
"""

import datetime
import json
from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerprogram.audit import trail
from peerprogram.models import ErasureRecord, OutboxMessage
from peerprogram.printing import render_pdf

# What an anonymised person is called from then on (stored, so not translated).
ANONYMISED_NAME = "Anonymiseret"
# Shorter names are not searched for in free text: "Bo" would match half the outbox.
MIN_SEARCHED_NAME = 4

Related = dict[type, Iterable[int]]


def searchable(names: Iterable[str], *, full_names_only: bool = False) -> list[str]:
    found = {(name or "").strip() for name in names}
    return sorted(
        name
        for name in found
        if len(name) >= MIN_SEARCHED_NAME and (" " in name or not full_names_only)
    )


def _variants(text: str) -> set[str]:
    """The text as written, and as JSON writes it ("Søren" is stored as "S\\u00f8ren")."""
    return {text, json.dumps(text)[1:-1]}


def _related_q(related: Related, *, type_field: str, id_field: str, as_text=False) -> Q:
    query = Q(pk__in=[])
    for model, ids in related.items():
        ids = [str(pk) if as_text else pk for pk in ids if pk is not None]
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            query |= Q(**{type_field: content_type, f"{id_field}__in": ids})
    return query


def _key_q(recipient_keys: Iterable[str]) -> Q:
    # A dedupe key ends with the recipient's key and the channel: "…:participant:12:email".
    query = Q(pk__in=[])
    for key in recipient_keys:
        query |= Q(dedupe_key__contains=f":{key}:")
    return query


def _phone_variants(addresses: Iterable[str]) -> set[str]:
    found = set()
    for address in addresses:
        address = (address or "").strip()
        if not address:
            continue
        found |= {address, address.replace(" ", "")}
        digits = address.replace(" ", "")
        if digits.startswith("+45"):
            found.add(digits[3:])
        elif len(digits) == 8 and digits.isdigit():
            found.add(f"+45{digits}")
    return found


def _in_organisation(organisation):
    return OutboxMessage.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))


def outbox_to(*, organisation, related: Related, recipient_keys: Iterable[str]):
    """Messages sent to the person: about their own records, or addressed by their key."""
    return _in_organisation(organisation).filter(
        _related_q(related, type_field="related_type", id_field="related_id")
        | _key_q(recipient_keys)
    )


def outbox_about(
    *,
    organisation,
    related: Related,
    recipient_keys: Iterable[str] = (),
    addresses: Iterable[str] = (),
    names: Iterable[str] = (),
):
    """Every message that reached the person or may name them: about their records, with
    their key, to one of their addresses, or naming them in its text or context."""
    query = _related_q(related, type_field="related_type", id_field="related_id") | _key_q(
        recipient_keys
    )
    variants = _phone_variants(addresses)
    if variants:
        query |= Q(recipient_address__in=variants)
        query |= Q(recipient_address__in=[a.lower() for a in variants])
    for name in searchable(names):
        query |= Q(recipient_name__iexact=name)
        for text in _variants(name):
            query |= Q(subject__icontains=text) | Q(body__icontains=text)
            query |= Q(context_text__icontains=text)
    return (
        _in_organisation(organisation)
        .annotate(context_text=Cast("context", TextField()))
        .filter(query)
    )


def outbox_scrub(queryset) -> int:
    """Empty what messages say and to whom; a message not yet sent is dropped."""
    ids = list(queryset.values_list("pk", flat=True))
    rows = OutboxMessage.objects.filter(pk__in=ids)
    rows.filter(
        status__in=[
            OutboxMessage.Status.PENDING,
            OutboxMessage.Status.SENDING,
            OutboxMessage.Status.FAILED,
            OutboxMessage.Status.UNCERTAIN,
        ]
    ).update(status=OutboxMessage.Status.DISCARDED)
    return rows.update(
        recipient_name="",
        recipient_address="",
        subject="",
        body="",
        context={},
        last_error="",
    )


def admin_log_scrub(*, related: Related, names: Iterable[str] = ()) -> int:
    """Django's admin history of the person's records, and rows naming them, keep only a
    neutral label ("Facilitator #12") and lose their change message.

    The history spans every organisation, so only full names (two words or more) are
    searched for in it."""
    query = _related_q(related, type_field="content_type", id_field="object_id", as_text=True)
    for name in searchable(names, full_names_only=True):
        query |= Q(object_repr__icontains=name)
        for text in _variants(name):
            query |= Q(change_message__icontains=text)
    scrubbed = 0
    for entry in LogEntry.objects.filter(query).select_related("content_type"):
        model = entry.content_type.model_class() if entry.content_type else None
        kind = capfirst(model._meta.verbose_name) if model else _("Objekt")
        entry.object_repr = f"{kind} #{entry.object_id}"[:200]
        entry.change_message = ""
        entry.save(update_fields=["object_repr", "change_message"])
        scrubbed += 1
    return scrubbed


# Exports.


def _value(obj, model_field):
    if model_field.is_relation:
        related_id = getattr(obj, model_field.attname)
        if related_id is None:
            return None
        if model_field.related_model is get_user_model():
            # Staff who registered or decided: named by role and number, not by name.
            return f"{_('medarbejder')} #{related_id}"
        return str(getattr(obj, model_field.name))
    if model_field.choices:
        value = getattr(obj, model_field.attname)
        return str(getattr(obj, f"get_{model_field.name}_display")()) if value != "" else ""
    return getattr(obj, model_field.attname)


def record_data(obj, *, exclude: Iterable[str] = ()) -> dict:
    """Every stored field of a row as plain values (related rows by their name)."""
    exclude = set(exclude)
    return {
        model_field.name: _value(obj, model_field)
        for model_field in obj._meta.concrete_fields
        if model_field.name not in exclude
    }


def export_section(key: str, title, model, rows, *, exclude: Iterable[str] = ()) -> dict:
    """A titled list of rows of one model, with the field labels a reader needs."""
    exclude = set(exclude)
    return {
        "key": key,
        "title": str(title),
        "labels": {
            model_field.name: str(model_field.verbose_name)
            for model_field in model._meta.concrete_fields
            if model_field.name not in exclude
        },
        "records": [record_data(row, exclude=exclude) for row in rows],
    }


MESSAGE_FIELDS = [
    "id",
    "kind",
    "channel",
    "recipient_name",
    "recipient_address",
    "subject",
    "body",
    "status",
    "created_at",
    "sent_at",
]


def messages_section(messages) -> dict:
    """The messages sent to the person, as they were stored (secrets are never stored)."""
    hidden = {f.name for f in OutboxMessage._meta.concrete_fields} - set(MESSAGE_FIELDS)
    return export_section(
        "messages", _("Beskeder sendt til personen"), OutboxMessage, messages, exclude=hidden
    )


def export_document(*, kind: str, obj, organisation, sections: list[dict]) -> dict:
    return {
        "kind": kind,
        "id": obj.pk,
        "organisation": organisation.name,
        "exported_at": timezone.now(),
        "sections": sections,
    }


def short_date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H.%M")
    if isinstance(value, datetime.date):
        return short_date(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str, indent=1) if value else "–"
    return str(value)


def export_pdf(export: dict) -> bytes:
    """The export as a readable PDF: every section, every record, every field."""
    sections = [
        {
            "title": section["title"],
            "records": [
                [
                    (section["labels"].get(name, name), _shown(value))
                    for name, value in record.items()
                ]
                for record in section["records"]
            ],
        }
        for section in export["sections"]
    ]
    pdf, _pages = render_pdf(
        "pdf/person_export.html",
        {
            "kind": export["kind"],
            "number": export["id"],
            "organisation_name": export["organisation"],
            "exported_at": _shown(export["exported_at"]),
            "sections": sections,
        },
    )
    return pdf


def export_recorded(*, user, obj, organisation, detail: str) -> None:
    trail.record(user=user, action=trail.EXPORT, obj=obj, organisation=organisation, detail=detail)


def erasure_recorded(*, user, kind: str, obj, organisation) -> ErasureRecord:
    """The trace an erasure on request leaves: which record, when and by whom — no data."""
    trail.record(user=user, action=trail.ERASE, obj=obj, organisation=organisation)
    return ErasureRecord.objects.create(
        organisation=organisation, kind=kind, object_id=obj.pk, erased_by=user
    )
