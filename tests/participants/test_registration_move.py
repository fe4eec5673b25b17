"""Moving a registration to another course asks the one definition of "takes registrations
now" (CourseQuerySet.taking_registrations), in the service, not only in the admin's list of
courses: a course that does not take registrations is refused in Danish and nothing changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Course, Session
from groups.services import course_plan_sessions
from participants import services
from peerprogram.models import OutboxMessage
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def course_of(program, *, status=Course.Status.OPEN, first_date=None, capacity=5):
    course = CourseFactory(
        program=program,
        status=status,
        capacity=capacity,
        first_date=first_date or timezone.localdate() + datetime.timedelta(days=14),
    )
    course_plan_sessions(course=course)
    return course


def intake_closed(program):
    """Running, but its first (and only intake) session started an hour ago."""
    course = CourseFactory(program=program, status=Course.Status.RUNNING, capacity=5)
    SessionFactory(
        course=course,
        number=1,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        status=Session.Status.PLANNED,
    )
    return course


@pytest.mark.parametrize(
    "make_target",
    [
        pytest.param(lambda p: course_of(p, status=Course.Status.DRAFT), id="draft"),
        pytest.param(lambda p: course_of(p, status=Course.Status.FINISHED), id="finished"),
        pytest.param(lambda p: course_of(p, status=Course.Status.CANCELLED), id="cancelled"),
        pytest.param(intake_closed, id="intake-closed"),
    ],
)
def test_moving_to_a_course_that_takes_no_registrations_is_refused_and_changes_nothing(
    org_a, coordinator_a, make_target
):
    program = ProgramFactory(organisation=org_a, intake_open_until_session=None)
    source = course_of(program, capacity=1)
    seated = RegistrationFactory(course=source, accepted_at=timezone.now())
    waiting = RegistrationFactory(course=source, status="waitlisted", waitlist_position=1)
    target = make_target(program)

    with pytest.raises(ValidationError) as refused:
        services.registration_move(registration=seated, course=target, user=coordinator_a)

    assert refused.value.messages == [
        f"{target} tager ikke imod tilmeldinger nu. Vælg et andet forløb."
    ]
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.course, seated.status) == (source, "accepted")
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)
    assert not target.registrations.exists()
    assert not OutboxMessage.objects.exists()


def test_moving_to_a_course_that_takes_registrations_gives_a_seat_there(org_a, coordinator_a):
    program = ProgramFactory(organisation=org_a)
    seated = RegistrationFactory(course=course_of(program))
    target = course_of(program)
    moved = services.registration_move(registration=seated, course=target, user=coordinator_a)
    assert (moved.course, moved.status) == (target, "accepted")
