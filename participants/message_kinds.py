"""The messages participants sends (peerprogram.outbox.kinds): to a person about their
registration, to custody holders about a child's, and a coordinator's message to a course.

A message about a registration goes to the person (for a child under 15, the custody holder
who registered them; for a family, the parent about both: `RegistrationMessage.told`), on
every channel they gave (`must_reach`), in the language of their form, with their personal
status link. Contexts hold data only (names, statuses, datetimes); the templates in
templates/notifications/<language>/ choose the words.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from groups.message_kinds import AboutCourse
from groups.models import Course, Session
from participants import selectors, services
from participants.models import CustodyConfirmation, Registration
from peerprogram.models import Organisation
from peerprogram.outbox.kinds import Audience, MessageKind
from peerprogram.outbox.lock_screen import sms_free_text
from peerprogram.outbox.services import MessageDraft, Recipient


def course_url(course: Course) -> str:
    """The course's public page: where someone registers (again)."""
    return settings.SITE_URL + reverse("participants:course", kwargs={"pk": course.pk})


def next_session(course: Course, now: datetime.datetime | None = None) -> Session | None:
    """The course's first planned session still ahead: the one a newcomer starts at."""
    return (
        course.sessions.filter(status=Session.Status.PLANNED, starts_at__gt=now or timezone.now())
        .order_by("starts_at", "number")
        .first()
    )


def _start(course: Course) -> dict[str, Any]:
    """When and where someone joining `course` now starts: its next planned session, or the
    course's first day and start time while it has no sessions planned."""
    session = next_session(course)
    if session is not None:
        return {"starts_at": session.starts_at, "place": session.place, "address": course.address}
    starts_at = timezone.make_aware(datetime.datetime.combine(course.first_date, course.start_time))
    return {"starts_at": starts_at, "place": course.place, "address": course.address}


def _crisis_lines(organisation: Organisation) -> list[dict[str, str]]:
    # The lines the public pages' crisis box shows (includes/organisation_contacts.html).
    return [
        {
            "label": line.label,
            "phone": line.phone,
            "url": line.url,
            "opening_hours": line.opening_hours,
        }
        for line in organisation.help_contacts.all()
    ]


# What a coordinator wrote goes in an SMS only when it fits in two segments with the rest:
# a course message has the SMS nearly to itself (its opening takes ~30 characters), a
# decision's SMS says more around it and has a link.
SMS_BODY_MAX = 250
DECISION_SMS_MESSAGE_MAX = 80


class RegistrationMessage(AboutCourse, MessageKind):
    """A message about one registration (or a family's), with the personal status link."""

    audience = Audience.CITIZEN
    must_reach = True
    secret_provider = "registration_status"  # noqa: S105 - a provider name

    def __init__(self, *, family: list[Registration]):
        self.family = family
        self.lead = family[0]
        self.course = self.lead.course

    @classmethod
    def about(cls, registration: Registration, **kwargs: Any) -> "RegistrationMessage":
        """The message about `registration` and everyone registered with it, as stored now."""
        return cls(family=services.registration_family(registration), **kwargs)

    def related(self) -> Registration:
        return self.lead

    def told(self) -> Recipient:
        # The parent who came along is the one to tell about the family; otherwise the person
        # (or the custody holder of a child under 15).
        told = self.family[1] if len(self.family) > 1 else self.lead
        return services.registration_recipient(told)

    def recipients(self) -> Iterable[Recipient]:
        return [self.told()]

    def context(self) -> dict[str, Any]:
        course, lead, told = self.course, self.lead, self.told()
        return {
            "program": course.program.name,
            "course": course.title,
            "organisation": course.program.organisation.name,
            **_start(course),
            "status": lead.status,
            "waitlist_position": lead.waitlist_position,
            # Everyone the message is about, when a parent registered with their child.
            "family": [
                {
                    "name": member.participant.name,
                    "status": member.status,
                    "waitlist_position": member.waitlist_position,
                }
                for member in self.family
            ]
            if len(self.family) > 1
            else [],
            # Reminders (groups.reminders) go by e-mail, and by SMS to those who asked.
            "reminder_hours": course.program.reminder_hours,
            "reminder_by_email": bool(told.email),
            "reminder_by_sms": bool(told.phone and told.sms_opt_in),
            "email_given": bool(told.email),
            "phone_given": bool(told.phone),
        }


