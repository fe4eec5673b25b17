"""Every status link we sent works until the registration ends or the person asks for a new
one (participants.status_links); asking says nothing about whether a contact is known."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Course
from groups.services import course_plan_sessions
from participants import services, status_links
from participants.models import Registration, StatusLink
from peerprogram.models import OutboxMessage
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import CourseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/tilmelding/[^/\s]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SENT = "Hvis vi kender adressen eller nummeret, sender vi et nyt link nu."


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(org_a):
    program = ProgramFactory(organisation=org_a, name="Håb", capacity=10)
    course = CourseFactory(
        program=program,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    return course


def register(course, capture, needs_review=False, **contact):
    with capture(execute=True):
        return services.registration_submit(
            course=course,
            request=services.RegistrationRequest(
                name="Rikke Rask",
                birth_date=datetime.date(1990, 1, 1),
                municipality="217",
                **contact,
            ),
            needs_review=needs_review,
            eligibility={"outcome": "eligible"},
        )


def links_in(texts):
    return [path for text in texts for path in LINK.findall(text)]


def sent_links():
    return links_in(
        [message.body for message in mail.outbox] + [sms["body"] for sms in LocmemSmsBackend.outbox]
    )


def page_text(url):
    """The page as a fresh visitor sees it, without its per-visit CSRF token."""
    return CSRF.sub("", Client().get(url).content.decode())


def ask_for_link(client, contact, capture):
    with capture(execute=True):
        return client.post(reverse("participants:status_link_request"), {"contact": contact})


def test_a_person_with_e_mail_and_sms_gets_two_links_and_both_open_the_status_page(
    course, client, django_capture_on_commit_callbacks
):
    register(
        course,
        django_capture_on_commit_callbacks,
        email="rikke@eksempel.dk",
        phone="20 30 40 50",
        sms_opt_in=True,
    )

    email_link, sms_link = links_in([mail.outbox[0].body, LocmemSmsBackend.outbox[0]["body"]])
    assert email_link != sms_link
    for path in (email_link, sms_link):
        page = client.get(path)
        assert page.status_code == 200
        assert "Din tilmelding" in page.content.decode()


def test_a_link_from_an_earlier_message_still_works_after_a_later_one(
    course, client, coordinator_a, django_capture_on_commit_callbacks
):
    registration = register(
        course, django_capture_on_commit_callbacks, needs_review=True, email="r@eksempel.dk"
    )
    (first,) = sent_links()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration, status="accepted", user=coordinator_a
        )
    later = sent_links()[1]

    assert later != first
    for path in (first, later):
        assert client.get(path).status_code == 200
    assert registration.status_links.count() == 2


@pytest.mark.parametrize("how", ["withdrawn", "declined", "course finished", "last session over"])
def test_the_link_of_an_ended_registration_shows_the_ended_page_with_whom_to_contact(
    course, client, how, django_capture_on_commit_callbacks
):
    registration = register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    (path,) = sent_links()
    if how in ("withdrawn", "declined"):
        Registration.objects.filter(pk=registration.pk).update(status=how)
    elif how == "course finished":
        Course.objects.filter(pk=course.pk).update(status=Course.Status.FINISHED)
    else:
        course.sessions.update(
            starts_at=timezone.now() - datetime.timedelta(days=2),
            ends_at=timezone.now() - datetime.timedelta(days=2, hours=-2),
        )

    page = client.get(path)

    assert page.status_code == 410
    html = page.content.decode()
    assert "Tilmeldingen er afsluttet" in html
    assert course.program.organisation.privacy_email in html
    assert "Rikke" not in html


def test_withdrawing_through_the_link_ends_it_and_says_so(
    course, client, django_capture_on_commit_callbacks
):
    register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    (path,) = sent_links()

    page = client.post(path, {"withdraw": "confirmed"}, follow=True)

    html = page.content.decode()
    assert "Du er nu frameldt" in html and "Tilmeldingen er afsluttet" in html


@pytest.mark.parametrize("typed", ["r@eksempel.dk", "R@Eksempel.dk", "20 30 40 50"])
def test_a_known_and_an_unknown_contact_get_the_identical_answer_and_only_the_known_a_link(
    course, django_capture_on_commit_callbacks, typed
):
    registration = register(
        course, django_capture_on_commit_callbacks, email="r@eksempel.dk", phone="+4520304050"
    )
    mail.outbox.clear()
    LocmemSmsBackend.outbox.clear()
    before = OutboxMessage.objects.count()

    unknown = ask_for_link(Client(), "nogen@andet.dk", django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == before
    known = ask_for_link(Client(), typed, django_capture_on_commit_callbacks)

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert unknown.status_code == 302
    assert page_text(unknown["Location"]) == page_text(known["Location"])
    assert SENT in Client().get(known["Location"]).content.decode()
    # The new link goes to every channel given: e-mail and SMS.
    messages = OutboxMessage.objects.filter(kind="status_link")
    assert sorted(m.channel for m in messages) == ["email", "sms"]
    assert {m.related_id for m in messages} == {registration.pk}
    message = messages.get(channel="email")
    assert message.subject == "Dit link" and "Håb" not in message.subject
    for path in sent_links():
        assert Client().get(path).status_code == 200


def test_old_links_stop_working_after_a_new_link_is_asked_for(
    course, client, django_capture_on_commit_callbacks
):
    register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    (old,) = sent_links()

    ask_for_link(client, "r@eksempel.dk", django_capture_on_commit_callbacks)

    old_page, new = client.get(old), sent_links()[-1]
    assert old_page.status_code == 404 and "Linket virker ikke" in old_page.content.decode()
    assert client.get(new).status_code == 200


def test_an_ended_registration_gets_no_new_link(course, django_capture_on_commit_callbacks):
    registration = register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    Registration.objects.filter(pk=registration.pk).update(status="withdrawn")

    assert status_links.status_links_renew(email="r@eksempel.dk") == 0
    assert not OutboxMessage.objects.filter(kind="status_link").exists()


def test_the_new_link_sms_names_no_programme(course, django_capture_on_commit_callbacks):
    register(course, django_capture_on_commit_callbacks, phone="20 30 40 50")
    LocmemSmsBackend.outbox.clear()

    ask_for_link(Client(), "+45 20 30 40 50", django_capture_on_commit_callbacks)

    (sms,) = LocmemSmsBackend.outbox
    assert sms["to"] == "+4520304050"
    assert "Håb" not in sms["body"] and "/tilmelding/" in sms["body"]


def test_too_many_requests_get_the_same_clear_danish_message_known_or_not(
    course, settings, django_capture_on_commit_callbacks
):
    register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    settings.STATUS_LINK_LIMIT_PER_CONTACT_HOUR = 1
    before = OutboxMessage.objects.count()

    ask_for_link(Client(), "r@eksempel.dk", django_capture_on_commit_callbacks)
    ask_for_link(Client(), "nogen@andet.dk", django_capture_on_commit_callbacks)
    limited = [
        ask_for_link(Client(), contact, django_capture_on_commit_callbacks)
        for contact in ("r@eksempel.dk", "nogen@andet.dk")
    ]

    assert [response.status_code for response in limited] == [429, 429]
    for response in limited:
        assert "Der er bedt om mange nye links på kort tid" in response.content.decode()
    assert OutboxMessage.objects.count() == before + 1


def test_one_address_asking_too_often_is_limited(course, settings):
    settings.STATUS_LINK_LIMIT_PER_IP_HOUR = 2
    client = Client()
    url = reverse("participants:status_link_request")
    codes = [client.post(url, {"contact": f"p{n}@eksempel.dk"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


@pytest.mark.parametrize("typed", ["", "1234", "٢٠٣٠٤٠٥٠", "ikke en adresse"])
def test_something_that_is_neither_e_mail_nor_mobile_gets_a_danish_message(course, typed):
    response = Client().post(reverse("participants:status_link_request"), {"contact": typed})

    assert response.status_code == 400
    assert "Tjek de markerede felter" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_filled_honeypot_sends_nothing(course, django_capture_on_commit_callbacks):
    register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    url = reverse("participants:status_link_request")

    response = Client().post(url, {"contact": "r@eksempel.dk", "website": "spam"})

    assert response.status_code == 400
    assert not OutboxMessage.objects.filter(kind="status_link").exists()


def test_the_unknown_link_page_and_the_status_page_offer_a_new_link(
    course, client, django_capture_on_commit_callbacks
):
    register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    (path,) = sent_links()
    action = reverse("participants:status_link_request")

    for page in (client.get("/tilmelding/ukendt/"), client.get(path)):
        assert f'action="{action}"' in page.content.decode()


def test_anonymising_deletes_the_links(course, django_capture_on_commit_callbacks):
    from participants.privacy import participant_anonymise

    registration = register(course, django_capture_on_commit_callbacks, email="r@eksempel.dk")
    (path,) = sent_links()

    participant_anonymise(registration.participant)

    assert not StatusLink.objects.exists()
    assert Client().get(path).status_code == 404
