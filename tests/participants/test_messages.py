"""What a person hears from us about their registration (issue #14, "What must show"):
registering through the public form with a phone only, an e-mail only, or both, in Danish
and in English, brings a confirmation on every channel given, in the form's language, whose
links all open the status page; the same for custody holders and for decisions. And the
texts say what a person needs: when and where, what happens next, whom to call."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import Phase
from groups.models import Course
from groups.reminders import session_recipients
from participants import course_messages, message_kinds, selectors, services
from participants.models import CustodyConfirmation, Registration
from peerprogram.models import OutboxMessage
from peerprogram.outbox.lock_screen import non_gsm7_characters, sms_segments
from peerprogram.outbox.services import PREVIEW_SECRET, message_deliver
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import (
    HelpContactFactory,
    ProgramFactory,
    RegistrationFactory,
    open_course,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def program(org_a):
    org_a.contact_name = "Mette Koordinator"
    org_a.contact_phone = "+4520304050"
    org_a.contact_email = "mette@lejre.eksempel.dk"
    org_a.save()
    return ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse",
        min_age=8,
        max_age=None,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 99}],
        reminder_hours=24,
    )


def sent_messages():
    """Everything delivered so far: (channel, address, subject, body)."""
    emails = [("email", m.to[0], m.subject, m.body) for m in mail.outbox]
    sms = [("sms", m["to"], "", m["body"]) for m in LocmemSmsBackend.outbox]
    return emails + sms


def links(body):
    return [link.rstrip(".,)") for link in LINK.findall(body)]


def opens_status_page(client, link, course):
    page = client.get(urlparse(link).path)
    return page.status_code == 200 and course.title in page.content.decode()


def switch_language(client, language):
    """As a visitor does: the language menu posts to Django's set_language view."""
    client.post(reverse("set_language"), {"language": language, "next": "/"})


ADULT = {"name": "Sofie Selv", "birth_date": "1990-01-01", "municipality": "217"}
CHANNELS = {
    "phone": {"phone": "20 30 40 51"},  # and no SMS tick
    "email": {"email": "sofie@eksempel.dk"},
    "both": {"phone": "20 30 40 51", "email": "sofie@eksempel.dk", "sms_opt_in": "on"},
    "both, no SMS tick": {"phone": "20 30 40 51", "email": "sofie@eksempel.dk"},
}
WORDS = {
    "da": ("Du har fået en plads", "You have a place"),
    "en": ("You have a place", "Du har fået en plads"),
}


