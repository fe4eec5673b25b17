import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Session
from participants import services
from participants.figures import course_figures, is_dropout, program_figures
from participants.models import Attendance, Registration
from tests.factories import (
    CourseFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
    open_course,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2027, 2, 12, 12, tzinfo=UTC)
FIRST = datetime.datetime(2027, 1, 12, 10, tzinfo=UTC)
WEEK = datetime.timedelta(days=7)
BEFORE_START = FIRST - datetime.timedelta(days=3)
AFTER_START = FIRST + datetime.timedelta(days=10)

P = Attendance.Status.PRESENT
A = Attendance.Status.ABSENT
N = Attendance.Status.NOTIFIED


def add_sessions(course, count, *, first=FIRST, cancelled=()):
    """`count` weekly sessions numbered from 1; the numbers in `cancelled` are cancelled."""
    return [
        SessionFactory(
            course=course,
            number=number,
            starts_at=first + (number - 1) * WEEK,
            status=Session.Status.CANCELLED if number in cancelled else Session.Status.PLANNED,
        )
        for number in range(1, count + 1)
    ]


SEAT_GIVEN = datetime.datetime(2026, 11, 2, 9, tzinfo=UTC)


def seated(course, status=Registration.Status.ACCEPTED, changed_at=SEAT_GIVEN, **extra):
    """A registration given a seat before any course here starts."""
    return RegistrationFactory(
        course=course,
        status=status,
        accepted_at=SEAT_GIVEN,
        status_changed_at=changed_at,
        **extra,
    )


def record(session, registrations, marks):
    """One attendance row per registration; a mark of None records nothing."""
    for registration, mark in zip(registrations, marks, strict=True):
        if mark is not None:
            Attendance.objects.create(session=session, registration=registration, status=mark)


@pytest.fixture
def running(course_a):
    """Sessions 1–4 held, 5 cancelled (its rows must not count), 6 still to come; five
    seated participants with known attendance."""
    course_a.status = Course.Status.RUNNING
    course_a.save()
    sessions = add_sessions(course_a, 6, cancelled={5})
    people = [seated(course_a) for _ in range(5)]
    record(sessions[0], people, [P, P, P, P, P])
    record(sessions[1], people, [P, P, A, N, P])
    record(sessions[2], people, [P, A, A, N, None])
    record(sessions[3], people, [P, P, A, A, A])
    record(sessions[4], people, [P, P, P, P, P])
    return course_a, sessions, people


def test_attendance_rate_per_held_session_and_for_the_course(running):
    course, sessions, _people = running
    figures = course_figures(course, now=NOW)
    assert [(s.number, s.present, s.absent, s.recorded, s.rate) for s in figures.sessions] == [
        (1, 5, 0, 5, 1.0),
        (2, 3, 2, 5, 0.6),
        (3, 1, 3, 4, 0.25),
        (4, 2, 3, 5, 0.4),
    ]
    assert [s.session_id for s in figures.sessions] == [s.pk for s in sessions[:4]]
    assert figures.sessions[0].starts_at == FIRST
    assert figures.attendance_rate == pytest.approx(11 / 19)


def test_a_running_course_counts_dropouts_but_no_completions(running):
    figures = course_figures(running[0], now=NOW)
    # Participants 3 and 4 were present at none of sessions 2, 3 and 4 (5 is cancelled).
    assert (figures.registrations, figures.accepted, figures.waitlisted) == (5, 5, 0)
    assert (figures.started, figures.dropouts, figures.dropout_rate) == (5, 2, 0.4)
    assert (figures.finished, figures.completed, figures.completion_rate) == (False, 0, None)


def test_sessions_not_yet_started_are_not_held(running):
    course, _sessions, _people = running
    figures = course_figures(course, now=FIRST + WEEK + datetime.timedelta(hours=1))
    assert [s.number for s in figures.sessions] == [1, 2]
    assert figures.attendance_rate == 0.8
    # Fewer than three sessions held: nobody has dropped out for lack of attendance yet.
    assert figures.dropouts == 0


def test_before_the_first_session_nobody_has_started(running):
    figures = course_figures(running[0], now=FIRST - datetime.timedelta(minutes=1))
    assert (figures.sessions, figures.attendance_rate) == ([], None)
    assert (figures.accepted, figures.started, figures.dropout_rate) == (5, 0, None)


def unsaved(status=Registration.Status.ACCEPTED, **extra):
    fields = {"accepted_at": BEFORE_START, "status_changed_at": BEFORE_START} | extra
    return Registration(status=status, **fields)


LAST_THREE = [12, 13, 14]

