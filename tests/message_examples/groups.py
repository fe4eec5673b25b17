"""Examples of the messages about sessions and courses (groups.message_kinds), with the longest
names and dates, a two-digit session number and the longest reason an SMS repeats."""

import datetime

from django.utils import timezone

from groups.message_kinds import (
    SMS_REASON_MAX,
    CourseCancelled,
    CourseRescheduled,
    SessionCancelled,
    SessionMoved,
    SessionReminder,
)
from peerprogram.outbox.services import Recipient
from tests.factories import SessionFactory, ThemeFactory
from tests.message_examples import example
from tests.message_examples.common import LONG_PLACE, long_course

TZ = timezone.get_default_timezone()
# A Wednesday in September: the longest weekday and month names in both languages.
STARTS_AT = datetime.datetime(2027, 9, 29, 17, 30, tzinfo=TZ)
BEFORE = datetime.datetime(2027, 9, 22, 17, 30, tzinfo=TZ)
PEOPLE = [
    Recipient(
        key="participant:1",
        name="Mette-Marie Kristiansen-Holm",
        email="mette-marie@eksempel.dk",
        phone="+4520304050",
        sms_opt_in=True,
    ),
    Recipient(key="peer:1", name="Karen Peer", email="karen@eksempel.dk"),
]
REASON = "Lokalet er lukket på grund af en vandskade, og vi har ikke kunnet finde et andet"
assert len(REASON) == SMS_REASON_MAX


def _session(number=10):
    course = long_course()
    theme = ThemeFactory(
        program=course.program, number=number, title="At finde fodfæste i hverdagen igen"
    )
    return SessionFactory(
        course=course,
        number=number,
        theme=theme,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + datetime.timedelta(hours=2),
        place=LONG_PLACE,
    )


@example("session_reminder")
def session_reminder():
    return SessionReminder(session=_session(), people=PEOPLE)


@example("session_moved")
def session_moved():
    return SessionMoved(
        session=_session(),
        people=PEOPLE,
        previous_starts_at=BEFORE,
        previous_place="Biblioteket",
    )


@example("session_cancelled")
def session_cancelled():
    return SessionCancelled(session=_session(), people=PEOPLE, reason=REASON)


@example("course_rescheduled")
def course_rescheduled():
    first = _session(number=9)
    second = SessionFactory(
        course=first.course,
        number=10,
        starts_at=STARTS_AT + datetime.timedelta(days=7),
        ends_at=STARTS_AT + datetime.timedelta(days=7, hours=2),
        place=LONG_PLACE,
    )
    return CourseRescheduled(
        course=first.course,
        sessions=[first, second],
        people=PEOPLE,
        previous_starts_at={first.pk: BEFORE, second.pk: STARTS_AT},
        change="example",
    )


@example("course_cancelled")
def course_cancelled():
    return CourseCancelled(course=long_course(), people=PEOPLE, next_starts_at=STARTS_AT)
