"""The messages about sessions and courses: a reminder before a session, and the notices when
a session moves, is cancelled or restored, or a whole course gets new times or is cancelled.

They go to the course's participants and facilitators alike (both read the same neutral text).
Who they are is decided in groups.reminders (the hook `session_recipients`, answered for many
sessions at once), so each kind is given its recipients: the reminder sweep builds thousands of
them without a query per session.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from groups.models import Course, Program, Session
from peerprogram.models import Organisation
from peerprogram.outbox.kinds import Audience, MessageKind
from peerprogram.outbox.lock_screen import sms_free_text
from peerprogram.outbox.services import Recipient

#: The longest reason for a cancellation that an SMS repeats (its other text takes the rest of
#: two segments with the longest names).
SMS_REASON_MAX = 80


def sms_reason(reason: str) -> str:
    """The coordinator's reason as the SMS may show it, or "" (it stays in the e-mail, and the
    SMS names whom to call instead)."""
    return sms_free_text(reason, limit=SMS_REASON_MAX)


class AboutCourse:
    """For a message kind about a course (`self.course`): the course's organisation, its
    programme (whose contact the message names) and the course as what the message is about
    (a kind about a session or a registration says so itself)."""

    course: Course

    def organisation(self) -> Organisation:
        return self.course.program.organisation

    def program(self) -> Program:
        return self.course.program

    def related(self) -> models.Model | None:
        return self.course


class CourseKind(AboutCourse, MessageKind):
    """A message about a course to the people given (participants and facilitators)."""

    audience = Audience.CITIZEN

    def __init__(self, *, course: Course, people: Sequence[Recipient]) -> None:
        self.course = course
        self.people = people

    def recipients(self) -> Sequence[Recipient]:
        return self.people

    def context(self) -> dict[str, Any]:
        return {"program": self.course.program.name, "course": self.course.title}


class SessionKind(CourseKind):
    """A message about one session; reads the session's course, programme, organisation and
    theme (fetch them with it)."""

    def __init__(self, *, session: Session, people: Sequence[Recipient]) -> None:
        super().__init__(course=session.course, people=people)
        self.session = session

    def related(self) -> Session:
        return self.session

    def dedupe_key(self, recipient: Recipient) -> str:
        # One per session version: a session moved after its message gets a new one.
        return f"{self.kind}:{self.session.pk}:v{self.session.version}:{recipient.key}"

    def context(self) -> dict[str, Any]:
        session = self.session
        return {
            **super().context(),
            "number": session.number,
            "theme": session.theme.title if session.theme else "",
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "place": session.place,
        }


class SessionReminder(SessionKind):
    """Before each session (Program.reminder_hours ahead); by SMS only to those who asked."""

    kind = "session_reminder"


class SessionMoved(SessionKind):
    """A session has a new time or place, with the old one when known; or a cancelled session
    is held after all (`restored`)."""

    kind = "session_moved"
    must_reach = True

    def __init__(
        self,
        *,
        session: Session,
        people: Sequence[Recipient],
        previous_starts_at: datetime.datetime | None = None,
        previous_place: str = "",
        restored: bool = False,
    ) -> None:
        super().__init__(session=session, people=people)
        self.previous_starts_at = previous_starts_at
        self.previous_place = previous_place
        self.restored = restored

    def context(self) -> dict[str, Any]:
        moved = self.previous_starts_at not in (None, self.session.starts_at)
        place_changed = self.previous_place not in ("", self.session.place)
        return {
            **super().context(),
            "previous_starts_at": self.previous_starts_at if moved else None,
            "previous_place": self.previous_place if place_changed else "",
            "restored": self.restored,
        }


class SessionCancelled(SessionKind):
    """A session is cancelled, with the coordinator's reason (the SMS repeats it when it may,
    see sms_reason)."""

    kind = "session_cancelled"
    must_reach = True

    def __init__(self, *, session: Session, people: Sequence[Recipient], reason: str = "") -> None:
        super().__init__(session=session, people=people)
        self.reason = reason.strip()

    def context(self) -> dict[str, Any]:
        return {**super().context(), "reason": self.reason, "sms_reason": sms_reason(self.reason)}


class CourseRescheduled(CourseKind):
    """Several sessions of a course got new times (the course was planned again): one message
    per person with every new time, and the old one where known."""

    kind = "course_rescheduled"
    must_reach = True

    def __init__(
        self,
        *,
        course: Course,
        sessions: Sequence[Session],
        people: Sequence[Recipient],
        previous_starts_at: Mapping[int, datetime.datetime],
        change: str,
    ) -> None:
        super().__init__(course=course, people=people)
        self.sessions = sessions
        self.previous_starts_at = previous_starts_at
        self.change = change

    def dedupe_key(self, recipient: Recipient) -> str:
        # `change` identifies the new times: telling the same change twice sends once.
        return f"course_rescheduled:{self.course.pk}:{self.change}:{recipient.key}"

    def context(self) -> dict[str, Any]:
        return {
            **super().context(),
            "sessions": [
                {
                    "number": session.number,
                    "starts_at": session.starts_at,
                    "previous_starts_at": self.previous_starts_at.get(session.pk),
                    "place": session.place,
                }
                for session in self.sessions
            ],
        }


class CourseCancelled(CourseKind):
    """A course is cancelled with sessions still to come (`next_starts_at`: the first of them).
    It offers whom to call and the courses open now; nothing tells people about new courses
    later, so the message does not promise it."""

    kind = "course_cancelled"
    must_reach = True

    def __init__(
        self, *, course: Course, people: Sequence[Recipient], next_starts_at: datetime.datetime
    ) -> None:
        super().__init__(course=course, people=people)
        self.next_starts_at = next_starts_at

    def dedupe_key(self, recipient: Recipient) -> str:
        return f"course_cancelled:{self.course.pk}:{recipient.key}"

    def context(self) -> dict[str, Any]:
        return {
            **super().context(),
            "next_starts_at": self.next_starts_at,
            "courses_url": f"{settings.SITE_URL}{reverse('home')}",
        }