# Name of the case: (registration, sessions present at among 11–14, dropout?)
DROPOUT_CASES = {
    "marked as dropout although present": (
        unsaved(dropout_override="dropout"),
        LAST_THREE,
        True,
    ),
    "marked as no dropout although dropped out": (
        unsaved("dropped_out", dropout_override="not_dropout"),
        [],
        False,
    ),
    "withdrew after the start": (unsaved("withdrawn", status_changed_at=AFTER_START), [], True),
    "withdrew as the first session started": (
        unsaved("withdrawn", status_changed_at=FIRST),
        [],
        True,
    ),
    "withdrew before the start": (unsaved("withdrawn", status_changed_at=BEFORE_START), [], False),
    "declined after having a seat, after the start": (
        unsaved("declined", status_changed_at=AFTER_START),
        [],
        True,
    ),
    "withdrew from the waitlist": (
        unsaved("withdrawn", accepted_at=None, status_changed_at=AFTER_START),
        [],
        False,
    ),
    "never given a seat": (unsaved("waitlisted", accepted_at=None), [], False),
    "status dropped out": (unsaved("dropped_out"), LAST_THREE, True),
    "present at none of the last three": (unsaved(), [11], True),
    "present at one of the last three": (unsaved(), [13], False),
    "seated before accepted_at was kept": (unsaved(accepted_at=None), [], True),
    "marked completed but absent from the last three": (unsaved("completed"), [], True),
}


@pytest.mark.parametrize(
    ("registration", "present", "expected"), DROPOUT_CASES.values(), ids=DROPOUT_CASES.keys()
)
def test_the_dropout_rule(registration, present, expected):
    dropout = is_dropout(
        registration,
        course_started_at=FIRST,
        last_three_held_session_ids=LAST_THREE,
        present_session_ids=present,
        now=NOW,
    )
    assert dropout is expected


def test_absence_counts_only_once_three_sessions_are_held():
    dropout = is_dropout(
        unsaved(),
        course_started_at=FIRST,
        last_three_held_session_ids=[11, 12],
        present_session_ids=[],
        now=NOW,
    )
    assert dropout is False


@pytest.fixture
def finished(program_a):
    """A finished course: three sessions held; four seated, one of them absent from all three,
    one who withdrew before the start, one who withdrew after it, one marked as no dropout
    although absent, and one on the waitlist."""
    start = FIRST - 4 * WEEK
    course = CourseFactory(
        program=program_a, status=Course.Status.FINISHED, title="Efterår", first_date=start.date()
    )
    sessions = add_sessions(course, 3, first=start)
    people = [seated(course) for _ in range(4)]
    record(sessions[0], people, [P, P, P, A])
    record(sessions[1], people, [P, N, P, A])
    record(sessions[2], people, [P, P, A, A])
    seated(course, dropout_override="not_dropout")
    seated(course, Registration.Status.WITHDRAWN, changed_at=start - datetime.timedelta(days=1))
    seated(course, Registration.Status.WITHDRAWN, changed_at=start + WEEK)
    RegistrationFactory(course=course, status="waitlisted", waitlist_position=1)
    return course


def test_a_finished_course_counts_completions(finished):
    figures = course_figures(finished, now=NOW)
    assert figures.finished
    assert (figures.registrations, figures.accepted, figures.waitlisted) == (8, 7, 1)
    # Started: four with attendance, the one marked otherwise, the one who withdrew late.
    # Dropouts: the one absent throughout and the one who withdrew late.
    assert (figures.started, figures.dropouts, figures.completed) == (6, 2, 4)
    assert figures.completion_rate == pytest.approx(4 / 6)
    assert figures.dropout_rate == pytest.approx(2 / 6)
    assert figures.attendance_rate == pytest.approx(7 / 12)


def test_a_course_is_finished_once_its_last_session_has_ended(finished):
    finished.status = Course.Status.RUNNING
    finished.save()
    assert course_figures(finished, now=NOW).completed == 4
    last = finished.sessions.get(number=3)
    assert not course_figures(finished, now=last.ends_at - datetime.timedelta(minutes=1)).finished


def test_programme_totals_over_its_courses(program_a, running, finished):
    CourseFactory(program=program_a, status=Course.Status.CANCELLED)
    RegistrationFactory(
        course=CourseFactory(program=ProgramFactory(organisation=program_a.organisation))
    )
    figures = program_figures(program_a, now=NOW)
    assert [c.course_id for c in figures.courses] == [finished.pk, running[0].pk]
    assert figures.courses[0].title == f"{program_a.name}: Efterår"
    assert (figures.registrations, figures.accepted, figures.waitlisted) == (13, 12, 1)
    assert (figures.started, figures.dropouts, figures.completed) == (11, 4, 4)
    assert figures.attendance_rate == pytest.approx((11 + 7) / (19 + 12))
    # Only the finished course has completions, and only it counts for the rate.
    assert figures.completion_rate == pytest.approx(4 / 6)
    assert figures.dropout_rate == pytest.approx(4 / 11)


