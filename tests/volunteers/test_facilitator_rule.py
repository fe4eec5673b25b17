"""One table of facilitator cases, run through every place that decides whether someone may
facilitate: the course admin's assignment, the peer portal, the session reminders,
accompaniment and contact requests. Each gives the same verdict for the same case.

The børneattest is asked for only where children under 15 are met, so the case "certificate
running out mid-course" is refused on a children's course and accepted on an adult one —
by every entry point alike. Accompaniment and contact requests are for adults (Ud i Livet,
Håb og selvbestemmelse: 18+), so they answer as an adult course does.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups import reminders
from groups.models import Program
from groups.services import course_plan_sessions
from tests.factories import (
    CourseFactory,
    ParticipantFactory,
    ProgramFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    ChildCertificateFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers.accompaniment import accompaniment_start
from volunteers.bridging import contact_request_match
from volunteers.models import Accompaniment, ContactRequest, CourseFacilitator, Peer
from volunteers.qualification import assignment_problems, course_last_session_day

pytestmark = pytest.mark.django_db

PARTICIPANT = "Sofie Hansen"
CHILDREN, ADULTS = "children", "adults"


@dataclass
class World:
    org: object
    declaration: object
    courses: dict
    haab: Program
    last_session_day: datetime.date  # of the children's course


@pytest.fixture
def world(org_a):
    declaration = DeclarationFactory(
        organisation=org_a,
        version="2026-1",
        published_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    children = ProgramFactory(
        organisation=org_a,
        audience=Program.Audience.CHILDREN_AND_YOUTH,
        target_group="Børn og unge",
        min_age=8,
        max_age=18,
    )
    haab = ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        offers_accompaniment=True,
        accompaniment_limit_months=6,
    )
    courses = {}
    for context, program in [(CHILDREN, children), (ADULTS, haab)]:
        course = CourseFactory(
            program=program,
            title=f"Hold for {context}",
            first_date=timezone.localdate() + datetime.timedelta(days=2),
            status="open",
        )
        course_plan_sessions(course=course)
        RegistrationFactory(course=course, participant__name=PARTICIPANT)
        courses[context] = course
    return World(org_a, declaration, courses, haab, course_last_session_day(courses[CHILDREN]))


# The cases: how to make the person, and the verdict on a children's and on an adult course.


def qualified(world, **fields):
    person = PeerFactory(
        organisation=world.org, accompanies=True, user=UserFactory(), name="Mette", **fields
    )
    DeclarationSignatureFactory(peer=person, declaration=world.declaration)
    ChildCertificateFactory(peer=person, renew_by=world.last_session_day)
    return person


def professional_applicant(world):
    return qualified(world, kind=Peer.Kind.PROFESSIONAL, status=Peer.Status.APPLICANT)


def paused_peer(world):
    return qualified(world, status=Peer.Status.PAUSED)


def expired_declaration(world):
    person = qualified(world)
    DeclarationFactory(
        organisation=world.org,
        version="2026-2",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return person


def certificate_running_out_mid_course(world):
    person = qualified(world)
    person.certificates.update(renew_by=world.last_session_day - datetime.timedelta(days=1))
    return person


ACCEPTED, REFUSED = True, False

CASES = [
    pytest.param(qualified, {CHILDREN: ACCEPTED, ADULTS: ACCEPTED}, id="qualified"),
    pytest.param(
        professional_applicant,
        {CHILDREN: REFUSED, ADULTS: REFUSED},
        id="professional-with-status-applicant",
    ),
    pytest.param(paused_peer, {CHILDREN: REFUSED, ADULTS: REFUSED}, id="paused-peer"),
    pytest.param(
        expired_declaration, {CHILDREN: REFUSED, ADULTS: REFUSED}, id="expired-declaration"
    ),
    pytest.param(
        certificate_running_out_mid_course,
        {CHILDREN: REFUSED, ADULTS: ACCEPTED},
        id="certificate-running-out-mid-course",
    ),
]


# The entry points: each answers whether the person was let through, and changes nothing
# when not.


def admin_assignment(world, person, course, client):
    data = {
        "program": course.program.pk,
        "title": course.title,
        "status": course.status,
        "place": course.place,
        "address": "",
        "municipality": course.municipality,
        "first_date": course.first_date.strftime("%d.%m.%Y"),
        "start_time": "10.00",
        "capacity": str(course.capacity),
        "facilitators-TOTAL_FORMS": "1",
        "facilitators-INITIAL_FORMS": "0",
        "facilitators-MIN_NUM_FORMS": "0",
        "facilitators-MAX_NUM_FORMS": "1000",
        "facilitators-0-peer": str(person.pk),
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:groups_course_change", args=[course.pk]), data)
    assigned = CourseFacilitator.objects.filter(course=course, peer=person).exists()
    assert (response.status_code == 302) == assigned
    if not assigned:
        assert "Mette" in response.content.decode()  # the reason, naming the person
    return assigned


def assigned_before(person, course):
    """As if assigned while the person still qualified: status, declarations and
    certificates change after the assignment."""
    CourseFacilitator.objects.create(course=course, peer=person)


def portal_access(world, person, course, client):
    assigned_before(person, course)
    client.force_login(person.user)
    response = client.get(reverse("volunteers:session", args=[course.sessions.first().pk]))
    assert response.status_code in (200, 403)
    return response.status_code == 200 and PARTICIPANT.split()[0] in response.content.decode()


def reminder_recipients(world, person, course, client):
    assigned_before(person, course)
    session = course.sessions.first()
    keys = [recipient.key for recipient in reminders.session_recipients([session])[session.pk]]
    return f"peer:{person.pk}" in keys


def accompaniment(world, person, course, client):
    citizen = ParticipantFactory(organisation=world.org, name="Jens Borger")
    try:
        accompaniment_start(
            peer=person,
            participant=citizen,
            program=world.haab,
            starts_on=timezone.localdate(),
            today=timezone.localdate(),
        )
    except ValidationError as refused:
        assert "Mette" in " ".join(refused.message_dict["peer"])
        assert not Accompaniment.objects.exists()
        return False
    return True


def contact_request(world, person, course, client):
    request = ContactRequest.objects.create(
        organisation=world.org, first_name="Lone", email="lone@eksempel.dk"
    )
    try:
        contact_request_match(contact_request=request, peer=person)
    except ValidationError as refused:
        assert "Mette" in " ".join(refused.message_dict["matched_peer"])
        request.refresh_from_db()
        assert (request.matched_peer, request.status) == (None, ContactRequest.Status.NEW)
        return False
    return True


ENTRY_POINTS: list[tuple[Callable, list[str]]] = [
    (admin_assignment, [CHILDREN, ADULTS]),
    (portal_access, [CHILDREN, ADULTS]),
    (reminder_recipients, [CHILDREN, ADULTS]),
    (accompaniment, [ADULTS]),
    (contact_request, [ADULTS]),
]
POINTS = [
    pytest.param(entry, context, id=f"{entry.__name__}-{context}")
    for entry, contexts in ENTRY_POINTS
    for context in contexts
]


@pytest.mark.parametrize(("entry", "context"), POINTS)
@pytest.mark.parametrize(("make", "verdicts"), CASES)
def test_every_entry_point_gives_the_rules_verdict(
    world, client_for, coordinator_a, client, make, verdicts, entry, context
):
    person = make(world)
    course = world.courses[context]
    expected = verdicts[context]
    # The rule itself says so ...
    assert (assignment_problems(person, course) == []) == expected
    # ... and so does the entry point.
    http = client_for(coordinator_a) if entry is admin_assignment else client
    assert entry(world, person, course, http) == expected
