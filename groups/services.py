"""Writes and rules for programmes, courses and sessions."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups import reminders
from groups.models import Course, Session
from groups.scheduling import (
    CannotPlanSessions,
    closed_day_rule,
    danish_public_holidays,
    weekly_dates,
)
from peerprogram import hooks
from peerprogram.dates import written


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
    previous_starts_at: dict[int, datetime.datetime] = {}

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
            previous_starts_at[session.pk] = session.starts_at
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
    reminders.course_rescheduled_notify(
        course=course, sessions=rescheduled, previous_starts_at=previous_starts_at
    )
    return SessionPlanResult(created=created, updated=updated, cancelled=cancelled)


class MoveProblems(NamedTuple):
    """What stands in the way of moving a session: `refusals` stop the move, whoever asks;
    `warnings` need the coordinator to move it anyway ("Flyt alligevel")."""

    refusals: list[str]
    warnings: list[str]


def _day_in_danish(day: datetime.date) -> str:
    return date_format(day, r"l \d\e\n j. F Y")


def session_move_refusals(*, session: Session, starts_at: datetime.datetime) -> list[str]:
    """Why `session` cannot move to `starts_at` (keeping its length), in Danish; empty when it
    can. A cancelled or held session stays where it is, a new time must lie ahead, and the
    higher layers answer the hook `session_move_refusals` (a facilitator booked elsewhere)."""
    refusals = []
    if session.is_cancelled:
        refusals.append(_("En aflyst gang kan ikke flyttes. Genoptag den først."))
    now = timezone.now()
    if session.starts_at <= now:
        refusals.append(_("Gangen er allerede holdt og kan ikke flyttes."))
    if starts_at <= now:
        refusals.append(_("Det nye tidspunkt er overstået. Vælg et tidspunkt, der ligger forude."))
    ends_at = starts_at + (session.ends_at - session.starts_at)
    for answer in hooks.answers(
        hooks.session_move_refusals, session=session, starts_at=starts_at, ends_at=ends_at
    ):
        refusals.extend(answer)
    return refusals


def session_move_warnings(*, session: Session, starts_at: datetime.datetime) -> list[str]:
    """What a coordinator should know before moving `session` to `starts_at`, in Danish:
    a public holiday, a closed period of the organisation, themes out of order (the session
    would come before an earlier-numbered one or after a later-numbered one) and another
    session of the course on the same day. Cancelled sessions do not count."""
    day = timezone.localtime(starts_at).date()
    warnings = []
    holiday = danish_public_holidays([day.year]).get(day)
    if holiday:
        warnings.append(
            _("%(day)s er en helligdag (%(name)s).") % {"day": _day_in_danish(day), "name": holiday}
        )
    for period in session.course.program.organisation.blackout_periods.all():
        # The same test that planning uses to skip closed days (scheduling.closed_day_rule).
        if period.covers(day):
            warnings.append(
                _("%(day)s ligger i organisationens lukkeperiode %(name)s.")
                % {"day": _day_in_danish(day), "name": period.name}
            )
    others = (
        session.course.sessions.exclude(pk=session.pk)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("starts_at", "number")
    )
    for other in others:
        when = written(other.starts_at, "when")
        names = {"number": session.number, "other": other.number, "when": when}
        if other.number < session.number and other.starts_at >= starts_at:
            warnings.append(
                _(
                    "Gang %(number)s kommer så før gang %(other)s (%(when)s): temaerne følger "
                    "ikke længere deres rækkefølge."
                )
                % names
            )
        elif other.number > session.number and other.starts_at <= starts_at:
            warnings.append(
                _(
                    "Gang %(number)s kommer så efter gang %(other)s (%(when)s): temaerne følger "
                    "ikke længere deres rækkefølge."
                )
                % names
            )
        if timezone.localtime(other.starts_at).date() == day:
            warnings.append(_("Forløbet har allerede gang %(other)s samme dag, %(when)s.") % names)
    return warnings


def session_move_problems(*, session: Session, starts_at: datetime.datetime) -> MoveProblems:
    """Everything checked before `session` moves to `starts_at`: refusals and warnings.

    Reads `session.course.program.organisation`; fetch the session with them."""
    return MoveProblems(
        refusals=session_move_refusals(session=session, starts_at=starts_at),
        warnings=session_move_warnings(session=session, starts_at=starts_at),
    )


@transaction.atomic
def session_move(
    *, session: Session, starts_at: datetime.datetime, place: str | None = None
) -> Session:
    """Move one session; the others keep their dates and ids.

    Refused (ValidationError) for the reasons of `session_move_refusals`; the warnings are
    the caller's to show (`session_move_problems`)."""
    refusals = session_move_refusals(session=session, starts_at=starts_at)
    if refusals:
        raise ValidationError(refusals)
    duration = session.ends_at - session.starts_at
    session.starts_at = starts_at
    session.ends_at = starts_at + duration
    if place:
        session.place = place
    session.full_clean()
    return session_save_changed_by_hand(session=session)


@transaction.atomic
def session_save_changed_by_hand(*, session: Session) -> Session:
    """Save a session whose time or place a coordinator changed, and tell those affected
    (with the time and place it had, as stored before this save)."""
    before = Session.objects.only("starts_at", "place").get(pk=session.pk)
    session.moved = True
    session.version += 1
    session.save()
    reminders.session_moved_notify(
        session=session,
        previous_starts_at=before.starts_at,
        previous_place=before.place,
    )
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str = "") -> Session:
    """Cancel one session and tell those affected, with the coordinator's `reason` if given."""
    if not session.is_cancelled:
        session.status = Session.Status.CANCELLED
        session.version += 1
        session.save(update_fields=["status", "version"])
        reminders.session_cancelled_notify(session=session, reason=reason)
    return session


@transaction.atomic
def session_restore(*, session: Session) -> Session:
    """Undo a cancellation: the session is held after all, and people are told its time."""
    if session.is_cancelled:
        session.status = Session.Status.PLANNED
        session.version += 1
        session.save(update_fields=["status", "version"])
        reminders.session_moved_notify(session=session, restored=True)
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