class RegistrationConfirmation(RegistrationMessage):
    """Sent when someone registers: a seat, the waitlist, or a conversation first."""

    kind = "registration_confirmation"


class StatusLinkSent(RegistrationMessage):
    """A new personal link the person asked for on the status page (participants.status_links)."""

    kind = "status_link"


class RegistrationPromoted(RegistrationMessage):
    """A seat freed and went to the first on the waitlist."""

    kind = "registration_promoted"


class RegistrationDecision(RegistrationMessage):
    """A coordinator's decision (accepted, waitlisted, declined) or move to another course,
    with what the coordinator wrote to the person (`message`). A refusal offers other courses
    that fit, the contact and the crisis lines."""

    kind = "registration_decision"

    def __init__(
        self, *, family: list[Registration], message: str = "", moved_from: Course | None = None
    ):
        super().__init__(family=family)
        self.message = message
        self.moved_from = moved_from

    def context(self) -> dict[str, Any]:
        context = {
            **super().context(),
            "message": self.message,
            # The SMS carries a short message itself; a longer one only in the e-mail.
            "sms_message": sms_free_text(self.message, limit=DECISION_SMS_MESSAGE_MAX),
            "moved_from": self.moved_from.title if self.moved_from is not None else "",
        }
        if self.lead.status == Registration.Status.DECLINED:
            context["other_courses"] = [
                {
                    "program": other.program.name,
                    "course": other.title,
                    "starts_at": _start(other)["starts_at"],
                    "url": course_url(other),
                }
                for other in selectors.courses_fitting_instead(
                    course=self.course, birth_date=self.lead.participant.birth_date
                )
            ]
            lines = _crisis_lines(self.organisation())
            context["crisis_lines"] = lines
            # An SMS has room for one number, without its name (which may be revealing).
            context["crisis_phone"] = next((line["phone"] for line in lines if line["phone"]), "")
        return context


class RegistrationWithdrawn(RegistrationMessage):
    """A receipt for a withdrawal through the status page. The registration has ended, so
    it carries no status link; it says where to register again."""

    kind = "registration_withdrawn"
    secret_provider = ""

    def __init__(self, *, family: list[Registration], was: str):
        super().__init__(family=family)
        self.was = was

    def dedupe_key(self, recipient: Recipient) -> str:
        # A registration is withdrawn once.
        return f"registration_withdrawn:{self.lead.pk}"

    def context(self) -> dict[str, Any]:
        return {**super().context(), "was": self.was, "course_url": course_url(self.course)}


class IntakeClosed(AboutCourse, MessageKind):
    """To someone still on the waitlist when the course's intake closes, once, offering the
    programme's next course (`next_course`) or the organisation's page."""

    kind = "intake_closed"
    audience = Audience.CITIZEN
    must_reach = True

    def __init__(self, *, registration: Registration, next_course: Course | None):
        self.registration = registration
        self.course = registration.course
        self.next_course = next_course

    def related(self) -> Registration:
        return self.registration

    def recipients(self) -> Iterable[Recipient]:
        return [services.registration_recipient(self.registration)]

    def dedupe_key(self, recipient: Recipient) -> str:
        return intake_closed_key(self.registration.pk)

    def context(self) -> dict[str, Any]:
        organisation = self.organisation()
        following = self.next_course
        return {
            "program": self.course.program.name,
            "course": self.course.title,
            "organisation": organisation.name,
            "organisation_url": settings.SITE_URL + organisation.get_absolute_url(),
            "next_course": following.title if following else "",
            "next_course_starts_at": _start(following)["starts_at"] if following else None,
            "next_course_url": course_url(following) if following else "",
        }


