"""Facilitators in the coordinator's workspace (issue #12, item 5): the course page's
facilitators section, the picker, taking someone off, and finding a substitute for a session
someone declined. Everyone put on or taken off is told through the outbox."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import context_from_json
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.conftest import log_in
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ProgramFactory,
    ThemeFactory,
)
from tests.peerprogram.test_write_path import course_form
from tests.volunteers.factories import (
    ChildCertificateFactory,
    PeerFactory,
    ProfessionalFactory,
    SignedPeerFactory,
)
from tests.workspace.bounds import COURSE_PAGE_QUERIES
from volunteers import portal, services
from volunteers.models import CourseFacilitator, SessionResponse

pytestmark = pytest.mark.django_db

PROGRAM = "Vejen til Hverdagslivet"


def planned_course(organisation, *, title="Forår", weeks=3, program=PROGRAM, **kwargs):
    program = ProgramFactory(
        organisation=organisation,
        name=program,
        weeks=weeks,
        required_peers=2,
        required_professionals=1,
    )
    for number in range(1, weeks + 1):
        ThemeFactory(program=program, number=number)
    course = CourseFactory(program=program, title=title, place="Medborgerhuset", **kwargs)
    course_plan_sessions(course=course)
    return course


@pytest.fixture
def course(org_a):
    return planned_course(org_a)


@pytest.fixture
def coordinator(client, org_a):
    log_in(client, CoordinatorFactory(organisations=[org_a]))
    return client


def assign(course, peer):
    return CourseFacilitator.objects.create(course=course, peer=peer)


def state():
    """What a refused request must leave as it was: the assignments and the outbox."""
    return (
        sorted(CourseFacilitator.objects.values_list("course", "peer")),
        OutboxMessage.objects.count(),
    )


def course_page(client, course):
    response = client.get(reverse("workspace:course", args=[course.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The course page's facilitators section --------------------------------------------------------


def test_the_course_page_shows_each_facilitator_with_kind_qualification_and_answers(
    coordinator, course, org_a
):
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer", phone="12 34 56 78")
    unsigned = ProfessionalFactory(organisation=org_a, name="Lars Fagperson")
    assign(course, karen)
    assign(course, unsigned)
    first, second, third = course.sessions.order_by("number")
    portal.session_answer(peer=karen, session=first, answer=SessionResponse.Answer.CONFIRMED)
    portal.session_answer(peer=karen, session=second, answer=SessionResponse.Answer.DECLINED)

    page = course_page(coordinator, course)

    assert 'id="section-facilitators"' in page
    assert "Karen Peer" in page and "Lars Fagperson" in page
    assert "Frivillig peer" in page and "Fagprofessionel" in page
    assert 'href="tel:12 34 56 78"' in page
    assert "Må facilitere" in page
    assert "Lars Fagperson har ikke underskrevet den gældende tavshedserklæring" in page
    assert "Gang 1, " in page and ": Kommer" in page
    assert ": Kan ikke" in page
    assert ": Intet svar" in page  # Karen's third session and all of Lars's
    assert reverse("workspace:substitute", args=[second.pk]) in page
    assert reverse("workspace:substitute", args=[third.pk]) not in page
    # Only Karen counts: Lars is working but unsigned still counts as assigned by the
    # staffing rule (status only), so one peer is missing.
    assert "mangler 1 peer" in page


def test_a_decline_in_the_portal_shows_on_the_course_page_at_once(coordinator, course, org_a):
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer")
    assign(course, karen)
    session = course.sessions.order_by("number").last()
    assert reverse("workspace:substitute", args=[session.pk]) not in course_page(
        coordinator, course
    )
    portal.session_answer(peer=karen, session=session, answer=SessionResponse.Answer.DECLINED)
    page = course_page(coordinator, course)
    assert reverse("workspace:substitute", args=[session.pk]) in page
    assert "Find afløser" in page


def build_course_of_size(organisation, size):
    course = planned_course(
        organisation, title=f"Hold med {size}", weeks=size + 1, program=f"P{size}"
    )
    sessions = list(course.sessions.all())
    for _number in range(size):
        peer = SignedPeerFactory(organisation=organisation, phone="12 34 56 78")
        ChildCertificateFactory(peer=peer)
        assign(course, peer)
        for session in sessions[:size]:
            SessionResponse.objects.create(peer=peer, session=session, answer="declined")
        SignedPeerFactory(organisation=organisation)  # one more to pick from
    return course


def test_the_facilitators_section_reads_in_the_same_number_of_queries_at_any_size(
    coordinator, org_a, django_assert_max_num_queries
):
    small, large = build_course_of_size(org_a, 1), build_course_of_size(org_a, 6)
    counts = []
    for course in (small, large):
        with django_assert_max_num_queries(COURSE_PAGE_QUERIES) as queries:
            page = course_page(coordinator, course)
        counts.append(len(queries))
        assert "Find afløser" in page
    assert counts[0] == counts[1]


def test_the_picker_and_substitute_pages_read_in_the_same_number_of_queries_at_any_size(
    coordinator, org_a, django_assert_max_num_queries
):
    small, large = build_course_of_size(org_a, 1), build_course_of_size(org_a, 6)
    counts = []
    for course in (small, large):
        session = course.sessions.order_by("number").first()
        with django_assert_max_num_queries(32) as queries:
            assign_page = coordinator.get(reverse("workspace:facilitator_assign", args=[course.pk]))
            substitute_page = coordinator.get(reverse("workspace:substitute", args=[session.pk]))
        counts.append(len(queries))
        assert assign_page.status_code == substitute_page.status_code == 200
    assert counts[0] == counts[1]


# Assigning --------------------------------------------------------------------------------------


def children_course(organisation):
    return planned_course(
        organisation, title="Børnehold", program="For børn", min_age=8, max_age=12
    )


def test_the_picker_offers_only_people_who_may_be_assigned_and_lists_everyones_problem(
    coordinator, org_a
):
    course = children_course(org_a)
    with_certificate = SignedPeerFactory(organisation=org_a, name="Anna Attest")
    ChildCertificateFactory(peer=with_certificate)
    SignedPeerFactory(organisation=org_a, name="Bo Uden")
    PeerFactory(organisation=org_a, name="Cille Ukendt", status="in_training")

    section = course_page(coordinator, course).split('id="section-facilitators"')[1]
    picker = section.split("<select")[1].split("</select>")[0]
    assert "Anna Attest" in picker
    assert "Bo Uden" not in picker and "Cille Ukendt" not in picker

    page = coordinator.get(reverse("workspace:facilitator_assign", args=[course.pk]))
    assert page.status_code == 200
    page = page.content.decode()
    assert "Bo Uden har ingen børneattest." in page
    assert "Cille Ukendt er ikke uddannet endnu" in page
    assert f'name="peer" value="{with_certificate.pk}"' in page


def test_assigning_tells_the_person_the_course_where_and_the_first_session(
    coordinator, course, org_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://peer.example.dk"
    karen = SignedPeerFactory(
        organisation=org_a, name="Karen Peer", phone="12 34 56 78", sms_opt_in=True
    )
    url = reverse("workspace:facilitator_assign", args=[course.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(url, {"peer": karen.pk}, follow=True)

    assert CourseFacilitator.objects.filter(course=course, peer=karen).exists()
    assert "Karen Peer er sat på forløbet. Karen Peer får besked." in response.content.decode()
    [email] = mail.outbox
    assert PROGRAM not in email.subject
    assert "Forår" in email.body and "Medborgerhuset" in email.body
    assert "Første gang: gang 1, " in email.body
    assert "https://peer.example.dk" + reverse("volunteers:schedule") in email.body
    [sms] = LocmemSmsBackend.outbox
    assert PROGRAM not in sms["body"]
    assert "Første gang:" in sms["body"]
    assert "https://peer.example.dk" + reverse("volunteers:schedule") in sms["body"]


def test_an_unqualified_person_is_refused_with_the_reason_and_nothing_changes(
    coordinator, course, org_a
):
    SignedPeerFactory(organisation=org_a)  # the organisation has a declaration
    unsigned = PeerFactory(organisation=org_a, name="Bo Usigneret")
    before = state()
    response = coordinator.post(
        reverse("workspace:facilitator_assign", args=[course.pk]), {"peer": unsigned.pk}
    )
    assert response.status_code == 200
    assert "Bo Usigneret har ikke underskrevet" in response.content.decode()
    assert state() == before


def test_a_person_on_the_course_already_is_refused_and_nothing_changes(coordinator, course, org_a):
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer")
    assign(course, karen)
    before = state()
    response = coordinator.post(
        reverse("workspace:facilitator_assign", args=[course.pk]), {"peer": karen.pk}
    )
    assert "Karen Peer er allerede facilitator på forløbet." in response.content.decode()
    assert state() == before


def test_a_person_of_another_organisation_is_refused_without_being_named(
    coordinator, course, org_b
):
    stranger = SignedPeerFactory(organisation=org_b, name="Hemmelig Hansen")
    before = state()
    response = coordinator.post(
        reverse("workspace:facilitator_assign", args=[course.pk]), {"peer": stranger.pk}
    )
    page = response.content.decode()
    assert "Vælg en facilitator fra forløbets organisation." in page
    assert "Hemmelig Hansen" not in page
    assert state() == before


def test_nobody_can_assign_on_another_organisations_course(client, course, org_a):
    log_in(client, CoordinatorFactory(organisations=[OrganisationFactory()]))
    karen = SignedPeerFactory(organisation=org_a)
    before = state()
    url = reverse("workspace:facilitator_assign", args=[course.pk])
    assert client.post(url, {"peer": karen.pk}).status_code == 404
    assert state() == before


# Taking someone off -----------------------------------------------------------------------------


def test_taking_someone_off_needs_a_confirmation_and_tells_them(
    coordinator, course, org_a, django_capture_on_commit_callbacks
):
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer")
    assignment = assign(course, karen)
    url = reverse("workspace:facilitator_unassign", args=[assignment.pk])
    assert "Tag Karen Peer af Forår?" in coordinator.get(url).content.decode()

    before = state()
    unconfirmed = coordinator.post(url, {})
    assert "Sæt kryds for at bekræfte." in unconfirmed.content.decode()
    assert state() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(url, {"confirm": "on"}, follow=True)
    assert not CourseFacilitator.objects.exists()
    assert "Karen Peer er taget af forløbet." in response.content.decode()
    [email] = mail.outbox
    assert PROGRAM not in email.subject
    assert "ikke længere facilitator på forløbet Forår" in email.body


def test_nobody_can_take_someone_off_another_organisations_course(client, course, org_a):
    log_in(client, CoordinatorFactory(organisations=[OrganisationFactory()]))
    assignment = assign(course, SignedPeerFactory(organisation=org_a))
    before = state()
    url = reverse("workspace:facilitator_unassign", args=[assignment.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert state() == before


# Substitutes ------------------------------------------------------------------------------------


@pytest.fixture
def declined(course, org_a):
    """Karen declined the course's last session."""
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer")
    assign(course, karen)
    session = course.sessions.order_by("number").last()
    portal.session_answer(peer=karen, session=session, answer=SessionResponse.Answer.DECLINED)
    return session


