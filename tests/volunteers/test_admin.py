import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from groups.services import course_plan_sessions
from tests.factories import CourseFactory, ProgramFactory
from tests.volunteers.factories import (
    ChildCertificateFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers.models import ChildCertificate, CourseFacilitator, Peer, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


def course_change_data(course, peer):
    return {
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
        "facilitators-0-peer": str(peer.pk),
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def childrens_course(org_a):
    course = CourseFactory(
        program=ProgramFactory(
            organisation=org_a, min_age=8, max_age=18, required_peers=1, required_professionals=2
        ),
        status="open",
    )
    course_plan_sessions(course=course)
    return course


def test_assigning_without_a_børneattest_shows_the_reason_and_saves_nothing(
    admin_client_a, org_a, childrens_course
):
    peer = PeerFactory(organisation=org_a, name="Mette Peer")
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    url = reverse("admin:groups_course_change", args=[childrens_course.pk])
    response = admin_client_a.post(url, course_change_data(childrens_course, peer))
    assert response.status_code == 200
    assert "Mette Peer har ingen børneattest." in response.content.decode()
    assert not CourseFacilitator.objects.exists()


def test_a_qualified_facilitator_is_assigned_and_counted(admin_client_a, org_a, childrens_course):
    peer = PeerFactory(organisation=org_a)
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    ChildCertificateFactory(peer=peer)
    url = reverse("admin:groups_course_change", args=[childrens_course.pk])
    response = admin_client_a.post(url, course_change_data(childrens_course, peer))
    assert response.status_code == 302
    assert CourseFacilitator.objects.filter(course=childrens_course, peer=peer).exists()
    changelist = admin_client_a.get(reverse("admin:groups_course_changelist"))
    assert "1/3" in changelist.content.decode()


def test_the_certificate_outcome_is_hidden_without_the_permission(client_for, coordinator_a, org_a):
    peer = PeerFactory(organisation=org_a)
    ChildCertificateFactory(peer=peer, outcome=ChildCertificate.Outcome.NEEDS_ASSESSMENT)
    client = client_for(coordinator_a)
    url = reverse("admin:volunteers_peer_change", args=[peer.pk])
    html = client.get(url).content.decode()
    assert "Skal vurderes" not in html and "certificates-0-outcome" not in html

    coordinator_a.user_permissions.add(Permission.objects.get(codename="view_certificate_outcome"))
    coordinator_a = type(coordinator_a).objects.get(pk=coordinator_a.pk)
    html = client_for(coordinator_a).get(url).content.decode()
    assert "certificates-0-outcome" in html


def test_the_expiry_filter_finds_certificates_due_within_30_days(admin_client_a, org_a):
    today = datetime.date.today()
    soon = PeerFactory(organisation=org_a, name="Snart Udløb")
    ChildCertificateFactory(peer=soon, renew_by=today + datetime.timedelta(days=20))
    later = PeerFactory(organisation=org_a, name="Senere Udløb")
    ChildCertificateFactory(peer=later, renew_by=today + datetime.timedelta(days=200))
    html = admin_client_a.get(
        reverse("admin:volunteers_peer_changelist"), {"certificate": "expires_soon"}
    ).content.decode()
    assert "Snart Udløb" in html and "Senere Udløb" not in html


def test_marking_trained_records_who_changed_the_status(admin_client_a, org_a, coordinator_a):
    peer = PeerFactory(organisation=org_a, status=Peer.Status.IN_TRAINING)
    admin_client_a.post(
        reverse("admin:volunteers_peer_changelist"),
        {"action": "mark_trained", "_selected_action": [peer.pk]},
    )
    peer.refresh_from_db()
    assert peer.status == Peer.Status.TRAINED
    change = StatusChange.objects.get(peer=peer)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "in_training",
        "trained",
        coordinator_a,
    )


def test_peer_changelist_queries_do_not_grow(admin_client_a, org_a, django_assert_max_num_queries):
    PeerFactory.create_batch(2, organisation=org_a)
    url = reverse("admin:volunteers_peer_changelist")
    with django_assert_max_num_queries(14):  # 4 for the OTP device and the session
        admin_client_a.get(url)
    PeerFactory.create_batch(30, organisation=org_a)
    with django_assert_max_num_queries(14):
        assert admin_client_a.get(url).context["cl"].result_count == 32


def test_training_and_declaration_choices_come_from_the_own_organisation(
    admin_client_a, org_a, org_b
):
    from tests.volunteers.factories import TrainingModuleFactory

    DeclarationFactory(organisation=org_a, version="lejre-1")
    DeclarationFactory(organisation=org_b, version="hillerod-1")
    TrainingModuleFactory(organisation=org_a, name="Lejres modul")
    TrainingModuleFactory(organisation=org_b, name="Hillerøds modul")
    peer = PeerFactory(organisation=org_a)
    html = admin_client_a.get(
        reverse("admin:volunteers_peer_change", args=[peer.pk])
    ).content.decode()
    assert "lejre-1" in html and "Lejres modul" in html
    assert "hillerod-1" not in html and "Hillerøds modul" not in html


def test_the_peer_admin_records_a_birth_year_not_a_date(admin_client_a, org_a):
    peer = PeerFactory(organisation=org_a, birth_year=2011)

    page = admin_client_a.get(reverse("admin:volunteers_peer_change", args=[peer.pk]))

    form = page.context["adminform"].form
    assert form["birth_year"].value() == 2011
    assert "Fødselsår" in page.content.decode()
