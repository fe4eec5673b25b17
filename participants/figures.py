"""Programme figures: registrations, seats, waitlist, attendance, completion and dropout.

Plain reads. Figures for any number of courses come from the same few queries (sessions,
registrations, attendance rows), and the counting happens here in Python.

Words used below:
- a *held* session is one that is not cancelled and has started by `now`;
- a registration was *given a seat* as `Registration.seat_given` defines it: `accepted_at` is
  set or its status is accepted, completed or dropped out;
- a course has *started* when its first session that is not cancelled has started;
- a course is *finished* when its status says so or its last session that is not cancelled
  has ended.

Dropout (frafald): an accepted participant who withdrew after the course started or attended
none of its last three sessions, unless a coordinator marked otherwise. Precisely, the first
that applies:
1. the coordinator's `dropout_override` "dropout" → dropout; "not_dropout" → not;
2. never given a seat → not;
3. status dropped out → dropout;
4. gave the seat up (withdrawn, or declined or waitlisted after having a seat) → dropout when
   the status changed at or after the start of the first session, else not;
5. at least three sessions held and present at none of the last three → dropout;
6. else not.

A participant *started* when they are a dropout, or were given a seat, the course has started,
and they did not give the seat up before the first session. For a finished course,
completed = started − dropouts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from groups.models import Course, Program, Session
from participants.models import Attendance, Registration


@dataclass(frozen=True)
class SessionFigures:
    session_id: int
    number: int
    starts_at: datetime
    present: int
    absent: int  # absent + notified absence
    recorded: int  # present + absent (rows recorded)
    rate: float | None  # present / recorded, None when nothing recorded


@dataclass(frozen=True)
class CourseFigures:
    course_id: int
    title: str
    registrations: int
    accepted: int
    waitlisted: int
    started: int
    sessions: list[SessionFigures]
    attendance_rate: float | None
    dropouts: int
    completed: int
    completion_rate: float | None
    dropout_rate: float | None
    finished: bool = False


@dataclass(frozen=True)
class ProgramFigures:
    program_id: int
    courses: list[CourseFigures]
    registrations: int
    accepted: int
    waitlisted: int
    started: int
    dropouts: int
    completed: int
    attendance_rate: float | None
    completion_rate: float | None
    dropout_rate: float | None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _gave_seat_up_after_start(registration, course_started_at, now) -> bool:
    changed = registration.status_changed_at
    return (
        course_started_at is not None
        and course_started_at <= now
        and changed is not None
        and changed >= course_started_at
    )


def is_dropout(
    registration, *, course_started_at, last_three_held_session_ids, present_session_ids, now
) -> bool:
    """The dropout rule in the module docstring, for one registration of a course."""
    override = registration.dropout_override
    if override == Registration.DropoutOverride.DROPOUT:
        return True
    if override == Registration.DropoutOverride.NOT_DROPOUT:
        return False
    if not registration.was_given_a_seat:
        return False
    if registration.status == Registration.Status.DROPPED_OUT:
        return True
    if registration.status not in Registration.SEATED:
        return _gave_seat_up_after_start(registration, course_started_at, now)
    last_three = set(last_three_held_session_ids)
    if len(last_three) < 3:
        return False
    return not last_three & set(present_session_ids)


def _has_started(registration, *, dropout, course_started_at, now) -> bool:
    if dropout:
        return True
    if not registration.was_given_a_seat:
        return False
    if course_started_at is None or course_started_at > now:
        return False
    if registration.status in Registration.SEATED:
        return True
    return _gave_seat_up_after_start(registration, course_started_at, now)


def _course_figures(course, *, sessions, registrations, attendance, now) -> CourseFigures:
    """Figures for one course from its planned sessions (in number order), its registrations
    and the attendance rows of its held sessions as (session id, registration id, status)."""
    held = [s for s in sessions if s["starts_at"] <= now]
    course_started_at = min((s["starts_at"] for s in sessions), default=None)
    last_ends_at = max((s["ends_at"] for s in sessions), default=None)
    finished = course.status == Course.Status.FINISHED or (
        last_ends_at is not None and last_ends_at <= now
    )

    counts = defaultdict(lambda: {"present": 0, "absent": 0})
    present_at = defaultdict(set)
    for session_id, registration_id, status in attendance:
        if status == Attendance.Status.PRESENT:
            counts[session_id]["present"] += 1
            present_at[registration_id].add(session_id)
        else:
            counts[session_id]["absent"] += 1

    session_figures = []
    for session in held:
        present = counts[session["id"]]["present"]
        absent = counts[session["id"]]["absent"]
        session_figures.append(
            SessionFigures(
                session_id=session["id"],
                number=session["number"],
                starts_at=session["starts_at"],
                present=present,
                absent=absent,
                recorded=present + absent,
                rate=_rate(present, present + absent),
            )
        )

    last_three = [s["id"] for s in held[-3:]]
    accepted = waitlisted = started = dropouts = 0
    for registration in registrations:
        accepted += registration.was_given_a_seat
        waitlisted += registration.status == Registration.Status.WAITLISTED
        dropout = is_dropout(
            registration,
            course_started_at=course_started_at,
            last_three_held_session_ids=last_three,
            present_session_ids=present_at[registration.pk],
            now=now,
        )
        dropouts += dropout
        started += _has_started(
            registration, dropout=dropout, course_started_at=course_started_at, now=now
        )

    completed = started - dropouts if finished else 0
    return CourseFigures(
        course_id=course.pk,
        title=str(course),
        registrations=len(registrations),
        accepted=accepted,
        waitlisted=waitlisted,
        started=started,
        sessions=session_figures,
        attendance_rate=_rate(
            sum(s.present for s in session_figures), sum(s.recorded for s in session_figures)
        ),
        dropouts=dropouts,
        completed=completed,
        completion_rate=_rate(completed, started) if finished else None,
        dropout_rate=_rate(dropouts, started),
        finished=finished,
    )


def _figures_for_courses(courses: list, *, now) -> list[CourseFigures]:
    """Three queries whatever the number of courses: sessions, registrations, attendance."""
    course_ids = [course.pk for course in courses]
    sessions = defaultdict(list)
    for session in (
        Session.objects.filter(course_id__in=course_ids)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("course_id", "number")
        .values("id", "course_id", "number", "starts_at", "ends_at")
    ):
        sessions[session["course_id"]].append(session)

    registrations = defaultdict(list)
    for registration in Registration.objects.filter(course_id__in=course_ids).only(
        "id", "course_id", "status", "accepted_at", "status_changed_at", "dropout_override"
    ):
        registrations[registration.course_id].append(registration)

    attendance = defaultdict(list)
    for course_id, *row in (
        Attendance.objects.filter(session__course_id__in=course_ids, session__starts_at__lte=now)
        .exclude(session__status=Session.Status.CANCELLED)
        .values_list("session__course_id", "session_id", "registration_id", "status")
    ):
        attendance[course_id].append(row)

    return [
        _course_figures(
            course,
            sessions=sessions[course.pk],
            registrations=registrations[course.pk],
            attendance=attendance[course.pk],
            now=now,
        )
        for course in courses
    ]


def course_figures(course: Course, *, now: datetime | None = None) -> CourseFigures:
    now = now or timezone.now()
    return _figures_for_courses([course], now=now)[0]


def program_figures(
    program: Program, *, course_filter: Q | None = None, now: datetime | None = None
) -> ProgramFigures:
    """Figures for each of the programme's courses that is not cancelled, and their totals.

    With `course_filter` (peerprogram.permissions.report_course_filter), only the courses it
    lets through, and the totals from them alone. The completion rate counts finished courses
    only; a course still running has no completions yet.
    """
    now = now or timezone.now()
    held = Course.objects.filter(program=program).exclude(status=Course.Status.CANCELLED)
    if course_filter is not None:
        held = held.filter(course_filter)
    courses = list(held.order_by("first_date", "pk"))
    for course in courses:
        course.program = program  # str(course) names the programme
    figures = _figures_for_courses(courses, now=now)

    def total(name):
        return sum(getattr(f, name) for f in figures)

    finished = [f for f in figures if f.finished]
    started = total("started")
    dropouts = total("dropouts")
    return ProgramFigures(
        program_id=program.pk,
        courses=figures,
        registrations=total("registrations"),
        accepted=total("accepted"),
        waitlisted=total("waitlisted"),
        started=started,
        dropouts=dropouts,
        completed=total("completed"),
        attendance_rate=_rate(
            sum(s.present for f in figures for s in f.sessions),
            sum(s.recorded for f in figures for s in f.sessions),
        ),
        completion_rate=_rate(sum(f.completed for f in finished), sum(f.started for f in finished)),
        dropout_rate=_rate(dropouts, started),
    )