def register(client, course, language, data, capture):
    switch_language(client, language)
    with capture(execute=True):
        response = client.post(reverse("participants:register", args=[course.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return Registration.objects.get(participant__name=data["name"])


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    "given",
    [
        "phone",
        "email",
        "both",
        "both, no SMS tick",
    ],
)
def test_registering_through_the_form_confirms_on_every_channel_given_in_its_language(
    program, client, django_capture_on_commit_callbacks, language, given
):
    course = open_course(program)
    registration = register(
        client, course, language, {**ADULT, **CHANNELS[given]}, django_capture_on_commit_callbacks
    )
    assert registration.language == language
    sent = sent_messages()
    expected = {"phone": ["sms"], "email": ["email"]}.get(given, ["email", "sms"])
    assert sorted(channel for channel, *_rest in sent) == sorted(expected)
    first = course.sessions.get(number=1)
    said, not_said = WORDS[language]
    for channel, _address, subject, body in sent:
        assert said in body and not_said not in body, body
        if channel == "sms":
            assert not non_gsm7_characters(body) and sms_segments(body) <= 2, body
        else:
            assert subject == said
            assert "Mette Koordinator" in body and "20 30 40 50" in body
            assert course.place in body
            assert str(timezone.localtime(first.starts_at).day) in body
    # Every link in every message opens the person's status page.
    found = [link for *_rest, body in sent for link in links(body)]
    assert len(found) == len(sent)
    assert all(opens_status_page(client, link, course) for link in found)


def test_the_confirmation_says_how_reminders_come(
    program, client, django_capture_on_commit_callbacks
):
    course = open_course(program)
    no_tick = {**ADULT, "name": "Bo Begge", "email": "bo@eksempel.dk", "phone": "20304052"}
    register(client, course, "da", no_tick, django_capture_on_commit_callbacks)
    ticked = {
        **ADULT,
        "name": "Tim Tick",
        "email": "tim@eksempel.dk",
        "phone": "20304053",
        "sms_opt_in": "on",
    }
    register(client, course, "da", ticked, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Dagen før hver gang får du en påmindelse på e-mail." in by_address["bo@eksempel.dk"]
    assert "påmindelse på e-mail og SMS." in by_address["tim@eksempel.dk"]


def test_the_waitlist_confirmation_gives_the_position_and_what_happens_when_a_seat_frees(
    program, django_capture_on_commit_callbacks
):
    course = open_course(program, capacity=1)
    RegistrationFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_submit(
            course=course,
            request=services.RegistrationRequest(
                name="Vera Venter",
                birth_date=datetime.date(1990, 1, 1),
                municipality="217",
                email="vera@eksempel.dk",
            ),
            needs_review=False,
            eligibility={},
        )
    (letter,) = mail.outbox
    assert letter.subject == "Du er på ventelisten"
    assert "du står som nummer 1 på ventelisten" in letter.body
    assert "Når det er din tur, skriver vi til dig med det samme, og så er pladsen din." in (
        letter.body
    )


def test_needing_a_conversation_says_a_coordinator_calls_and_when(
    program, django_capture_on_commit_callbacks
):
    course = open_course(program)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_submit(
            course=course,
            request=services.RegistrationRequest(
                name="Nina Snak",
                birth_date=datetime.date(1990, 1, 1),
                municipality="217",
                email="nina@eksempel.dk",
                phone="20304054",
            ),
            needs_review=True,
            eligibility={},
        )
    (letter,) = mail.outbox
    assert "Vi ringer til dig på det nummer, du gav os i god tid inden første gang" in letter.body
    assert "Mette Koordinator på 20 30 40 50" in letter.body


# --- Custody holders --------------------------------------------------------------------------

CHILD = {
    "name": "Lille Lise",
    # The form asks for a way to reach the child too; custody holders are asked on their own.
    "email": "familie@eksempel.dk",
    "birth_date": "2017-03-01",
    "municipality": "217",
    "guardian_name": "Forælder Lise",
    "guardian_consent": "on",
}
GUARDIAN_CHANNELS = {
    "phone": {"guardian_phone": "20 30 40 61"},
    "email": {"guardian_email": "foraelder@eksempel.dk"},
    "both": {"guardian_phone": "20 30 40 61", "guardian_email": "foraelder@eksempel.dk"},
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("given", ["phone", "email", "both"])
def test_a_custody_holder_is_asked_on_every_channel_given_and_every_link_opens_the_custody_page(
    program, client, django_capture_on_commit_callbacks, language, given
):
    course = open_course(program)
    register(
        client,
        course,
        language,
        {**CHILD, **GUARDIAN_CHANNELS[given]},
        django_capture_on_commit_callbacks,
    )
    sent = sent_messages()
    expected = {"phone": ["sms"], "email": ["email"], "both": ["email", "sms"]}[given]
    assert sorted(channel for channel, *_rest in sent) == expected
    said = {"da": "Forældremyndigheden skal bekræfte", "en": "The custody holder must confirm"}
    for channel, _address, subject, body in sent:
        if channel == "sms":
            assert said[language] in body
            assert not non_gsm7_characters(body) and sms_segments(body) <= 2, body
        else:
            assert "Lille Lise" in subject
    found = [link for *_rest, body in sent for link in links(body)]
    assert found
    for link in found:
        page = client.get(urlparse(link).path)
        assert page.status_code == 200 and "Lille Lise" in page.content.decode(), link


def test_custody_holders_hear_in_the_language_of_the_registration(program):
    course = open_course(program)
    registration = RegistrationFactory(
        course=course,
        language="en",
        guardian_name="Second Holder",
        second_guardian_name="Other Holder",
        second_guardian_email="other@eksempel.dk",
    )
    for holder in CustodyConfirmation.Holder.values:
        assert message_kinds.custody_holder(registration, holder).language == "en"


# --- Decisions --------------------------------------------------------------------------------


def _registration(course, language="da", **participant):
    return RegistrationFactory(
        course=course,
        language=language,
        status=Registration.Status.NEEDS_REVIEW,
        participant__name="Dorte Decided",
        participant__birth_date=datetime.date(1990, 1, 1),
        **{f"participant__{key}": value for key, value in participant.items()},
    )


@pytest.mark.parametrize(
    "given",
    [
        {"email": "dorte@eksempel.dk"},
        {"email": "", "phone": "20304055"},
        {"email": "dorte@eksempel.dk", "phone": "20304055", "sms_opt_in": True},
        {"email": "dorte@eksempel.dk", "phone": "20304055"},
    ],
)
def test_an_acceptance_reaches_every_channel_and_its_links_open_the_status_page(
    program, client, coordinator_a, django_capture_on_commit_callbacks, given
):
    course = open_course(program)
    registration = _registration(course, **given)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration, status="accepted", user=coordinator_a
        )
    sent = sent_messages()
    assert len(sent) == len([v for key, v in given.items() if v and key != "sms_opt_in"])
    for channel, _address, subject, body in sent:
        assert "Du har fået en plads" in body
        if channel == "email":
            assert subject == "Du har fået en plads"
            assert "Første gang for dig er " in body
    found = [link for *_rest, body in sent for link in links(body)]
    assert len(found) == len(sent)
    assert all(opens_status_page(client, link, course) for link in found)


def test_a_refusal_gives_the_message_other_courses_that_fit_the_contact_and_crisis_lines(
    program, client, coordinator_a, org_a, org_b, django_capture_on_commit_callbacks, settings
):
    HelpContactFactory(organisation=org_a, label="Livslinien", phone="70 20 12 01", order=2)
    course = open_course(program)
    registration = _registration(course, email="dorte@eksempel.dk")
    fitting = open_course(ProgramFactory(organisation=org_a, name="Sammen om hverdagen"))
    open_course(ProgramFactory(organisation=org_a, name="For unge", min_age=8, max_age=17))
    open_course(ProgramFactory(organisation=org_b, name="Andet sted"))
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration,
            status="declined",
            user=coordinator_a,
            note="Internt: passer ikke ind i gruppen nu.",
            message="Tak for snakken i dag. Vi tror, et andet forløb passer bedre til dig.",
        )
    (letter,) = mail.outbox
    body = letter.body
    assert letter.subject == "Svar på din tilmelding"
    assert "Vi har desværre ikke en plads til dig på Håb og selvbestemmelse" in body
    assert "Tak for snakken i dag." in body and "Internt" not in body
    assert "Sammen om hverdagen" in body
    assert settings.SITE_URL + f"/forloeb/{fitting.pk}/" in body
    assert "For unge" not in body and "Andet sted" not in body
    assert "Lejres akuttilbud: 11 22 33 44" in body and "Livslinien: 70 20 12 01" in body
    assert "ring 112" in body
    assert "Mette Koordinator på 20 30 40 50" in body
    # The registration has ended: no status link, and every link opens a course page.
    for link in links(body):
        assert client.get(urlparse(link).path).status_code == 200, link
    assert "/tilmelding/" not in body


def test_a_refusal_with_no_other_course_says_so_and_gives_the_contact(
    program, coordinator_a, django_capture_on_commit_callbacks
):
    registration = _registration(open_course(program), email="dorte@eksempel.dk")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration, status="declined", user=coordinator_a
        )
    (letter,) = mail.outbox
    assert "Vi har ikke et andet hold lige nu, der passer til dig." in letter.body
    assert "Ring eller skriv til Mette Koordinator" in letter.body


def test_a_refusal_by_sms_only_gives_the_contact_and_a_crisis_line(
    program, coordinator_a, django_capture_on_commit_callbacks
):
    registration = _registration(open_course(program), email="", phone="20304055")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration,
            status="declined",
            user=coordinator_a,
            message="Ring gerne, så finder vi noget andet.",
        )
    ((_channel, _to, _subject, body),) = sent_messages()
    assert body == (
        "Hej. Vi har desværre ikke en plads til dig denne gang. Ring gerne, så finder vi noget "
        "andet. Ring 20 30 40 50, så finder vi sammen noget, der passer. Brug for at tale med "
        "nogen nu? Ring 11 22 33 44."
    )


