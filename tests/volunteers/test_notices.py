import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from tests.factories import CourseFactory, ProgramFactory
from tests.volunteers.factories import (
    ChildCertificateFactory,
    CourseFacilitatorFactory,
    PeerFactory,
)
from volunteers import notices
from volunteers.models import Concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_with_email(coordinator_a):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    return coordinator_a


def kinds(kind):
    return list(OutboxMessage.objects.filter(kind=kind).values_list("recipient_address", flat=True))


def test_coordinators_hear_once_when_a_børneattest_runs_out_within_30_days(
    org_a, coordinator_with_email
):
    today = datetime.date(2027, 3, 1)
    ChildCertificateFactory(
        peer=PeerFactory(organisation=org_a), renew_by=datetime.date(2027, 3, 20)
    )
    ChildCertificateFactory(
        peer=PeerFactory(organisation=org_a), renew_by=datetime.date(2027, 6, 1)
    )
    notices.certificates_due_notify(today=today)
    notices.certificates_due_notify(today=today + datetime.timedelta(days=1))
    assert kinds("certificate_due") == ["koordinator@lejre.eksempel.dk"]


def test_coordinators_hear_once_about_a_course_lacking_facilitators_a_week_ahead(
    org_a, coordinator_with_email
):
    program = ProgramFactory(organisation=org_a, required_peers=2, required_professionals=0)
    soon = CourseFactory(
        program=program, status="open", first_date=timezone.localdate() + datetime.timedelta(5)
    )
    course_plan_sessions(course=soon)
    staffed = CourseFactory(
        program=program, status="open", first_date=timezone.localdate() + datetime.timedelta(5)
    )
    course_plan_sessions(course=staffed)
    CourseFacilitatorFactory.create_batch(2, course=staffed)
    later = CourseFactory(
        program=program, status="open", first_date=timezone.localdate() + datetime.timedelta(30)
    )
    course_plan_sessions(course=later)
    notices.understaffed_courses_notify()
    notices.understaffed_courses_notify()
    message = OutboxMessage.objects.get(kind="course_understaffed")
    assert message.context["course"] == soon.title
    assert (message.context["assigned"], message.context["required"]) == (0, 2)


def test_a_new_declaration_asks_every_working_facilitator_to_sign(client_for, coordinator_a, org_a):
    active = PeerFactory(organisation=org_a, email="aktiv@eksempel.dk")
    PeerFactory(organisation=org_a, status="stopped", email="stoppet@eksempel.dk")
    client_for(coordinator_a).post(
        reverse("admin:volunteers_declaration_add"),
        {
            "organisation": org_a.pk,
            "version": "2027-1",
            "text": "Jeg fortæller ikke videre.",
            "published_on": "01.01.2027",
        },
    )
    assert kinds("declaration_new") == [active.email]


def test_a_portal_invitation_creates_a_log_in_and_sends_a_link_made_at_delivery(
    client_for, coordinator_a, org_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    peer = PeerFactory(organisation=org_a, email="ny.peer@eksempel.dk")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator_a).post(
            reverse("admin:volunteers_peer_changelist"),
            {"action": "send_invitation", "_selected_action": [peer.pk]},
        )
    peer.refresh_from_db()
    assert peer.user is not None and not peer.user.has_usable_password()
    (sent,) = mail.outbox
    assert "/reset/" in sent.body
    stored = OutboxMessage.objects.get(kind="peer_invitation")
    assert "/reset/" not in stored.body


def test_a_facilitator_records_a_concern_that_only_coordinators_see(client, org_a):
    from tests.factories import UserFactory
    from tests.volunteers.factories import DeclarationFactory, DeclarationSignatureFactory

    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.x"))
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a, min_age=8, max_age=18),
        status="running",
        first_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    course_plan_sessions(course=course)
    CourseFacilitatorFactory(course=course, peer=peer)
    session = course.sessions.get(number=1)
    client.force_login(peer.user)
    url = reverse("volunteers:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Bekymring for et barn" in page
    assert "Bekymring" not in page.split("<title>", 1)[1].split("</title>", 1)[0]
    client.post(
        url,
        {
            "concern": "1",
            "passed_on": timezone.localdate().isoformat(),
            "passed_to": "Familierådgivningen",
        },
    )
    concern = Concern.objects.get()
    assert (concern.session, concern.reported_by, concern.passed_to) == (
        session,
        peer,
        "Familierådgivningen",
    )
    assert "Familierådgivningen" not in client.get(url).content.decode()