def test_a_programme_without_courses_has_no_rates(program_a):
    figures = program_figures(program_a, now=NOW)
    assert (figures.courses, figures.registrations, figures.started) == ([], 0, 0)
    assert (figures.attendance_rate, figures.completion_rate, figures.dropout_rate) == (
        None,
        None,
        None,
    )


def programme_of(org, courses, participants):
    program = ProgramFactory(organisation=org)
    for index in range(courses):
        course = CourseFactory(
            program=program, status=Course.Status.RUNNING, first_date=FIRST.date() + index * WEEK
        )
        sessions = add_sessions(course, 4)
        people = [seated(course) for _ in range(participants)]
        for session in sessions:
            record(session, people, [P, A] * (participants // 2) + [N] * (participants % 2))
        RegistrationFactory(course=course, status="waitlisted", waitlist_position=1)
    return program


@pytest.mark.parametrize(("courses", "participants"), [(1, 3), (4, 10)])
def test_programme_figures_take_the_same_few_queries_at_any_size(
    org_a, courses, participants, django_assert_max_num_queries
):
    program = programme_of(org_a, courses, participants)
    with django_assert_max_num_queries(4):
        figures = program_figures(program, now=NOW)
    assert figures.accepted == courses * participants
    assert figures.waitlisted == courses


# The services keep the dates the figures rely on.


def submit(course, n, needs_review=False):
    return services.registration_submit(
        course=course,
        request=services.RegistrationRequest(
            name=f"Person {n}",
            email=f"person{n}@eksempel.dk",
            birth_date=datetime.date(1990, 1, 1),
            municipality="217",
        ),
        needs_review=needs_review,
        eligibility={"outcome": "eligible"},
    )


def test_a_seat_given_at_registration_is_dated(program_a):
    course = open_course(program_a, capacity=1)
    before = timezone.now()
    seat, waiting = submit(course, 1), submit(course, 2)
    assert before <= seat.accepted_at == seat.status_changed_at <= timezone.now()
    assert waiting.accepted_at is None
    assert waiting.status_changed_at is not None


def test_accepting_dates_the_seat_and_the_status_change(program_a, coordinator_a):
    review = submit(open_course(program_a, capacity=2), 1, needs_review=True)
    assert review.accepted_at is None
    before = timezone.now()
    services.registration_decide(registration=review, status="accepted", user=coordinator_a)
    review.refresh_from_db()
    assert before <= review.accepted_at == review.status_changed_at <= timezone.now()


def test_withdrawing_dates_the_change_and_keeps_when_the_seat_was_given(program_a):
    course = open_course(program_a, capacity=1)
    seat = submit(course, 1)
    waiting = submit(course, 2)
    accepted_at = seat.accepted_at
    before = timezone.now()
    services.registration_withdraw(registration=seat)
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == "withdrawn"
    assert seat.accepted_at == accepted_at
    assert before <= seat.status_changed_at <= timezone.now()
    # The freed seat went to the first on the waitlist, and that is dated too.
    assert waiting.status == "accepted"
    assert before <= waiting.accepted_at == waiting.status_changed_at <= timezone.now()


def test_deciding_the_same_status_again_keeps_the_dates(program_a, coordinator_a):
    seat = submit(open_course(program_a, capacity=1), 1)
    services.registration_decide(registration=seat, status="accepted", user=coordinator_a)
    changed_at = seat.status_changed_at
    seat.refresh_from_db()
    assert (seat.accepted_at, seat.status_changed_at) == (changed_at, changed_at)


def test_moving_dates_the_seat_on_the_new_course(program_a, coordinator_a):
    seat = submit(open_course(program_a, capacity=1), 1)
    other = open_course(program_a, capacity=1)
    submit(other, 2)
    first_seat_at = seat.accepted_at
    moved = services.registration_move(registration=seat, course=other, user=coordinator_a)
    assert (moved.status, moved.accepted_at) == ("waitlisted", None)
    assert moved.status_changed_at > first_seat_at
    third = open_course(program_a, capacity=1)
    moved = services.registration_move(registration=moved, course=third, user=coordinator_a)
    assert moved.status == "accepted"
    assert moved.accepted_at == moved.status_changed_at


# Coordinators set what the figures read in the admin.


def test_a_coordinator_marks_a_registration_as_no_dropout_in_the_admin(
    client_for, coordinator_a, course_a
):
    registration = RegistrationFactory(course=course_a)
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    client = client_for(coordinator_a)
    assert 'name="dropout_override"' in client.get(url).content.decode()
    response = client.post(url, {"dropout_override": "not_dropout", "status": "declined"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.dropout_override, registration.status) == ("not_dropout", "accepted")


def test_attendance_is_not_shared_with_partners_unless_a_coordinator_turns_it_on(
    client_for, coordinator_a, program_a
):
    assert program_a.share_attendance_with_partners is False
    url = reverse("admin:groups_program_change", args=[program_a.pk])
    html = client_for(coordinator_a).get(url).content.decode()
    assert 'name="share_attendance_with_partners"' in html