def test_a_decision_is_written_in_english_for_an_english_registration(
    program, coordinator_a, django_capture_on_commit_callbacks
):
    registration = _registration(open_course(program), language="en", email="dorte@eksempel.dk")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            registration=registration, status="declined", user=coordinator_a
        )
    (letter,) = mail.outbox
    assert letter.subject == "About your registration"
    assert "we do not have a place for you" in letter.body
    assert "If a life is in danger, call 112." in letter.body


def test_a_move_says_so_and_where_the_person_now_stands(
    program, coordinator_a, django_capture_on_commit_callbacks
):
    course = open_course(program)
    other = open_course(program, title="Forår, Roskilde")
    registration = _registration(course, email="dorte@eksempel.dk")
    registration.status = Registration.Status.ACCEPTED
    registration.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_move(registration=registration, course=other, user=coordinator_a)
    (letter,) = mail.outbox
    assert letter.subject == "Din tilmelding er flyttet"
    assert f"fra holdet {course.title} til holdet Forår, Roskilde" in letter.body
    assert "Du har fået en plads" in letter.body


def test_the_decision_preview_shows_the_message_the_decision_sends(program, coordinator_a):
    registration = _registration(open_course(program), email="dorte@eksempel.dk")
    (preview,) = services.registration_decision_preview(
        registration=registration, status="accepted", message="Velkommen!"
    )
    services.registration_decide(
        registration=registration, status="accepted", user=coordinator_a, message="Velkommen!"
    )
    message = OutboxMessage.objects.get(kind="registration_decision")
    message_deliver(message_id=message.pk)
    (letter,) = mail.outbox
    assert preview.subject == letter.subject
    assert preview.body == LINK.sub(PREVIEW_SECRET, letter.body)


