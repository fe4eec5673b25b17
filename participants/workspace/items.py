"""The participants' work items on the "I dag" page (answered in participants.receivers):
registrations waiting for a conversation, for custody holders, and people no channel reaches.
Each counts in one query and lists its first rows in two more, whatever the data size."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from participants import selectors
from participants.models import Registration
from peerprogram import hooks
from peerprogram.phones import phone_display
from peerprogram.workspace.queue import staff_name


def last_touch(registration: Registration) -> tuple[str, datetime.datetime | None]:
    """Who touched the registration last, and when: the latest contact-log entry, else the
    decision, else nobody ("", None). Reads the rows `selectors.with_last_touch` fetched."""
    entries = list(registration.contact_log.all())
    if entries:
        latest = max(entries, key=lambda entry: (entry.created_at, entry.pk))
        return staff_name(latest.user), latest.created_at
    if registration.decided_at is not None:
        return staff_name(registration.decided_by), registration.decided_at
    return "", None


def _rows(registrations: QuerySet[Registration], detail: Any) -> list[hooks.WorkRow]:
    rows = []
    for registration in selectors.with_last_touch(registrations)[: hooks.WORK_ROWS_SHOWN]:
        touched_by, touched_at = last_touch(registration)
        rows.append(
            hooks.WorkRow(
                text=_("%(name)s – %(course)s")
                % {"name": registration.participant.name, "course": registration.course.title},
                url=reverse("workspace:registration", args=[registration.pk]),
                detail=detail(registration),
                touched_by=touched_by,
                touched_at=touched_at,
            )
        )
    return rows


def _open_questions(registration: Registration) -> str:
    return " ".join(registration.eligibility_result.get("open_questions", []))


def _held_until(registration: Registration) -> str:
    if registration.hold_until is None:
        return ""
    return _("Pladsen holdes til %(date)s.") % {
        "date": date_format(timezone.localtime(registration.hold_until), "SHORT_DATETIME_FORMAT")
    }


def _how_to_reach(registration: Registration) -> str:
    phone = registration.participant.phone or registration.guardian_phone
    if phone:
        return _("Ingen besked er kommet frem. Ring på %(phone)s.") % {
            "phone": phone_display(phone)
        }
    return _("Ingen besked er kommet frem, og der er intet telefonnummer.")


def participant_work_items(*, organisation_ids: list[int]) -> list[hooks.WorkItem]:
    waiting = selectors.registrations_needing_conversation(organisation_ids=organisation_ids)
    custody = selectors.registrations_awaiting_custody(organisation_ids=organisation_ids)
    unreachable = selectors.registrants_unreachable(organisation_ids=organisation_ids)
    return [
        hooks.WorkItem(
            key="registrations_needing_conversation",
            title=_("Tilmeldinger der venter på en samtale"),
            count=waiting.count(),
            rows=_rows(waiting, _open_questions),
            resolved_when=_(
                "Forsvinder, når du har truffet en beslutning: optaget, venteliste, afvist "
                "eller flyttet."
            ),
            order=10,
        ),
        hooks.WorkItem(
            key="registrations_awaiting_custody",
            title=_("Børn der venter på forældremyndighedens bekræftelse"),
            count=custody.count(),
            rows=_rows(custody, _held_until),
            resolved_when=_(
                "Forsvinder, når forældremyndigheden har bekræftet, eller når pladsen er "
                "givet videre, fordi fristen løb ud."
            ),
            order=20,
        ),
        hooks.WorkItem(
            key="registrants_unreachable",
            title=_("Tilmeldte som ingen besked når frem til"),
            count=unreachable.count(),
            rows=_rows(unreachable, _how_to_reach),
            resolved_when=_(
                "Forsvinder, når en besked om tilmeldingen er kommet frem, eller når "
                "tilmeldingen ikke længere er aktiv."
            ),
            order=30,
        ),
    ]
