"""Staffing by kind: a course's staffing is met when each kind of facilitator is, not the
total; the course admin's column, the understaffed notice and the workspace list say which
kind is missing."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import context_from_json
from tests.factories import CourseFactory, ProgramFactory
from tests.volunteers.factories import CourseFacilitatorFactory, PeerFactory, ProfessionalFactory
from volunteers import notices
from volunteers.models import Peer
from volunteers.selectors import courses_understaffed
from volunteers.staffing import course_staffing

pytestmark = pytest.mark.django_db


def course_with(org, *, peers, professionals, assigned_peers, assigned_professionals, days=5):
    program = ProgramFactory(
        organisation=org, required_peers=peers, required_professionals=professionals
    )
    course = CourseFactory(
        program=program,
        status="open",
        first_date=timezone.localdate() + datetime.timedelta(days=days),
    )
    course_plan_sessions(course=course)
    for _ in range(assigned_peers):
        CourseFacilitatorFactory(course=course)
    for _ in range(assigned_professionals):
        CourseFacilitatorFactory(course=course, peer=ProfessionalFactory(organisation=org))
    return course


@pytest.mark.parametrize(
    ("required", "assigned", "met", "missing"),
    [
        pytest.param(
            (1, 2), (2, 0), False, "mangler 2 fagprofessionelle", id="mod-og-mestring-2-peers-only"
        ),
        pytest.param((1, 2), (1, 1), False, "mangler 1 fagprofessionel", id="one-professional"),
        pytest.param((1, 2), (0, 2), False, "mangler 1 peer", id="professionals-only"),
        pytest.param((1, 2), (0, 0), False, "mangler 2 fagprofessionelle og 1 peer", id="nobody"),
        pytest.param((1, 2), (1, 2), True, "", id="mod-og-mestring-met"),
        pytest.param((2, 0), (2, 0), True, "", id="haab-two-peers"),
        pytest.param((2, 0), (1, 3), False, "mangler 1 peer", id="haab-professionals-dont-count"),
        pytest.param((2, 1), (5, 1), True, "", id="unge-hjaelper-unge-many-youth-peers"),
    ],
)
def test_staffing_is_met_only_when_each_kind_is(org_a, required, assigned, met, missing):
    course = course_with(
        org_a,
        peers=required[0],
        professionals=required[1],
        assigned_peers=assigned[0],
        assigned_professionals=assigned[1],
    )

    staffing = course_staffing(course)

    assert staffing.is_met is met
    assert staffing.missing_text() == missing
    assert (staffing.peers.assigned, staffing.professionals.assigned) == assigned
    assert (staffing.peers.missing, staffing.professionals.missing) == (
        max(required[0] - assigned[0], 0),
        max(required[1] - assigned[1], 0),
    )


def test_a_paused_facilitator_leaves_a_place_to_fill(org_a):
    course = course_with(
        org_a, peers=2, professionals=0, assigned_peers=2, assigned_professionals=0
    )
    Peer.objects.filter(pk=course.facilitators.first().peer_id).update(status=Peer.Status.PAUSED)

    assert course_staffing(course).missing_text() == "mangler 1 peer"


def test_the_course_admin_column_says_which_kind_is_missing(client_for, coordinator_a, org_a):
    course_with(org_a, peers=1, professionals=2, assigned_peers=2, assigned_professionals=0)

    page = client_for(coordinator_a).get(reverse("admin:groups_course_changelist"))

    assert "2/3 – mangler 2 fagprofessionelle" in page.content.decode()


def test_the_understaffed_notice_says_which_kind_is_missing(org_a, coordinator_a):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    course = course_with(
        org_a, peers=1, professionals=2, assigned_peers=2, assigned_professionals=0
    )

    notices.understaffed_courses_notify()
    notices.understaffed_courses_notify()

    message = OutboxMessage.objects.get(kind="course_understaffed")
    assert message.context["course"] == course.title
    assert (message.context["missing_peers"], message.context["missing_professionals"]) == (0, 2)
    text = render_to_string(
        "notifications/da/course_understaffed.txt", context_from_json(message.context)
    )
    assert "og mangler 2 fagprofessionelle: 2 af 3 facilitatorer er tildelt" in text


def test_courses_understaffed_lists_the_organisations_courses_short_of_a_kind(org_a, org_b):
    short = course_with(
        org_a, peers=1, professionals=2, assigned_peers=2, assigned_professionals=0, days=6
    )
    soon = course_with(
        org_a, peers=2, professionals=0, assigned_peers=1, assigned_professionals=0, days=3
    )
    course_with(org_a, peers=2, professionals=0, assigned_peers=2, assigned_professionals=0)
    course_with(org_b, peers=2, professionals=0, assigned_peers=0, assigned_professionals=0)
    ended = course_with(
        org_a, peers=2, professionals=0, assigned_peers=0, assigned_professionals=0, days=-200
    )

    rows = courses_understaffed(organisation_ids=[org_a.pk], now=timezone.now())

    assert [(row.course, row.staffing.missing_text()) for row in rows] == [
        (soon, "mangler 1 peer"),
        (short, "mangler 2 fagprofessionelle"),
    ]
    assert ended not in [row.course for row in rows]


def test_a_draft_course_is_not_listed_as_understaffed(org_a):
    course = course_with(
        org_a, peers=2, professionals=0, assigned_peers=0, assigned_professionals=0
    )
    course.status = "draft"
    course.save()

    assert courses_understaffed(organisation_ids=[org_a.pk], now=timezone.now()) == []


def test_a_peer_on_another_course_does_not_staff_this_one(org_a):
    course = course_with(
        org_a, peers=1, professionals=0, assigned_peers=0, assigned_professionals=0
    )
    CourseFacilitatorFactory(
        course=CourseFactory(program=course.program), peer=PeerFactory(organisation=org_a)
    )

    assert course_staffing(course).missing_text() == "mangler 1 peer"
