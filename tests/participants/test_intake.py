"""Intake: a course takes registrations, and promotes from its waitlist, only until its Nth
session that is not cancelled has started; then the waitlist is told once, and the course page
says so, points to the next course and marks the sessions already held. Course age ranges are
enforced and every rule is stated on the course page before the form."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Session
from groups.services import course_plan_sessions
from participants import services
from participants.models import Participant, Registration
from participants.tasks import notify_intake_closed
from peerprogram.models import OutboxMessage
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import CourseFactory, ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
WEEK = datetime.timedelta(days=7)
# Session n of the table's course starts at T0 + (n - 1) weeks.
T0 = datetime.datetime(2027, 1, 12, 9, tzinfo=datetime.UTC)


def session_start(number):
    return T0 + (number - 1) * WEEK


def course_with_sessions(org, *, intake_until, sessions=5, cancelled=()):
    program = ProgramFactory(organisation=org, intake_open_until_session=intake_until)
    course = CourseFactory(program=program, status=Course.Status.RUNNING)
    for number in range(1, sessions + 1):
        SessionFactory(
            course=course,
            number=number,
            starts_at=session_start(number),
            status=Session.Status.CANCELLED if number in cancelled else Session.Status.PLANNED,
        )
    return course


@pytest.mark.parametrize(
    ("intake_until", "cancelled", "sessions", "now", "takes_registrations"),
    [
        # "Open for the first three sessions": join at session 1, 2 or 3, not later.
        pytest.param(3, (), 5, session_start(3) - MINUTE, True, id="minute-before-session-3"),
        pytest.param(3, (), 5, session_start(3), False, id="session-3-starts"),
        pytest.param(3, (), 5, session_start(2), True, id="session-2-starts"),
        # A cancelled session does not count: session 4 is the third that takes place.
        pytest.param(3, (2,), 5, session_start(3), True, id="cancelled-2-session-3-starts"),
        pytest.param(3, (2,), 5, session_start(4) - MINUTE, True, id="cancelled-2-before-4"),
        pytest.param(3, (2,), 5, session_start(4), False, id="cancelled-2-session-4-starts"),
        pytest.param(3, (1, 2), 5, session_start(4), True, id="cancelled-1-2-session-4-starts"),
        pytest.param(3, (1, 2), 5, session_start(5), False, id="cancelled-1-2-session-5-starts"),
        # Without late intake: only before the first session that takes place.
        pytest.param(None, (), 5, session_start(1) - MINUTE, True, id="no-late-intake-before"),
        pytest.param(None, (), 5, session_start(1), False, id="no-late-intake-at-start"),
        pytest.param(None, (1,), 5, session_start(1), True, id="first-cancelled-still-open"),
        pytest.param(None, (1,), 5, session_start(2), False, id="first-cancelled-closes-at-2"),
        # Fewer sessions than the intake number: closes when the last one starts.
        pytest.param(3, (), 2, session_start(2) - MINUTE, True, id="short-course-before-last"),
        pytest.param(3, (), 2, session_start(2), False, id="short-course-last-starts"),
    ],
)
def test_intake_closes_when_the_nth_session_not_cancelled_starts(
    org_a, intake_until, cancelled, sessions, now, takes_registrations
):
    course = course_with_sessions(
        org_a, intake_until=intake_until, sessions=sessions, cancelled=cancelled
    )
    assert course.takes_registrations(now=now) is takes_registrations
    listed = Course.objects.taking_registrations(now=now).filter(pk=course.pk).exists()
    assert listed is takes_registrations


def test_a_course_without_sessions_takes_no_registrations(org_a):
    course = course_with_sessions(org_a, intake_until=3, sessions=0)
    assert not course.takes_registrations(now=T0 - WEEK)


# Courses relative to the real clock, for the services that ask it themselves.


@pytest.fixture
def haab(org_a):
    return ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        intake_open_until_session=3,
        eligibility_rules=[{"rule": "min_age", "value": 18}],
    )


def running_course(program, *, sessions_started, capacity=1, **extra):
    """A running course whose first `sessions_started` sessions have begun."""
    course = CourseFactory(program=program, capacity=capacity, **extra)
    course_plan_sessions(course=course)
    now = timezone.now()
    for session in course.sessions.order_by("number"):
        session.starts_at = now + WEEK * (session.number - sessions_started - 1) + 2 * MINUTE
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
        session.save()
    course.status = Course.Status.RUNNING
    course.save()
    return course


def start_session(course, number):
    session = course.sessions.get(number=number)
    session.starts_at = timezone.now() - MINUTE
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()


def submit(course, n, needs_review=False, **extra):
    fields = {
        "name": f"Person {n}",
        "email": f"person{n}@eksempel.dk",
        "birth_date": datetime.date(1990, 1, 1),
        "municipality": "217",
    }
    return services.registration_submit(
        course=course,
        request=services.RegistrationRequest(**{**fields, **extra}),
        needs_review=needs_review,
        eligibility={"outcome": "needs_conversation" if needs_review else "eligible"},
    )


def test_a_ved_ikke_registration_made_before_closing_can_be_accepted_after(haab, coordinator_a):
    course = running_course(haab, sessions_started=2, capacity=2)
    review = submit(course, 1, needs_review=True)
    start_session(course, 3)
    assert not course.takes_registrations()
    services.registration_decide(
        registration=review, status=Registration.Status.ACCEPTED, user=coordinator_a
    )
    review.refresh_from_db()
    assert review.status == Registration.Status.ACCEPTED


def test_waitlist_promotion_still_works_a_moment_before_intake_closes(haab):
    course = running_course(haab, sessions_started=2)
    seated = submit(course, 1)
    waiting = submit(course, 2)
    services.registration_withdraw(registration=seated)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.ACCEPTED


def test_promotion_stops_once_the_third_session_has_started(haab):
    course = running_course(haab, sessions_started=2)
    seated = submit(course, 1)
    waiting = submit(course, 2)
    start_session(course, 3)
    services.registration_withdraw(registration=seated)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (Registration.Status.WAITLISTED, 1)


# The message to the waitlist when intake closes.


@pytest.fixture
def closed_with_waitlist(haab):
    """A full course whose third session has started, with an e-mail-only and a phone-only
    person on its waitlist."""
    course = running_course(haab, sessions_started=2, title="Forår, Helsingør")
    submit(course, 1)
    by_mail = submit(course, 2)
    by_phone = submit(course, 3, email="", phone="20 30 40 50")
    start_session(course, 3)
    return course, by_mail, by_phone


def test_the_waitlist_is_told_once_by_e_mail_or_sms_even_when_the_task_runs_twice(
    closed_with_waitlist, haab, django_capture_on_commit_callbacks
):
    course, by_mail, by_phone = closed_with_waitlist
    following = CourseFactory(
        program=haab,
        title="Efterår, Helsingør",
        first_date=timezone.localdate() + datetime.timedelta(days=40),
    )
    course_plan_sessions(course=following)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_intake_closed.delay().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_intake_closed.delay().get() == 0

    told = OutboxMessage.objects.filter(kind="intake_closed")
    assert sorted(told.values_list("related_id", "channel")) == [
        (by_mail.pk, OutboxMessage.Channel.EMAIL),
        (by_phone.pk, OutboxMessage.Channel.SMS),
    ]
    next_url = reverse("participants:course", args=[following.pk])
    [letter] = [m for m in mail.outbox if "ventelisten" in m.subject]
    assert letter.to == ["person2@eksempel.dk"]
    assert "Efterår, Helsingør" in letter.body and next_url in letter.body
    assert "vi flytter dig ikke automatisk" in letter.body
    [sms] = [m for m in LocmemSmsBackend.outbox if "tager ikke flere nye med" in m["body"]]
    assert next_url in sms["body"]
    # Nobody is moved: both stay on this course's waitlist, no longer promoted.
    assert list(
        course.registrations.filter(status=Registration.Status.WAITLISTED).values_list(
            "pk", flat=True
        )
    ) == [by_mail.pk, by_phone.pk]
    assert not following.registrations.exists()


def test_without_a_next_course_the_message_says_how_to_reach_the_organisation(
    closed_with_waitlist, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.intake_closed_notify()
    [letter] = [m for m in mail.outbox if "ventelisten" in m.subject]
    organisation = closed_with_waitlist[0].program.organisation
    assert "Der er endnu ikke sat et nyt hold i gang" in letter.body
    assert organisation.get_absolute_url() in letter.body


def test_nobody_is_told_while_intake_is_still_open(haab):
    course = running_course(haab, sessions_started=2)
    submit(course, 1)
    submit(course, 2)
    assert services.intake_closed_notify() == 0
    assert not OutboxMessage.objects.filter(kind="intake_closed").exists()


# Course age ranges and the rules on the course page.


@pytest.fixture
def mod_og_mestring(org_a):
    return ProgramFactory(
        organisation=org_a,
        name="Mod og Mestring",
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
    )


def test_a_16_year_old_is_refused_by_an_8_to_12_course_with_a_danish_reason(
    mod_og_mestring, client
):
    first_date = timezone.localdate() + datetime.timedelta(days=14)
    course = CourseFactory(
        program=mod_og_mestring, min_age=8, max_age=12, first_date=first_date, title="Børn 8–12"
    )
    course_plan_sessions(course=course)
    sixteen = first_date.replace(year=first_date.year - 16) - datetime.timedelta(days=30)
    response = client.post(
        reverse("participants:register", args=[course.pk]),
        {
            "name": "Ung",
            "email": "ung@eksempel.dk",
            "birth_date": sixteen.isoformat(),
            "municipality": "350",
        },
    )
    reasons = response.context["not_eligible"].reasons
    start = first_date.strftime("%d.%m.%Y")
    assert reasons == (f"Forløbet er for personer mellem 8 og 12 år på startdagen {start}.",)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("min_age", "max_age", "valid"),
    [(8, 12, True), (13, 18, True), (None, 12, True), (6, 12, False), (12, 19, False)],
)
def test_a_course_age_range_must_lie_inside_the_programme_range(
    mod_og_mestring, min_age, max_age, valid
):
    course = CourseFactory.build(program=mod_og_mestring, min_age=min_age, max_age=max_age)
    if valid:
        course.full_clean()
    else:
        with pytest.raises(ValidationError, match="programmets 8–18 år"):
            course.full_clean()


def test_the_course_page_states_every_rule_and_marks_held_sessions(org_a, client):
    program = ProgramFactory(
        organisation=org_a,
        intake_open_until_session=3,
        min_age=18,
        eligibility_rules=[
            {"rule": "min_age", "value": 18},
            {"rule": "self_declared", "question": "reduced_mental_functioning"},
            {"rule": "max_months_psychiatric_services", "less_than": 24},
            {"rule": "municipality_in", "codes": ["607", "217", "101"]},
        ],
    )
    course = running_course(program, sessions_started=3)
    following = CourseFactory(program=program, title="Næste hold")
    course_plan_sessions(course=following)

    html = client.get(reverse("participants:course", args=[course.pk])).content.decode()
    start = course.first_date.strftime("%d.%m.%Y")
    for sentence in [
        f"Forløbet er for personer på mindst 18 år på startdagen {start}.",
        "Forløbet er for personer, der oplever nedsat psykisk funktionsevne eller psykisk "
        "sårbarhed.",
        "i mindre end 24 måneder",
        "Forløbet er for borgere, der bor i en af disse kommuner: Fredericia, Helsingør og "
        "København.",
    ]:
        assert sentence in html
    assert html.count(">afholdt</span>") == 3
    assert "der ikke kommer nye deltagere med" in html
    assert reverse("participants:course", args=[following.pk]) in html
    assert reverse("participants:register", args=[course.pk]) not in html


def test_the_course_page_states_the_course_age_range(mod_og_mestring, client):
    course = CourseFactory(program=mod_og_mestring, min_age=8, max_age=12)
    course_plan_sessions(course=course)
    html = client.get(reverse("participants:course", args=[course.pk])).content.decode()
    assert "Forløbet er for personer mellem 8 og 12 år på startdagen" in html
    assert "mellem 8 og 18 år" not in html