# --- Promotion and withdrawal ------------------------------------------------------------------


def test_a_promotion_gives_the_date_and_time_of_the_first_session_ahead(
    program, coordinator_a, django_capture_on_commit_callbacks
):
    course = open_course(program, capacity=1)
    seated = RegistrationFactory(course=course)
    waiting = _registration(course, email="dorte@eksempel.dk")
    waiting.status, waiting.waitlist_position = Registration.Status.WAITLISTED, 1
    waiting.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_withdraw(registration=seated)
    (letter,) = [m for m in mail.outbox if m.to == ["dorte@eksempel.dk"]]
    assert letter.subject == "Du har fået en plads"
    first = timezone.localtime(course.sessions.get(number=1).starts_at)
    assert f"kl. {first:%H.%M}" in letter.body
    assert "og den er din" in letter.body


def test_withdrawing_on_the_status_page_sends_a_receipt_once(
    program, client, django_capture_on_commit_callbacks
):
    course = open_course(program)
    register(
        client,
        course,
        "da",
        {**ADULT, "email": "sofie@eksempel.dk"},
        django_capture_on_commit_callbacks,
    )
    ((_channel, _to, _subject, body),) = sent_messages()
    (status_link,) = links(body)
    mail.outbox.clear()
    path = urlparse(status_link).path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"withdraw": "confirmed"})
        client.post(path, {"withdraw": "confirmed"})
    (receipt,) = mail.outbox
    assert receipt.subject == "Du er frameldt"
    assert "Vi har fået din framelding" in receipt.body
    assert "Din plads går nu videre til den næste på ventelisten." in receipt.body
    assert "Du er altid velkommen til at tilmelde dig igen" in receipt.body
    assert "Mette Koordinator på 20 30 40 50" in receipt.body
    (course_link,) = links(receipt.body)
    assert client.get(urlparse(course_link).path).status_code == 200
    assert OutboxMessage.objects.filter(kind="registration_withdrawn").count() == 1


def test_a_withdrawal_by_phone_only_gets_the_receipt_by_sms(
    program, client, django_capture_on_commit_callbacks
):
    course = open_course(program)
    registration = _registration(course, email="", phone="20304055")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_withdraw(registration=registration)
    ((channel, _to, _subject, body),) = sent_messages()
    assert channel == "sms" and body.startswith("Hej. Vi har fået din framelding.")


