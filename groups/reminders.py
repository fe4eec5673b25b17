"""Who hears about a session, and what: reminders before it, notices when it changes.

The people come from higher layers (participants, peers), which answer the hook
`peerprogram.hooks.session_recipients`; this module only knows sessions.
"""

import datetime
import hashlib
from collections.abc import Sequence

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from groups.models import Course, Program, Session
from peerprogram import hooks
from peerprogram.outbox.services import (
    MessageDraft,
    Recipient,
    messages_create,
    recipient_channels,
)


def session_recipients(sessions: Sequence[Session]) -> dict[int, list[Recipient]]:
    """Everyone to tell about each session, as the receivers of the hook
    `session_recipients` name them (participants, facilitators), each person once."""
    found: dict[int, dict[str, Recipient]] = {session.pk: {} for session in sessions}
    for answer in hooks.answers(hooks.session_recipients, sessions=sessions):
        for session_id, recipients in answer.items():
            for recipient in recipients:
                found[session_id].setdefault(recipient.key, recipient)
    return {session_id: list(by_key.values()) for session_id, by_key in found.items()}


def when_in_danish(moment: datetime.datetime, *, year: bool = False) -> str:
    """E.g. "tirsdag den 24. november kl. 17.00" (with the year on request), Copenhagen time."""
    day_format = r"l \d\e\n j. F Y \k\l. H.i" if year else r"l \d\e\n j. F \k\l. H.i"
    return date_format(timezone.localtime(moment), day_format)


def _session_context(session: Session) -> dict:
    course = session.course
    return {
        "program": course.program.name,
        "course": course.title,
        "organisation": course.program.organisation.name,
        "number": session.number,
        "theme": session.theme.title if session.theme else "",
        "when": when_in_danish(session.starts_at),
        "when_short": date_format(timezone.localtime(session.starts_at), "d.m. \\k\\l. H.i"),
        "place": session.place,
    }


def _drafts(kind: str, session: Session, recipients, key: str, context=None):
    context = context or _session_context(session)
    # A change of time or place must reach everyone; a reminder goes by SMS only on request.
    organisation = session.course.program.organisation
    return [
        MessageDraft(
            kind=kind,
            recipient=recipient,
            template=f"notifications/{kind}",
            context=context,
            organisation=organisation,
            related=session,
            dedupe_key=f"{key}:{recipient.key}",
            must_reach=kind != "session_reminder",
        )
        for recipient in recipients
    ]


def session_reminders_create(*, now: datetime.datetime | None = None) -> int:
    """Create the reminders due now; running it twice (or twice at once) creates each once.

    One reminder per (session, session version, recipient, channel): a session moved after
    its reminder went out gets a new one for its new time.
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
    drafts = [
        draft
        for session in sessions
        for draft in _drafts(
            "session_reminder",
            session,
            recipients[session.pk],
            key=f"session_reminder:{session.pk}:v{session.version}",
        )
    ]
    return len(messages_create(drafts=drafts))


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
                # A change of time or place must reach everyone (see _drafts).
                for channel, _address in recipient_channels(recipient=recipient, must_reach=True)
            ],
        )
        for recipient in session_change_recipients(session=session)
    ]


def session_changed_notify(*, session: Session, kind: str, reason: str = "") -> int:
    """Tell everyone affected that a session moved ("session_moved") or was cancelled, with
    the coordinator's reason when they gave one."""
    recipients = session_change_recipients(session=session)
    if not recipients:
        return 0
    context = {**_session_context(session), "reason": reason} if reason else None
    drafts = _drafts(
        kind, session, recipients, key=f"{kind}:{session.pk}:v{session.version}", context=context
    )
    return len(messages_create(drafts=drafts))


def course_rescheduled_notify(*, course: Course, sessions: Sequence[Session]) -> int:
    """One message per person listing every session of the course that got a new time."""
    upcoming = [s for s in sessions if s.starts_at > timezone.now() and not s.is_cancelled]
    if not course.is_active or not upcoming:
        return 0
    if len(upcoming) == 1:
        return session_changed_notify(session=upcoming[0], kind="session_moved")
    context = {
        **_session_context(upcoming[0]),
        "sessions": [
            {"number": s.number, "when": when_in_danish(s.starts_at), "place": s.place}
            for s in upcoming
        ],
    }
    # The new times identify this change: telling the same change twice sends once.
    versions = "|".join(f"{s.pk}.{s.version}" for s in upcoming)
    change = hashlib.sha256(versions.encode()).hexdigest()[:16]
    key = f"course_rescheduled:{course.pk}:{change}"
    drafts = _drafts("course_rescheduled", upcoming[0], _people(upcoming), key, context)
    return len(messages_create(drafts=drafts))


def course_cancelled_notify(*, course: Course, sessions: Sequence[Session]) -> int:
    if not sessions:
        return 0
    key = f"course_cancelled:{course.pk}"
    drafts = _drafts("course_cancelled", sessions[0], _people(sessions), key)
    return len(messages_create(drafts=drafts))


def _people(sessions: Sequence[Session]) -> list[Recipient]:
    people: dict[str, Recipient] = {}
    for recipients in session_recipients(sessions).values():
        for recipient in recipients:
            people.setdefault(recipient.key, recipient)
    return list(people.values())
