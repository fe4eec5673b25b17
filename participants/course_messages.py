"""A coordinator's message to a course, and the messages sent about a course.

The subject of the e-mail and the opening of the SMS are fixed and neutral — they name no
programme and no organisation, since a message about a group for people having a hard time
may be read by others — and the body is the coordinator's own. Messages go through the outbox
(peerprogram.outbox) as the kind message_kinds.CourseMessage, by e-mail and, for those who
asked for it or have no e-mail, by SMS; an SMS carries the text only when it fits
(peerprogram.outbox.lock_screen.sms_free_text), else it says where to read it.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Course, Session
from participants.message_kinds import CourseMessage
from participants.models import CustodyConfirmation, Registration
from participants.services import registration_recipient
from peerprogram import hooks
from peerprogram.outbox.models import OutboxMessage
from peerprogram.outbox.services import MessagePreview, Recipient

BODY_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Starter:
    """A text a coordinator may start a message from, and edit."""

    key: str
    title: Any
    body: Any


STARTERS = [
    Starter(
        key="lokaleskift",
        title=gettext_lazy("Lokaleskift"),
        body=gettext_lazy(
            "Vi mødes et andet sted næste gang: [nyt sted og adresse]. Tidspunktet er det "
            "samme. Skriv eller ring, hvis du har spørgsmål."
        ),
    ),
    Starter(
        key="husk-i-morgen",
        title=gettext_lazy("Husk i morgen"),
        body=gettext_lazy(
            "Husk, at vi ses i morgen kl. [tid] på [sted]. Giv besked, hvis du ikke kan komme. "
            "Vi glæder os til at se dig."
        ),
    ),
    Starter(
        key="aflysning",
        title=gettext_lazy("Aflysning"),
        body=gettext_lazy(
            "Desværre må vi aflyse gangen [dato]. Vi ses igen [næste dato] som planlagt. "
            "Skriv eller ring, hvis du har spørgsmål."
        ),
    ),
]


def starter_body(key: str) -> str:
    """The text of the starter `key`, or "" for an unknown key."""
    return next((str(s.body) for s in STARTERS if s.key == key), "")


def course_message_recipients(
    *, course: Course, to_participants: bool, to_waitlist: bool, to_facilitators: bool
) -> list[Recipient]:
    """Who the message reaches, each person once: the accepted participants (for a child
    under 15, the custody holder, as `registration_recipient` decides), the waitlist in order,
    and the facilitators (hook `course_message_recipients`). Someone reached at the same
    address twice (a parent who came with their child) gets one message."""
    statuses = []
    if to_participants:
        statuses.append(Registration.Status.ACCEPTED)
    if to_waitlist:
        statuses.append(Registration.Status.WAITLISTED)
    found = [
        registration_recipient(registration)
        for registration in Registration.objects.filter(course=course, status__in=statuses)
        .select_related("participant", "course")
        .order_by("status", "waitlist_position", "participant__name", "pk")
    ]
    if to_facilitators:
        found += [
            recipient
            for answer in hooks.answers(hooks.course_message_recipients, course=course)
            for recipient in answer
        ]
    recipients: list[Recipient] = []
    seen: set = set()
    for recipient in found:
        identities = {recipient.key, (recipient.email, recipient.phone)}
        if identities & seen or not (recipient.email or recipient.phone):
            continue
        seen |= identities
        recipients.append(recipient)
    return recipients


def _message(course: Course, body: str, recipients: list[Recipient]) -> CourseMessage:
    body = body.strip()
    if not body:
        raise ValidationError(_("Skriv beskeden, før den sendes."))
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("Beskeden er for lang: højst %(max)d tegn.") % {"max": BODY_MAX_LENGTH}
        )
    if not recipients:
        raise ValidationError(_("Beskeden når ingen. Vælg hvem den skal sendes til."))
    return CourseMessage(course=course, body=body, recipients=recipients)


def course_message_preview(
    *,
    course: Course,
    body: str,
    to_participants: bool,
    to_waitlist: bool,
    to_facilitators: bool,
) -> tuple[list[Recipient], list[MessagePreview]]:
    """Who the message reaches and the messages exactly as they would go out, unsaved.
    ValidationError (in Danish) for an empty or too long body, or nobody to reach."""
    recipients = course_message_recipients(
        course=course,
        to_participants=to_participants,
        to_waitlist=to_waitlist,
        to_facilitators=to_facilitators,
    )
    return recipients, _message(course, body, recipients).preview()


def course_message_send(
    *,
    course: Course,
    body: str,
    to_participants: bool,
    to_waitlist: bool,
    to_facilitators: bool,
    user: Any,
) -> int:
    """Send a coordinator's message to the people of a course through the outbox; returns how
    many people it reaches. ValidationError (in Danish) for an empty or too long body, or
    nobody to reach: then nothing is sent."""
    recipients = course_message_recipients(
        course=course,
        to_participants=to_participants,
        to_waitlist=to_waitlist,
        to_facilitators=to_facilitators,
    )
    _message(course, body, recipients).send()
    return len(recipients)


# Messages about a course shown on its page (newest first).
MESSAGES_SHOWN = 30

KIND_LABELS = {
    CourseMessage.kind: gettext_lazy("Besked til forløbet"),
    "registration_confirmation": gettext_lazy("Bekræftelse af tilmelding"),
    "registration_decision": gettext_lazy("Afgørelse om tilmelding"),
    "registration_promoted": gettext_lazy("Plads fra ventelisten"),
    "status_link": gettext_lazy("Nyt link til tilmeldingen"),
    "registration_withdrawn": gettext_lazy("Frameldt"),
    "custody_request": gettext_lazy("Anmodning til forældremyndighed"),
    "custody_released": gettext_lazy("Pladsen gik videre"),
    "intake_closed": gettext_lazy("Optaget er lukket"),
    "session_reminder": gettext_lazy("Påmindelse om en gang"),
    "session_moved": gettext_lazy("En gang er flyttet"),
    "session_cancelled": gettext_lazy("En gang er aflyst"),
    "session_declined": gettext_lazy("Afbud fra en facilitator"),
    "course_rescheduled": gettext_lazy("Forløbet er planlagt om"),
    "course_cancelled": gettext_lazy("Forløbet er aflyst"),
    "facilitator_assigned": gettext_lazy("Sat på som facilitator"),
    "facilitator_unassigned": gettext_lazy("Taget af som facilitator"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def course_outbox_messages(*, course: Course) -> QuerySet[OutboxMessage]:
    """The outbox messages about a course: about the course itself, one of its sessions, one
    of its registrations or a custody holder's confirmation of one; newest first."""
    types = ContentType.objects.get_for_models(Course, Session, Registration, CustodyConfirmation)
    about = (
        Q(related_type=types[Course], related_id=course.pk)
        | Q(
            related_type=types[Session],
            related_id__in=Session.objects.filter(course=course).values("pk"),
        )
        | Q(
            related_type=types[Registration],
            related_id__in=Registration.objects.filter(course=course).values("pk"),
        )
        | Q(
            related_type=types[CustodyConfirmation],
            related_id__in=CustodyConfirmation.objects.filter(registration__course=course).values(
                "pk"
            ),
        )
    )
    return OutboxMessage.objects.filter(
        about, organisation_id=course.program.organisation_id
    ).order_by("-created_at", "-pk")