# --- Who hears in which language -----------------------------------------------------------


def test_session_reminders_go_in_the_language_of_the_registration(program):
    course = open_course(program)
    RegistrationFactory(course=course, language="en")
    session = course.sessions.get(number=1)
    (recipient,) = session_recipients([session])[session.pk]
    assert recipient.language == "en"


def test_the_evaluation_invitation_is_written_in_the_registrations_language(
    org_a, django_capture_on_commit_callbacks
):
    course = open_course(ProgramFactory(organisation=org_a))
    course.status = Course.Status.RUNNING
    course.save()
    RegistrationFactory(course=course, language="en", participant__email="eva@eksempel.dk")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.invitations_send(course=course, phase=Phase.AFTER)
    (letter,) = mail.outbox
    assert letter.subject == "How did it go?"
    assert "Your answers are stored without your name" in letter.body


# --- Other courses that fit ---------------------------------------------------------------------


def test_other_courses_that_fit_are_open_in_the_same_organisation_and_fit_the_age(
    program, org_a, org_b
):
    course = open_course(program)
    later = [open_course(program) for _ in range(4)]
    for index, other in enumerate(later):
        other.first_date = course.first_date + datetime.timedelta(days=index + 1)
        other.save()
    children = open_course(ProgramFactory(organisation=org_a, min_age=8, max_age=17))
    narrowed = open_course(program, min_age=8, max_age=12)
    open_course(ProgramFactory(organisation=org_b))
    draft = open_course(program)
    draft.status = Course.Status.DRAFT
    draft.save()
    found = selectors.courses_fitting_instead(course=course, birth_date=datetime.date(1990, 1, 1))
    assert found == later[:3]
    assert children not in found and narrowed not in found
    child = selectors.courses_fitting_instead(course=course, birth_date=datetime.date(2016, 1, 1))
    assert children in child and narrowed in child


# --- A coordinator's message to a course -----------------------------------------------------


def _course_with(program, **participant):
    course = open_course(program)
    RegistrationFactory(
        course=course, status=Registration.Status.ACCEPTED, participant__name="Bo", **participant
    )
    return course


def _preview_sms(course, body):
    _recipients, previews = course_messages.course_message_preview(
        course=course, body=body, to_participants=True, to_waitlist=False, to_facilitators=False
    )
    return [preview.body for preview in previews if preview.channel == "sms"]


def test_a_short_course_message_goes_in_the_sms_in_plain_characters(program):
    course = _course_with(program, participant__email="", participant__phone="20304056")
    assert _preview_sms(course, "Vi ses i “lokale 2” – husk kaffe…") == [
        'Hej. Besked fra din gruppe: Vi ses i "lokale 2" - husk kaffe...'
    ]


def test_a_long_course_message_is_announced_by_sms_and_the_preview_shows_it(
    program, django_capture_on_commit_callbacks, coordinator_a
):
    long_body = "Vi mødes et andet sted i næste uge, og her er vejen dertil. " * 8
    no_email = _course_with(program, participant__email="", participant__phone="20304056")
    (previewed,) = _preview_sms(no_email, long_body)
    assert previewed == (
        "Hej. Der er en ny besked til dig fra din gruppe, men den er for lang til en SMS. "
        "Ring til Mette Koordinator på 20 30 40 50, så fortæller vi dig, hvad der står."
    )
    with django_capture_on_commit_callbacks(execute=True):
        course_messages.course_message_send(
            course=no_email,
            body=long_body,
            to_participants=True,
            to_waitlist=False,
            to_facilitators=False,
            user=coordinator_a,
        )
    ((_channel, _to, _subject, sent),) = sent_messages()
    assert sent == previewed and sms_segments(sent) <= 2

    both = _course_with(
        program,
        participant__email="bo@eksempel.dk",
        participant__phone="20304057",
        participant__sms_opt_in=True,
    )
    assert _preview_sms(both, long_body) == [
        "Hej. Der er en ny besked til dig fra din gruppe. Du kan læse den i din e-mail."
    ]
