"""Every public page that used to say "kontakt os" names whom to ask and how
(peerprogram.contacts.contact_for, shown by {% contact_card %})."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import Phase
from groups.models import Course
from groups.services import course_plan_sessions
from participants.models import CustodyConfirmation, Registration, StatusLink
from peerprogram.models import Organisation
from peerprogram.tokens import token_hash
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory, UserFactory
from tests.volunteers.factories import CourseFacilitatorFactory, PeerFactory

pytestmark = pytest.mark.django_db

ORG_CONTACT = {
    "contact_name": "Mette, koordinator",
    "contact_phone": "+4520304050",
    "contact_email": "mette@lejre.eksempel.dk",
}
PROGRAM_CONTACT = {
    "contact_name": "Familiehuset",
    "contact_phone": "",
    "contact_email": "familiehuset@lejre.eksempel.dk",
}


def with_contact(organisation, **fields):
    Organisation.objects.filter(pk=organisation.pk).update(**(fields or ORG_CONTACT))
    organisation.refresh_from_db()
    return organisation


def shows_org_contact(html: str) -> bool:
    return (
        "Kontakt" in html
        and "Mette, koordinator" in html
        and 'href="tel:+4520304050"' in html
        and "20 30 40 50" in html
        and 'href="mailto:mette@lejre.eksempel.dk"' in html
    )


def open_course(program, **extra):
    course = CourseFactory(program=program, status=Course.Status.OPEN, **extra)
    course_plan_sessions(course=course)
    return course


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# The rule: programme first, then the organisation, then its privacy contact.


def test_a_programmes_own_contact_wins_over_the_organisations(client, org_a):
    with_contact(org_a)
    program = ProgramFactory(organisation=org_a, **PROGRAM_CONTACT)
    html = get(client, reverse("participants:course", args=[open_course(program).pk]))
    assert "Familiehuset" in html and 'href="mailto:familiehuset@lejre.eksempel.dk"' in html
    assert "Mette, koordinator" not in html


def test_an_organisation_without_a_contact_shows_its_privacy_contact(client, org_a):
    course = open_course(ProgramFactory(organisation=org_a))
    html = get(client, reverse("participants:course", args=[course.pk]))
    assert "Kontakt" in html and org_a.privacy_contact in html
    assert f'href="mailto:{org_a.privacy_email}"' in html


def test_an_invented_contact_is_marked_as_an_example(client, org_a):
    with_contact(org_a, **ORG_CONTACT, contact_is_example=True)
    course = open_course(ProgramFactory(organisation=org_a))
    html = get(client, reverse("participants:course", args=[course.pk]))
    card = html.split('<address class="contact-card', 1)[1].split("</address>", 1)[0]
    assert "Mette, koordinator" in card and ">Eksempel</span>" in card

    program = ProgramFactory(
        organisation=org_a, name="Eget", **PROGRAM_CONTACT, example_fields=["contact_name"]
    )
    html = get(client, reverse("participants:course", args=[open_course(program).pk]))
    card = html.split('<address class="contact-card', 1)[1].split("</address>", 1)[0]
    assert "Familiehuset" in card and ">Eksempel</span>" in card


def test_a_real_contact_carries_no_example_mark(client, org_a):
    with_contact(org_a)
    course = open_course(ProgramFactory(organisation=org_a))
    html = get(client, reverse("participants:course", args=[course.pk]))
    card = html.split('<address class="contact-card', 1)[1].split("</address>", 1)[0]
    assert "Eksempel" not in card


# The pages.


def test_the_organisation_page_shows_the_contact(client, org_a):
    with_contact(org_a)
    assert shows_org_contact(get(client, reverse("organisation", args=[org_a.slug])))


def test_the_course_page_shows_the_contact(client, org_a):
    with_contact(org_a)
    course = open_course(ProgramFactory(organisation=org_a))
    assert shows_org_contact(get(client, reverse("participants:course", args=[course.pk])))


def test_a_not_eligible_answer_says_whom_to_ask(client, org_a):
    with_contact(org_a)
    program = ProgramFactory(
        organisation=org_a, eligibility_rules=[{"rule": "min_age", "value": 18}]
    )
    course = open_course(program)
    fifteen = course.first_date.replace(year=course.first_date.year - 15)
    response = client.post(
        reverse("participants:register", args=[course.pk]),
        {
            "name": "Ung",
            "email": "ung@eksempel.dk",
            "birth_date": fifteen.isoformat(),
            "municipality": "350",
        },
    )
    assert response.context["not_eligible"]
    section = response.content.decode().split('id="not-eligible-heading"', 1)[1]
    assert shows_org_contact(section.split("</section>", 1)[0])


def test_a_closed_registration_offers_the_next_course_and_the_contact(client, org_a):
    with_contact(org_a)
    program = ProgramFactory(organisation=org_a)
    closed = open_course(program, title="Aflyst hold")
    Course.objects.filter(pk=closed.pk).update(status=Course.Status.CANCELLED)
    later = open_course(
        program, title="Næste hold", first_date=closed.first_date + datetime.timedelta(weeks=4)
    )
    html = get(client, reverse("participants:register", args=[closed.pk]), status=410)
    assert "Tilmeldingen er lukket" in html
    assert reverse("participants:course", args=[later.pk]) in html
    assert "Se det næste hold: Næste hold" in html
    assert shows_org_contact(html)


def test_the_status_page_shows_the_contact(client, org_a):
    with_contact(org_a)
    registration = RegistrationFactory(course=open_course(ProgramFactory(organisation=org_a)))
    StatusLink.objects.create(registration=registration, token_hash=token_hash("tok"))
    assert shows_org_contact(get(client, reverse("participants:status", args=["tok"])))


def test_an_unknown_status_link_points_to_the_organisations_pages(client, org_a, org_b):
    with_contact(org_a)
    html = get(client, reverse("participants:status", args=["ukendt"]), status=404)
    main = html.split('id="main"', 1)[1].split("<footer", 1)[0]
    assert reverse("organisation", args=[org_a.slug]) in main
    assert reverse("organisation", args=[org_b.slug]) in main
    # Nothing tells which organisation the link belonged to.
    assert "Mette, koordinator" not in html


def custody_url(client, org_a, *, confirmed=False, hold_until=None):
    child = RegistrationFactory(
        course=open_course(ProgramFactory(organisation=org_a, min_age=8, max_age=18)),
        status=Registration.Status.AWAITING_CUSTODY,
        hold_until=hold_until or timezone.now() + datetime.timedelta(days=2),
    )
    CustodyConfirmation.objects.create(
        registration=child,
        holder=CustodyConfirmation.Holder.FIRST,
        token_hash=token_hash("samtykke"),
        confirmed_at=timezone.now() if confirmed else None,
    )
    return reverse("participants:custody", kwargs={"pk": child.pk, "token": "samtykke"})


@pytest.mark.parametrize(
    ("case", "status", "heading"),
    [
        ({}, 200, "Bekræft tilmeldingen"),
        ({"confirmed": True}, 200, "Tilmeldingen er allerede bekræftet"),
        (
            {"hold_until": timezone.now() - datetime.timedelta(minutes=1)},
            410,
            "Pladsen er givet videre",
        ),
    ],
    ids=["confirm", "done", "released"],
)
def test_the_custody_pages_show_the_contact(client, org_a, case, status, heading):
    with_contact(org_a)
    html = get(client, custody_url(client, org_a, **case), status=status)
    assert heading in html
    assert shows_org_contact(html)
    assert "kontakt os" not in html


@pytest.fixture
def finished_course(org_a):
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a),
        first_date=timezone.localdate() - datetime.timedelta(weeks=11),
        status="finished",
    )
    course_plan_sessions(course=course)
    return course


def test_a_used_evaluation_link_points_to_the_organisations_pages(client, org_a, finished_course):
    with_contact(org_a)
    token = evaluation_services.invitation_create(course_id=finished_course.pk, phase=Phase.BEFORE)
    url = reverse("evaluation:answer", args=[token])
    assert client.post(url, {}).status_code == 302
    html = get(client, url, status=404)
    assert "kontakt os" not in html
    main = html.split('id="main"', 1)[1].split("<footer", 1)[0]
    assert reverse("organisation", args=[org_a.slug]) in main


def test_an_evaluation_answered_meanwhile_shows_the_courses_contact(
    client, org_a, finished_course, monkeypatch
):
    with_contact(org_a)
    token = evaluation_services.invitation_create(course_id=finished_course.pk, phase=Phase.BEFORE)
    monkeypatch.setattr(evaluation_services, "response_submit", lambda **kwargs: False)
    response = client.post(reverse("evaluation:answer", args=[token]), {})
    assert response.status_code == 404
    assert shows_org_contact(response.content.decode())


def test_the_peer_portal_says_how_to_reach_the_coordinator(client, org_a):
    with_contact(org_a)
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.kontakt"))
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a),
        status="running",
        first_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    course_plan_sessions(course=course)
    CourseFacilitatorFactory(course=course, peer=peer)
    client.force_login(peer.user)
    html = get(client, reverse("volunteers:session", args=[course.sessions.get(number=1).pk]))
    assert "Kontakt din koordinator" in html
    assert shows_org_contact(html)


def test_the_consent_help_text_says_whom_to_ask_to_withdraw_it(client, org_a):
    with_contact(org_a, **ORG_CONTACT, data_protection_basis="consent")
    html = get(client, reverse("volunteers:contact_request", args=[org_a.slug]))
    assert "trække dit samtykke tilbage ved at kontakte Mette, koordinator" in html
    assert "20 30 40 50" in html and "mette@lejre.eksempel.dk" in html


def test_the_organisation_page_keeps_its_query_count_as_programmes_grow(
    client, org_a, django_assert_max_num_queries
):
    with_contact(org_a)
    url = reverse("organisation", args=[org_a.slug])
    ProgramFactory.create_batch(2, organisation=org_a, **PROGRAM_CONTACT)
    with django_assert_max_num_queries(4):
        assert shows_org_contact(get(client, url))
    ProgramFactory.create_batch(15, organisation=org_a, **PROGRAM_CONTACT)
    with django_assert_max_num_queries(4):
        assert shows_org_contact(get(client, url))