def intake_closed_key(registration_pk: int) -> str:
    return f"intake_closed:{registration_pk}"


def custody_holder(registration: Registration, holder: int, *, key: str = "") -> Recipient:
    """A custody holder of a child, in the language the child was registered in. `key`: the
    recipient's dedupe key when the holder stands in for the child (else the holder's own)."""
    second = holder == CustodyConfirmation.Holder.SECOND
    return Recipient(
        key=key or f"custody:{registration.pk}:{2 if second else 1}",
        name=registration.second_guardian_name if second else registration.guardian_name,
        email=registration.second_guardian_email if second else registration.guardian_email,
        phone=registration.second_guardian_phone if second else registration.guardian_phone,
        language=registration.language,
    )


class CustodyMessage(AboutCourse, MessageKind):
    """To custody holders about a child under 15 registered by one of them."""

    audience = Audience.CITIZEN
    must_reach = True

    def __init__(self, *, registration: Registration):
        self.registration = registration
        self.course = registration.course

    def context(self) -> dict[str, Any]:
        family = services.registration_family(self.registration)
        lead = family[0]
        return {
            "program": self.course.program.name,
            "course": self.course.title,
            "organisation": self.organisation().name,
            **_start(self.course),
            "child": self.registration.participant.name,
            "status": lead.status,
            "hold_until": lead.hold_until,
            "family": [member.participant.name for member in family] if len(family) > 1 else [],
            "course_url": course_url(self.course),
        }


class CustodyRequest(CustodyMessage):
    """Asks one custody holder to confirm, with their one-time link."""

    kind = "custody_request"
    secret_provider = "custody_confirmation"  # noqa: S105 - a provider name

    def __init__(self, *, confirmation: CustodyConfirmation):
        super().__init__(registration=confirmation.registration)
        self.confirmation = confirmation

    def related(self) -> CustodyConfirmation:
        return self.confirmation

    def recipients(self) -> Iterable[Recipient]:
        return [custody_holder(self.registration, self.confirmation.holder)]


class CustodyReleased(CustodyMessage):
    """The hold ran out before every custody holder confirmed: the seat went on. Each holder
    asked is told once."""

    kind = "custody_released"

    def related(self) -> Registration:
        return self.registration

    def recipients(self) -> Iterable[Recipient]:
        return [
            custody_holder(self.registration, confirmation.holder)
            for confirmation in self.registration.custody_confirmations.order_by("holder")
        ]

    def dedupe_key(self, recipient: Recipient) -> str:
        holder = recipient.key.rpartition(":")[2]
        return f"custody_released:{self.registration.pk}:{holder}"


class CourseMessage(AboutCourse, MessageKind):
    """A coordinator's message to the people of a course (participants.course_messages).

    The e-mail carries the text. The SMS carries it too when it fits (`sms_free_text`);
    a longer one is announced: read it in your e-mail, or, for someone we have no e-mail
    for, call the contact, who reads it to you."""

    kind = "course_message"
    audience = Audience.CITIZEN
    # Like a moved session: it must reach everyone, by SMS when there is no e-mail.
    must_reach = True

    def __init__(self, *, course: Course, body: str, recipients: list[Recipient]):
        self.course = course
        self.body = body
        self._recipients = recipients

    def recipients(self) -> Iterable[Recipient]:
        return self._recipients

    def context(self) -> dict[str, Any]:
        return {"body": self.body, "sms_body": sms_free_text(self.body, limit=SMS_BODY_MAX)}

    def drafts(self) -> list[MessageDraft]:
        # Whether the SMS may point to the e-mail depends on the person.
        return [
            dataclasses.replace(
                draft, context={**draft.context, "has_email": bool(draft.recipient.email)}
            )
            for draft in super().drafts()
        ]
