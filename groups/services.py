"""Writes and rules for programmes, courses and sessions."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import reminders
from groups.models import Course, Session
from groups.scheduling import CannotPlanSessions, closed_day_rule, weekly_dates


@dataclass(frozen=True)
class SessionPlanResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0


def _planned_times(course: Course) -> list[tuple[datetime.datetime, datetime.datetime]]:
    program = course.program
    is_closed = closed_day_rule(
        skip_public_holidays=program.skip_public_holidays,
        blackout_periods=program.organisation.blackout_periods.all(),
        first_year=course.first_date.year,
    )
    try:
        dates = weekly_dates(course.first_date, program.weeks, is_closed)
    except CannotPlanSessions as error:
        raise ValidationError(
            _("Der er lukket i mere end et år frem; tjek organisationens lukkeperioder.")
        ) from error
    tz = timezone.get_default_timezone()
    length = program.session_length
    times = []
    for day in dates:
        starts_at = datetime.datetime.combine(day, course.start_time, tzinfo=tz)
        times.append((starts_at, starts_at + length))
    return times


@transaction.atomic
def course_plan_sessions(*, course: Course) -> SessionPlanResult:
    """Create or update the course's sessions from its programme, in place.

    Safe to run again: session N stays the same row (its id and everything attached to it),
    sessions a coordinator moved or cancelled keep their time and status, and sessions beyond
    the programme's length are cancelled rather than deleted.
    """
    course = (
        Course.objects.select_for_update().select_related("program__organisation").get(pk=course.pk)
    )
    themes = {theme.number: theme for theme in course.program.themes.all()}
    existing = {session.number: session for session in course.sessions.all()}
    created = updated = cancelled = 0
    rescheduled = []

    planned = _planned_times(course)
    for number, (starts_at, ends_at) in enumerate(planned, start=1):
        theme = themes.get(number)
        session = existing.get(number)
        if session is None:
            Session.objects.create(
                course=course,
                number=number,
                theme=theme,
                starts_at=starts_at,
                ends_at=ends_at,
                place=course.place,
            )
            created += 1
            continue
        changed = session.theme_id != (theme.pk if theme else None)
        session.theme = theme
        follows_plan = not session.moved and not session.is_cancelled
        if follows_plan and (session.starts_at, session.ends_at, session.place) != (
            starts_at,
            ends_at,
            course.place,
        ):
            session.starts_at, session.ends_at, session.place = starts_at, ends_at, course.place
            session.version += 1
            changed = True
            rescheduled.append(session)
        if changed:
            session.save()
            updated += 1

    for number, session in existing.items():
        if number > len(planned) and not session.is_cancelled:
            session_cancel(session=session)
            cancelled += 1
    reminders.course_rescheduled_notify(course=course, sessions=rescheduled)
    return SessionPlanResult(created=created, updated=updated, cancelled=cancelled)


@transaction.atomic
def session_move(
    *, session: Session, starts_at: datetime.datetime, place: str | None = None
) -> Session:
    """Move one session; the others keep their dates and ids."""
    if session.is_cancelled:
        raise ValidationError(_("En aflyst gang kan ikke flyttes. Genoptag den først."))
    duration = session.ends_at - session.starts_at
    session.starts_at = starts_at
    session.ends_at = starts_at + duration
    if place:
        session.place = place
    session.full_clean()
    return session_save_changed_by_hand(session=session)


@transaction.atomic
def session_save_changed_by_hand(*, session: Session) -> Session:
    """Save a session whose time or place a coordinator changed, and tell those affected."""
    session.moved = True
    session.version += 1
    session.save()
    reminders.session_changed_notify(session=session, kind="session_moved")
    return session


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    if not session.is_cancelled:
        session.status = Session.Status.CANCELLED
        session.version += 1
        session.save(update_fields=["status", "version"])
        reminders.session_changed_notify(session=session, kind="session_cancelled")
    return session


@transaction.atomic
def session_restore(*, session: Session) -> Session:
    """Undo a cancellation: the session is held after all, and people are told its time."""
    if session.is_cancelled:
        session.status = Session.Status.PLANNED
        session.version += 1
        session.save(update_fields=["status", "version"])
        reminders.session_changed_notify(session=session, kind="session_moved")
    return session


@transaction.atomic
def course_cancel(*, course: Course) -> int:
    """Cancel a course and its sessions still to come; returns how many sessions were cancelled.

    Everyone signed up hears once about the whole course, not once per session.
    """
    upcoming = list(
        course.sessions.filter(
            status=Session.Status.PLANNED, starts_at__gte=timezone.now()
        ).select_related("course__program__organisation", "theme")
    )
    if course.is_active:
        reminders.course_cancelled_notify(course=course, sessions=upcoming)
    course.cancel()
    return Session.objects.filter(pk__in=[s.pk for s in upcoming]).update(
        status=Session.Status.CANCELLED, version=F("version") + 1
    )
