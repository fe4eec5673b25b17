"""Assigned facilitators hear about their sessions and are named in the course manual."""

import datetime

import pytest

from groups import manuals, reminders, services
from groups.models import Course, Session
from peerprogram.models import OutboxMessage
from tests.factories import CourseFactory, ProgramFactory, SessionFactory
from tests.volunteers.factories import (
    CourseFacilitatorFactory,
    ProfessionalFactory,
    SignedPeerFactory,
)
from volunteers.receivers import session_facilitators

pytestmark = pytest.mark.django_db


def planned_course(program, title, first_date):
    course = CourseFactory(
        program=program, title=title, first_date=first_date, status=Course.Status.OPEN
    )
    services.course_plan_sessions(course=course)
    return course


def tomorrow():
    return datetime.date.today() + datetime.timedelta(days=1)


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet")


@pytest.fixture
def course(program):
    return planned_course(program, "Forår", tomorrow())


def first_session(course):
    return course.sessions.get(number=1)


def sweep_before(session, hours=2):
    return reminders.session_reminders_create(
        now=session.starts_at - datetime.timedelta(hours=hours)
    )


def test_an_assigned_peer_is_reminded_of_the_next_session(course):
    peer = SignedPeerFactory(organisation=course.program.organisation, email="mette@eksempel.dk")
    CourseFacilitatorFactory(course=course, peer=peer)
    session = first_session(course)

    assert sweep_before(session) == 1

    message = OutboxMessage.objects.get()
    assert (message.kind, message.channel, message.recipient_address) == (
        "session_reminder",
        OutboxMessage.Channel.EMAIL,
        "mette@eksempel.dk",
    )
    assert message.recipient_name == peer.name
    assert message.related_object == session
    assert message.context["course"] == "Forår"


def test_a_peer_on_another_course_is_not_reminded(program, course):
    peer = CourseFacilitatorFactory(course=course).peer
    later = planned_course(program, "Efterår", tomorrow() + datetime.timedelta(days=21))
    elsewhere = CourseFacilitatorFactory(course=later).peer

    sweep_before(first_session(course))

    assert list(OutboxMessage.objects.values_list("recipient_address", flat=True)) == [peer.email]
    assert not OutboxMessage.objects.filter(recipient_address=elsewhere.email).exists()


def test_facilitators_of_two_courses_at_the_same_time_each_hear_only_of_their_own(program, course):
    ours = CourseFacilitatorFactory(course=course).peer
    parallel = planned_course(program, "Parallelhold", course.first_date)
    theirs = CourseFacilitatorFactory(course=parallel).peer

    assert sweep_before(first_session(course)) == 2

    assert set(OutboxMessage.objects.values_list("recipient_address", "context__course")) == {
        (ours.email, "Forår"),
        (theirs.email, "Parallelhold"),
    }


def test_the_course_manual_names_the_assigned_facilitators(program, course):
    CourseFacilitatorFactory(course=course, peer__name="Mette")
    CourseFacilitatorFactory(
        course=course,
        peer=ProfessionalFactory(organisation=program.organisation, name="Lars"),
    )
    CourseFacilitatorFactory(course=CourseFactory(program=program), peer__name="Ida")

    assert manuals.course_facilitators(course) == [
        {"name": "Lars", "role": "Fagprofessionel"},
        {"name": "Mette", "role": "Frivillig peer"},
    ]


def test_a_course_without_facilitators_names_none_in_its_manual(course):
    assert manuals.course_facilitators(course) == []


@pytest.mark.parametrize("count", [3, 30])
def test_session_facilitators_takes_four_queries_however_many_sessions(
    program, django_assert_num_queries, count
):
    courses = [CourseFactory(program=program) for _ in range(3)]
    peers = {course.pk: CourseFacilitatorFactory(course=course).peer for course in courses}
    sessions = [
        SessionFactory(course=courses[index % len(courses)], number=index + 1)
        for index in range(count)
    ]
    sessions = list(Session.objects.filter(pk__in=[s.pk for s in sessions]))

    # The assignments, the peers' signatures and certificates, and the declarations in force
    # (volunteers.qualification.qualified_assignments).
    with django_assert_num_queries(4):
        found = session_facilitators(sender=None, sessions=sessions)

    assert {
        session_id: [recipient.key for recipient in recipients]
        for session_id, recipients in found.items()
    } == {session.pk: [f"peer:{peers[session.course_id].pk}"] for session in sessions}
