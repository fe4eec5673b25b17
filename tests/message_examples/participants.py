"""Examples of participants' message kinds, with the longest demo names."""

import datetime

from django.utils import timezone

from participants import message_kinds
from participants.models import CustodyConfirmation, Registration
from peerprogram.outbox.services import Recipient
from tests.factories import (
    CourseFactory,
    HelpContactFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.message_examples import example
from tests.message_examples.common import LONG_COURSE, LONG_PLACE, long_course

LONG_NAME = "Marie-Louise Kristiansen-Bøgelund"
LONG_CHILD = "Frederikke Sofie Kristiansen-Bøgelund"
LONG_MESSAGE = (
    "Vi har talt sammen i telefonen, og vi er enige om, at et af de andre forløb passer "
    "bedre til dig lige nu. Du er altid velkommen til at skrive til os."
)


def _course(program=None):
    first_date = timezone.localdate() + datetime.timedelta(days=30)
    if program is None:
        course = long_course(first_date=first_date)
    else:  # another course of the same programme
        course = CourseFactory(program=program, title=LONG_COURSE, first_date=first_date)
    SessionFactory(
        course=course,
        number=1,
        place=LONG_PLACE,
        # A long weekday and month in both languages.
        starts_at=timezone.make_aware(
            datetime.datetime(timezone.localdate().year + 1, 9, 29, 17, 30)
        ),
    )
    return course


def _registration(course=None, **kwargs):
    return RegistrationFactory(
        course=course or _course(), **{"participant__name": LONG_NAME, "language": "da", **kwargs}
    )


@example("registration_confirmation")
def registration_confirmation():
    return message_kinds.RegistrationConfirmation.about(_registration())


@example("registration_promoted")
def registration_promoted():
    return message_kinds.RegistrationPromoted.about(_registration())


@example("registration_decision")
def registration_decision():
    course = _course()
    HelpContactFactory(
        organisation=course.program.organisation, label="Livslinien", phone="70201201"
    )
    registration = _registration(course, status=Registration.Status.DECLINED)
    return message_kinds.RegistrationDecision.about(registration, message=LONG_MESSAGE)


@example("registration_withdrawn")
def registration_withdrawn():
    registration = _registration(status=Registration.Status.WITHDRAWN)
    return message_kinds.RegistrationWithdrawn.about(registration, was=Registration.Status.ACCEPTED)


@example("status_link")
def status_link():
    registration = _registration(status=Registration.Status.ACCEPTED)
    return message_kinds.StatusLinkSent.about(registration)


@example("intake_closed")
def intake_closed():
    registration = _registration(status=Registration.Status.WAITLISTED, waitlist_position=12)
    following = _course(registration.course.program)
    return message_kinds.IntakeClosed(registration=registration, next_course=following)


def _child_registration(**kwargs):
    course = _course()
    return _registration(
        course,
        participant__name=LONG_CHILD,
        participant__birth_date=course.first_date.replace(year=course.first_date.year - 10),
        guardian_name=LONG_NAME,
        guardian_email="foraelder@eksempel.dk",
        guardian_phone="+4520304051",
        **kwargs,
    )


@example("custody_request")
def custody_request():
    registration = _child_registration(
        status=Registration.Status.AWAITING_CUSTODY,
        hold_until=timezone.now() + datetime.timedelta(days=7),
    )
    confirmation = CustodyConfirmation.objects.create(
        registration=registration, holder=CustodyConfirmation.Holder.FIRST
    )
    return message_kinds.CustodyRequest(confirmation=confirmation)


@example("custody_released")
def custody_released():
    registration = _child_registration(status=Registration.Status.WITHDRAWN)
    CustodyConfirmation.objects.create(
        registration=registration, holder=CustodyConfirmation.Holder.FIRST
    )
    return message_kinds.CustodyReleased(registration=registration)


@example("course_message")
def course_message():
    return message_kinds.CourseMessage(
        course=_course(),
        body="Vi mødes i lokale 3 på første sal næste gang. " * 20,
        recipients=[Recipient(key="participant:1", name=LONG_NAME, email="", phone="+4520304050")],
    )
