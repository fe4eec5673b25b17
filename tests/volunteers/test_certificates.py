"""The børneattest where the law asks for it, for as long as it is needed: facilitators aged
15 or over, on courses with children under 15 (never parent groups), valid up to the course's
last planned session; and the list of those running out, which coordinators are told about."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from groups.audience import course_involves_children_under
from groups.models import Program, Session
from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import context_from_json
from tests.factories import CourseFactory, ProgramFactory
from tests.volunteers.factories import (
    ChildCertificateFactory,
    CourseFacilitatorFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers import notices
from volunteers.models import CourseFacilitator, Peer
from volunteers.qualification import assignment_problems, course_last_session_day
from volunteers.selectors import certificates_running_out
from volunteers.services import facilitator_assign

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)
FIRST = datetime.date(2027, 1, 12)  # a Tuesday; ten weekly sessions end 16.03.2027
LAST = datetime.date(2027, 3, 16)


def days(n: int) -> datetime.date:
    return LAST + datetime.timedelta(days=n)


def childrens_program(org, **fields):
    fields = {
        "audience": Program.Audience.CHILDREN_AND_YOUTH,
        "target_group": "Børn og unge",
        "min_age": 8,
        "max_age": 18,
        **fields,
    }
    return ProgramFactory(organisation=org, **fields)


def planned(program, **fields):
    course = CourseFactory(program=program, first_date=FIRST, status="open", **fields)
    course_plan_sessions(course=course)
    return course


@pytest.fixture
def declaration(org_a):
    return DeclarationFactory(organisation=org_a, published_on=datetime.date(2026, 1, 1))


@pytest.fixture
def children_course(org_a):
    return planned(childrens_program(org_a))


def facilitator(org, declaration, **fields):
    person = PeerFactory(organisation=org, **{"name": "Mette", **fields})
    DeclarationSignatureFactory(peer=person, declaration=declaration)
    return person


def test_the_planned_course_ends_on_the_day_the_edges_below_assume(children_course):
    assert course_last_session_day(children_course) == LAST


# The certificate must last until the last session that is not cancelled.


@pytest.mark.parametrize(
    ("renew_by", "refused"),
    [
        pytest.param(days(-1), True, id="runs-out-the-day-before-the-last-session"),
        pytest.param(days(0), False, id="runs-out-on-the-last-session-day"),
        pytest.param(days(1), False, id="runs-out-after-the-last-session"),
        pytest.param(TODAY + datetime.timedelta(days=1), True, id="runs-out-before-the-start"),
    ],
)
def test_a_boerneattest_must_last_until_the_courses_last_session(
    org_a, declaration, children_course, renew_by, refused
):
    peer = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=peer, renew_by=renew_by)

    problems = assignment_problems(peer, children_course, today=TODAY)

    if not refused:
        assert problems == []
        return
    until = renew_by.strftime("%d.%m.%Y")
    assert problems == [
        f"Børneattesten for Mette udløber {until}, før forløbets sidste gang 16.03.2027, og "
        "skal fornyes først."
    ]


def test_assignment_is_refused_with_both_dates_and_saves_nothing(
    org_a, declaration, children_course
):
    peer = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=peer, renew_by=days(-1))

    with pytest.raises(ValidationError) as refused:
        facilitator_assign(course=children_course, peer=peer)

    assert "15.03.2027" in refused.value.messages[0]
    assert "16.03.2027" in refused.value.messages[0]
    assert not CourseFacilitator.objects.exists()


def test_a_cancelled_last_session_does_not_count(org_a, declaration, children_course):
    peer = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=peer, renew_by=days(-1))
    children_course.sessions.filter(number=10).update(status=Session.Status.CANCELLED)

    assert assignment_problems(peer, children_course, today=TODAY) == []


# Who needs one: by the facilitator's birth year and the course's audience.


@pytest.mark.parametrize(
    ("birth_year", "needs"),
    [
        pytest.param(LAST.year - 14, False, id="aged-14-by-birth-year"),
        pytest.param(LAST.year - 15, True, id="turns-15-in-the-course-year"),
        pytest.param(LAST.year - 40, True, id="adult"),
        pytest.param(None, True, id="no-birth-year-counts-as-adult"),
    ],
)
def test_a_facilitator_needs_a_boerneattest_from_the_year_they_turn_15(
    org_a, declaration, children_course, birth_year, needs
):
    peer = facilitator(org_a, declaration, birth_year=birth_year)

    problems = assignment_problems(peer, children_course, today=TODAY)

    assert problems == (["Mette har ingen børneattest."] if needs else [])


@pytest.mark.parametrize(
    ("fields", "involves"),
    [
        pytest.param({"min_age": 8}, True, id="children-8-18"),
        pytest.param({"min_age": 15}, False, id="youth-from-15"),
        pytest.param({"min_age": 14}, True, id="youth-from-14"),
        pytest.param({"min_age": None}, True, id="children-without-ages"),
        pytest.param(
            {"audience": Program.Audience.PARENTS, "target_group": "Forældre"},
            False,
            id="parent-group-for-children-8-18",
        ),
        pytest.param(
            {"audience": Program.Audience.ADULTS, "min_age": None}, False, id="adults-no-ages"
        ),
    ],
)
def test_a_course_involves_children_under_15_by_its_programme(org_a, fields, involves):
    course = CourseFactory(program=childrens_program(org_a, **fields))

    assert course_involves_children_under(course, 15) is involves


def test_a_parent_group_needs_no_boerneattest(org_a, declaration):
    parents = planned(
        childrens_program(org_a, audience=Program.Audience.PARENTS, target_group="Forældre")
    )
    peer = facilitator(org_a, declaration)

    assert assignment_problems(peer, parents, today=TODAY) == []


# Listed for coordinators in time to renew.


def assigned(peer, course):
    return CourseFacilitatorFactory(course=course, peer=peer)


def test_certificates_running_out_lists_those_ending_before_a_courses_last_session(
    org_a, org_b, declaration, children_course
):
    mid_course = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=mid_course, renew_by=days(-20))
    assigned(mid_course, children_course)
    lasting = facilitator(org_a, declaration, name="Ida")
    ChildCertificateFactory(peer=lasting, renew_by=days(0))
    assigned(lasting, children_course)
    soon = facilitator(org_a, declaration, name="Ole")  # on no course, runs out in 30 days
    ChildCertificateFactory(peer=soon, renew_by=TODAY + datetime.timedelta(days=30))
    later = facilitator(org_a, declaration, name="Bo")
    ChildCertificateFactory(peer=later, renew_by=TODAY + datetime.timedelta(days=31))
    paused = facilitator(org_a, declaration, name="Per", status=Peer.Status.PAUSED)
    ChildCertificateFactory(peer=paused, renew_by=TODAY + datetime.timedelta(days=3))
    elsewhere = PeerFactory(organisation=org_b)
    ChildCertificateFactory(peer=elsewhere, renew_by=TODAY + datetime.timedelta(days=3))

    rows = certificates_running_out(organisation_ids=[org_a.pk], today=TODAY, within_days=30)

    assert [(row.peer, row.valid_until) for row in rows] == [
        (soon, TODAY + datetime.timedelta(days=30)),
        (mid_course, days(-20)),
    ]
    assert [(need.course, need.last_session_day) for need in rows[1].courses] == [
        (children_course, LAST)
    ]
    assert rows[0].courses == []


def test_a_course_that_needs_no_boerneattest_lists_nobody(org_a, declaration):
    adults = planned(ProgramFactory(organisation=org_a))
    young = planned(childrens_program(org_a), title="Unge")
    peer = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=peer, renew_by=days(-20))
    assigned(peer, adults)
    fourteen = facilitator(org_a, declaration, name="Emil", birth_year=LAST.year - 14)
    ChildCertificateFactory(peer=fourteen, renew_by=days(-20))
    assigned(fourteen, young)

    assert certificates_running_out(organisation_ids=[org_a.pk], today=TODAY, within_days=30) == []


def test_coordinators_are_told_once_which_course_a_boerneattest_runs_out_in(
    org_a, declaration, children_course, coordinator_a
):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    peer = facilitator(org_a, declaration)
    ChildCertificateFactory(peer=peer, renew_by=days(-20))
    assigned(peer, children_course)

    notices.certificates_due_notify(today=TODAY)
    notices.certificates_due_notify(today=TODAY + datetime.timedelta(days=1))

    message = OutboxMessage.objects.get(kind="certificate_due")
    context = context_from_json(message.context)
    assert context["until"] == datetime.date(2027, 2, 24)
    assert [(need["course"], need["last_session_day"]) for need in context["courses"]] == [
        (children_course.title, datetime.date(2027, 3, 16))
    ]
    text = render_to_string("notifications/da/certificate_due.txt", context)
    assert "gælder til onsdag den 24. februar 2027." in text
    assert f"Det er før sidste gang på {children_course} (tirsdag den 16. marts 2027)." in text


@pytest.mark.parametrize(
    ("course_min_age", "involves"),
    [
        pytest.param(None, True, id="no-course-range-the-programme-of-8-decides"),
        pytest.param(14, True, id="a-course-for-14-to-18"),
        pytest.param(15, False, id="a-course-for-15-to-18"),
    ],
)
def test_a_course_age_range_decides_before_the_programmes(org_a, course_min_age, involves):
    course = CourseFactory(
        program=childrens_program(org_a, min_age=8, max_age=18),
        min_age=course_min_age,
        max_age=18 if course_min_age else None,
    )

    assert course_involves_children_under(course, 15) is involves