def busy_elsewhere(session, organisation, name):
    """Someone qualified who facilitates another course with a session at the same time."""
    other = CourseFactory(program=session.course.program, title="Efterår")
    other.sessions.create(
        number=1,
        starts_at=session.starts_at + datetime.timedelta(minutes=30),
        ends_at=session.ends_at + datetime.timedelta(minutes=30),
        place="Biblioteket",
    )
    peer = SignedPeerFactory(organisation=organisation, name=name)
    assign(other, peer)
    return peer


def test_the_substitute_page_offers_people_qualified_and_free_at_that_time(
    coordinator, declined, org_a
):
    free = SignedPeerFactory(organisation=org_a, name="Frida Fri")
    busy = busy_elsewhere(declined, org_a, "Bent Optaget")
    PeerFactory(organisation=org_a, name="Ulla Usigneret")

    response = coordinator.get(reverse("workspace:substitute", args=[declined.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Har meldt afbud: Karen Peer" in page
    assert f'name="peer" value="{free.pk}"' in page
    assert f'name="peer" value="{busy.pk}"' not in page
    assert "Har en gang på Efterår på samme tid" in page
    assert "Ulla Usigneret har ikke underskrevet" in page
    assert page.index("Frida Fri") < page.index("Bent Optaget")


def test_assigning_a_substitute_puts_them_on_the_course_and_tells_them_from_when(
    coordinator, declined, org_a, django_capture_on_commit_callbacks
):
    free = SignedPeerFactory(organisation=org_a, name="Frida Fri")
    url = reverse("workspace:substitute", args=[declined.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(url, {"peer": free.pk}, follow=True)
    assert CourseFacilitator.objects.filter(course=declined.course, peer=free).exists()
    assert "Frida Fri er sat på forløbet som afløser fra" in response.content.decode()
    [email] = mail.outbox
    assert email.subject.startswith("Du er sat på som afløser")
    assert "Du er sat på som afløser fra " in email.body
    assert f"gang {declined.number}, " in email.body


def test_someone_busy_at_that_time_is_refused_as_substitute_and_nothing_changes(
    coordinator, declined, org_a
):
    busy = busy_elsewhere(declined, org_a, "Bent Optaget")
    before = state()
    response = coordinator.post(
        reverse("workspace:substitute", args=[declined.pk]), {"peer": busy.pk}
    )
    assert "Har en gang på Efterår på samme tid" in response.content.decode()
    assert state() == before


def test_nobody_stands_in_for_a_cancelled_session(coordinator, declined, org_a):
    declined.status = declined.Status.CANCELLED
    declined.save()
    free = SignedPeerFactory(organisation=org_a, name="Frida Fri")
    before = state()
    page = coordinator.get(reverse("workspace:substitute", args=[declined.pk])).content.decode()
    assert "Gangen er aflyst." in page
    assert f'name="peer" value="{free.pk}"' not in page
    response = coordinator.post(
        reverse("workspace:substitute", args=[declined.pk]), {"peer": free.pk}
    )
    assert "Gangen er aflyst." in response.content.decode()
    assert state() == before


# One write path ---------------------------------------------------------------------------------


@pytest.fixture
def calls(monkeypatch):
    """Count the calls of the facilitator services (they still run)."""
    seen = []
    for name in ["facilitator_assign", "facilitator_unassign"]:
        original = getattr(services, name)

        def wrapper(_original=original, _name=name, **kwargs):
            seen.append(_name)
            return _original(**kwargs)

        monkeypatch.setattr(services, name, wrapper)
    return seen


def test_each_workspace_post_goes_through_the_service_once(coordinator, declined, org_a, calls):
    course = declined.course
    picked, substitute = (SignedPeerFactory(organisation=org_a) for _ in range(2))
    coordinator.post(reverse("workspace:facilitator_assign", args=[course.pk]), {"peer": picked.pk})
    assert calls == ["facilitator_assign"]
    coordinator.post(reverse("workspace:substitute", args=[declined.pk]), {"peer": substitute.pk})
    assert calls == ["facilitator_assign"] * 2
    assignment = CourseFacilitator.objects.get(peer=picked)
    coordinator.post(
        reverse("workspace:facilitator_unassign", args=[assignment.pk]), {"confirm": "on"}
    )
    assert calls == ["facilitator_assign"] * 2 + ["facilitator_unassign"]


def test_the_course_admin_tells_the_person_it_assigns_and_takes_off(
    client, course, org_a, coordinator_a
):
    log_in(client, coordinator_a)
    karen = SignedPeerFactory(organisation=org_a)
    url = reverse("admin:groups_course_change", args=[course.pk])
    assert client.post(url, course_form(course, [(None, karen)])).status_code == 302
    assignment = CourseFacilitator.objects.get()
    data = {**course_form(course, [(assignment.pk, karen)]), "facilitators-0-DELETE": "on"}
    assert client.post(url, data).status_code == 302
    assert not CourseFacilitator.objects.exists()
    assert list(OutboxMessage.objects.order_by("pk").values_list("kind", "recipient_address")) == [
        ("facilitator_assigned", karen.email),
        ("facilitator_unassigned", karen.email),
    ]


def test_the_services_tell_whoever_is_put_on_or_taken_off(course, org_a):
    karen, lone = (SignedPeerFactory(organisation=org_a) for _ in range(2))
    assignment = services.facilitator_assign(course=course, peer=karen)
    services.facilitator_assign(course=course, peer=karen)  # again: nothing new
    services.facilitator_reassign(assignment=assignment, peer=lone)
    services.facilitator_unassign(assignment=CourseFacilitator.objects.get(peer=lone))
    told = list(
        OutboxMessage.objects.order_by("pk").values_list("kind", "recipient_address", "related_id")
    )
    assert told == [
        ("facilitator_assigned", karen.email, course.pk),
        ("facilitator_unassigned", karen.email, course.pk),
        ("facilitator_assigned", lone.email, course.pk),
        ("facilitator_unassigned", lone.email, course.pk),
    ]


def test_the_coordinators_decline_notice_links_to_the_substitute_page(course, org_a):
    CoordinatorFactory(organisations=[org_a], email="koordinator@lejre.eksempel.dk")
    karen = SignedPeerFactory(organisation=org_a, name="Karen Peer")
    assign(course, karen)
    session = course.sessions.order_by("number").last()
    portal.session_answer(peer=karen, session=session, answer=SessionResponse.Answer.DECLINED)
    [notice] = OutboxMessage.objects.filter(kind="session_declined")
    link = reverse("workspace:substitute", args=[session.pk])
    assert notice.context["substitute_url"].endswith(link)
    context = context_from_json(notice.context)
    assert link in render_to_string("notifications/da/session_declined.txt", context)
