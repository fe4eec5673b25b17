"""Who hears about a session, and when: reminders before it, notices when it changes.

The people come from higher layers (participants, peers), which answer the hook
`peerprogram.hooks.session_recipients`; this module only knows sessions. What they are told is
in groups.message_kinds.
"""

import datetime
import hashlib
from collections.abc import Mapping, Sequence

from django.db.models import Max
from django.utils import timezone

from groups.message_kinds import (
    CourseCancelled,
    CourseRescheduled,
    SessionCancelled,
    SessionMoved,
    SessionReminder,
)
from groups.models import Course, Program, Session
from peerprogram import hooks
from peerprogram.outbox.kinds import send_all
from peerprogram.outbox.services import Recipient, recipient_channels


def session_recipients(sessions: Sequence[Session]) -> dict[int, list[Recipient]]:
    """Everyone to tell about each session, as the receivers of the hook
    `session_recipients` name them (participants, facilitators), each person once."""
    found: dict[int, dict[str, Recipient]] = {session.pk: {} for session in sessions}
    for answer in hooks.answers(hooks.session_recipients, sessions=sessions):
        for session_id, recipients in answer.items():
            for recipient in recipients:
                found[session_id].setdefault(recipient.key, recipient)
    return {session_id: list(by_key.values()) for session_id, by_key in found.items()}


def session_reminders_create(*, now: datetime.datetime | None = None) -> int:
    """Create the reminders due now; running it twice (or twice at once) creates each once.

    One reminder per (session, session version, recipient, channel): a session moved after
    its reminder went out gets a new one for its new time. The queries do not grow with the
    number of sessions: one for the sessions (with course, programme, organisation and theme),
    the hook's, and the batched inserts.
    """
    now = now or timezone.now()
    widest = Program.objects.aggregate(hours=Max("reminder_hours"))["hours"]
    if not widest:
        return 0
    sessions = [
        session
        for session in Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=widest),
            course__status__in=Course.ACTIVE,
        ).select_related("course__program__organisation", "theme")
        if session.starts_at
        <= now + datetime.timedelta(hours=session.course.program.reminder_hours)
    ]
    recipients = session_recipients(sessions)
    return send_all(
        SessionReminder(session=session, people=recipients[session.pk]) for session in sessions
    )


def session_change_recipients(*, session: Session) -> list[Recipient]:
    """Who is told when `session` moves, is cancelled or restored: nobody for a course that is
    not open or running, or for a session already held; the workspace previews this list."""
    if not session.course.is_active or session.starts_at <= timezone.now():
        return []
    return session_recipients([session])[session.pk]


def session_change_audience(*, session: Session) -> list[tuple[Recipient, list[str]]]:
    """Who a notice about a change of `session` reaches, each with its channels by name
    (e.g. ["E-mail", "SMS"]; none when no channel reaches them), for a preview."""
    return [
        (
            recipient,
            [
                str(channel.label)
                # A change of time or place must reach everyone (SessionMoved.must_reach).
                for channel, _address in recipient_channels(
                    recipient=recipient, must_reach=SessionMoved.must_reach
                )
            ],
        )
        for recipient in session_change_recipients(session=session)
    ]


def session_moved_notify(
    *,
    session: Session,
    previous_starts_at: datetime.datetime | None = None,
    previous_place: str = "",
    restored: bool = False,
) -> int:
    """Tell everyone affected that a session has a new time or place (the old ones when
    known), or that a cancelled session is held after all (`restored`)."""
    return SessionMoved(
        session=session,
        people=session_change_recipients(session=session),
        previous_starts_at=previous_starts_at,
        previous_place=previous_place,
        restored=restored,
    ).send()


def session_cancelled_notify(*, session: Session, reason: str = "") -> int:
    """Tell everyone affected that a session is cancelled, with the coordinator's reason."""
    return SessionCancelled(
        session=session, people=session_change_recipients(session=session), reason=reason
    ).send()


def course_rescheduled_notify(
    *,
    course: Course,
    sessions: Sequence[Session],
    previous_starts_at: Mapping[int, datetime.datetime] | None = None,
) -> int:
    """One message per person listing every session of the course that got a new time, with
    its old time where `previous_starts_at` (session id → start) has it."""
    previous = previous_starts_at or {}
    upcoming = [s for s in sessions if s.starts_at > timezone.now() and not s.is_cancelled]
    if not course.is_active or not upcoming:
        return 0
    if len(upcoming) == 1:
        session = upcoming[0]
        return session_moved_notify(session=session, previous_starts_at=previous.get(session.pk))
    # The new times identify this change: telling the same change twice sends once.
    versions = "|".join(f"{s.pk}.{s.version}" for s in upcoming)
    change = hashlib.sha256(versions.encode()).hexdigest()[:16]
    return CourseRescheduled(
        course=course,
        sessions=upcoming,
        people=_people(upcoming),
        previous_starts_at=previous,
        change=change,
    ).send()


def course_cancelled_notify(*, course: Course, sessions: Sequence[Session]) -> int:
    """Tell everyone on the sessions still to come, once each, that the course is cancelled."""
    if not sessions:
        return 0
    return CourseCancelled(
        course=course,
        people=_people(sessions),
        next_starts_at=min(session.starts_at for session in sessions),
    ).send()


def _people(sessions: Sequence[Session]) -> list[Recipient]:
    people: dict[str, Recipient] = {}
    for recipients in session_recipients(sessions).values():
        for recipient in recipients:
            people.setdefault(recipient.key, recipient)
    return list(people.values())
