"""Decisions on a registration in the workspace: the form with an internal note and a message
to the citizen, a preview of exactly what they get, then one message; refusals with the
reason, the form filled in and nothing changed; and one write path (the services)."""

import pytest
from django.core import mail
from django.urls import reverse

from groups.models import Course
from participants import services
from participants.models import Registration
from peerprogram.models import OutboxMessage
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.conftest import log_in
from tests.factories import ProgramFactory, RegistrationFactory, open_course

pytestmark = pytest.mark.django_db

MESSAGE = "Vi ses tirsdag kl. 10 i Medborgerhuset. Spørg efter Dorte."
NOTE = "Talte med hende i telefonen 12.01."


@pytest.fixture
def course(program_a):
    return open_course(program_a, capacity=2, title="Forår, Lejre")


@pytest.fixture
def review(course):
    return RegistrationFactory(
        course=course,
        status="needs_review",
        participant__name="Xylofonia Hansen",
        participant__email="xylofonia@eksempel.dk",
    )


@pytest.fixture
def coordinator(client, coordinator_a):
    return log_in(client, coordinator_a)


def decision_url(registration, decision):
    return reverse("workspace:registration_decision", args=[registration.pk, decision])


def post(client, registration, decision, step, **data):
    return client.post(
        decision_url(registration, decision),
        {"step": step, "note": NOTE, "message": MESSAGE, **data},
    )


def told(registration):
    return OutboxMessage.objects.filter(related_id=registration.pk, kind="registration_decision")


def unchanged(registration, status="needs_review"):
    registration.refresh_from_db()
    assert registration.status == status
    assert registration.decided_by is None and registration.decision_message == ""
    assert not told(registration).exists()


def test_the_decision_form_asks_for_an_internal_note_and_a_message_to_the_citizen(
    coordinator, review
):
    html = coordinator.get(decision_url(review, "optag")).content.decode()
    assert "Intern note" in html and "Sendes aldrig" in html
    assert "Besked til borgeren" in html
    assert "Se beskeden til borgeren" in html


def test_the_preview_shows_the_message_and_changes_nothing(coordinator, review):
    response = post(coordinator, review, "optag", "preview")
    html = response.content.decode()
    assert "Det får borgeren" in html
    assert "E-mail til Xylofonia Hansen (xylofonia@eksempel.dk)" in html
    assert "Du har fået en plads på Vejen til Hverdagslivet" in html
    assert MESSAGE in html
    assert "[personligt link]" in html
    assert "Send og gem" in html
    unchanged(review)


def test_send_and_save_accepts_records_who_and_tells_the_person_once(
    coordinator, coordinator_a, review
):
    response = post(coordinator, review, "optag", "confirm")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:registration", args=[review.pk])
    review.refresh_from_db()
    assert review.status == "accepted"
    assert review.decided_by == coordinator_a and review.decided_at
    assert (review.decision_note, review.decision_message) == (NOTE, MESSAGE)
    [message] = told(review)
    assert message.channel == "email" and message.context["message"] == MESSAGE
    assert OutboxMessage.objects.count() == 1
    page = coordinator.get(response["Location"]).content.decode()
    assert "Beslutningen er gemt, og Xylofonia Hansen får besked." in page


def test_the_person_gets_exactly_what_the_preview_showed(
    coordinator, review, django_capture_on_commit_callbacks
):
    html = post(coordinator, review, "optag", "preview").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post(coordinator, review, "optag", "confirm")
    [sent] = mail.outbox
    assert sent.subject in html
    link = next(line for line in sent.body.splitlines() if line.startswith("http"))
    previewed = sent.body.replace(link, "[personligt link]")
    for line in previewed.splitlines():
        assert line in html  # the preview shows every line of what was sent
    assert MESSAGE in sent.body
    assert NOTE not in sent.body  # the internal note is never sent


def test_an_sms_only_person_gets_the_message_by_sms_and_the_preview_shows_it(
    coordinator, course, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        course=course, status="needs_review", participant__email="", participant__phone="20304050"
    )
    html = post(coordinator, registration, "optag", "preview").content.decode()
    assert "SMS til" in html and MESSAGE in html
    with django_capture_on_commit_callbacks(execute=True):
        post(coordinator, registration, "optag", "confirm")
    [sms] = LocmemSmsBackend.outbox
    assert MESSAGE in sms["body"]


def test_the_message_is_left_out_when_the_coordinator_writes_none(
    coordinator, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            decision_url(review, "afvis"), {"step": "confirm", "note": "", "message": ""}
        )
    [sent] = mail.outbox
    assert "Vi har desværre ikke en plads til dig" in sent.body
    assert "\n\n\n" not in sent.body


def test_accepting_into_a_full_course_is_refused_with_the_reason(coordinator, review, course):
    RegistrationFactory.create_batch(2, course=course, status="accepted")
    for step in ["preview", "confirm"]:
        html = post(coordinator, review, "optag", step).content.decode()
        assert "Forløbet er fuldt (2 pladser). Sæt personen på venteliste." in html
        assert MESSAGE in html and NOTE in html  # the form comes back filled in
        unchanged(review)


def test_the_waitlist_is_refused_while_there_are_free_seats(coordinator, review):
    for step in ["preview", "confirm"]:
        html = post(coordinator, review, "venteliste", step).content.decode()
        assert "Der er ledige pladser. Optag personen i stedet." in html
        assert MESSAGE in html
        unchanged(review)


def test_an_accepted_person_is_not_put_on_the_waitlist_to_be_promoted_at_once(coordinator, course):
    seated = RegistrationFactory(course=course, status="accepted")
    html = post(coordinator, seated, "venteliste", "confirm").content.decode()
    assert "Der er ledige pladser. Optag personen i stedet." in html
    seated.refresh_from_db()
    assert (seated.status, seated.waitlist_position) == ("accepted", None)
    assert not told(seated).exists()


def test_the_waitlist_is_taken_when_the_course_is_full(coordinator, review, course):
    RegistrationFactory.create_batch(2, course=course, status="accepted")
    assert post(coordinator, review, "venteliste", "confirm").status_code == 302
    review.refresh_from_db()
    assert (review.status, review.waitlist_position) == ("waitlisted", 1)
    assert told(review).count() == 1


def test_a_withdrawn_registration_can_no_longer_be_decided(coordinator, course):
    withdrawn = RegistrationFactory(course=course, status="withdrawn")
    html = post(coordinator, withdrawn, "afvis", "confirm").content.decode()
    assert "Tilmeldingen har status »Frameldt«, så den kan ikke længere ændres." in html
    unchanged(withdrawn, status="withdrawn")
    page = coordinator.get(reverse("workspace:registration", args=[withdrawn.pk])).content
    assert decision_url(withdrawn, "afvis").encode() not in page


def test_another_organisations_coordinator_gets_404_and_nothing_changes(
    client, coordinator_b, review
):
    log_in(client, coordinator_b)
    for step in ["preview", "confirm"]:
        assert post(client, review, "optag", step).status_code == 404
    unchanged(review)


def test_an_unknown_decision_is_not_found(coordinator, review):
    assert coordinator.get(decision_url(review, "slet")).status_code == 404


def test_moving_offers_only_the_programmes_open_courses_and_tells_the_person_once(
    coordinator, course, org_b
):
    seated = RegistrationFactory(course=course, status="accepted")
    other = open_course(course.program, title="Efterår, Lejre")
    open_course(ProgramFactory(organisation=course.program.organisation), title="Andet program")
    open_course(ProgramFactory(organisation=org_b), title="Hillerøds hold")
    form = coordinator.get(decision_url(seated, "flyt")).content.decode()
    assert "Efterår, Lejre" in form
    assert "Andet program" not in form and "Hillerøds hold" not in form
    preview = post(coordinator, seated, "flyt", "preview", course=other.pk).content.decode()
    assert "Efterår, Lejre" in preview and MESSAGE in preview
    seated.refresh_from_db()
    assert seated.course == course
    assert post(coordinator, seated, "flyt", "confirm", course=other.pk).status_code == 302
    seated.refresh_from_db()
    assert (seated.course, seated.status) == (other, "accepted")
    assert seated.decision_message == MESSAGE
    assert told(seated).count() == 1


def test_a_move_to_another_organisations_course_is_refused(coordinator, course, org_b):
    seated = RegistrationFactory(course=course, status="accepted")
    foreign = open_course(ProgramFactory(organisation=org_b), title="Hillerøds hold")
    for step in ["preview", "confirm"]:
        html = post(coordinator, seated, "flyt", step, course=foreign.pk).content.decode()
        assert "Vælg et af programmets andre forløb, der tager imod tilmeldinger." in html
        assert MESSAGE in html
    seated.refresh_from_db()
    assert seated.course == course and not told(seated).exists()


def test_the_service_refuses_a_move_to_another_organisations_course(course, org_b, coordinator_a):
    seated = RegistrationFactory(course=course, status="accepted")
    foreign = open_course(ProgramFactory(organisation=org_b))
    with pytest.raises(services.ValidationError, match="samme organisation"):
        services.registration_move(registration=seated, course=foreign, user=coordinator_a)
    seated.refresh_from_db()
    assert seated.course == course


# One write path ---------------------------------------------------------------------------


@pytest.fixture
def calls(monkeypatch):
    """Record the calls of a service in its home module (it still runs)."""
    seen = []

    def wrap(name):
        original = getattr(services, name)

        def wrapper(**kwargs):
            seen.append(name)
            return original(**kwargs)

        monkeypatch.setattr(services, name, wrapper)

    wrap("registration_decide")
    wrap("registration_move")
    return seen


def test_a_workspace_decision_calls_the_service_once(coordinator, review, calls):
    post(coordinator, review, "optag", "preview")
    assert calls == []
    post(coordinator, review, "optag", "confirm")
    assert calls == ["registration_decide"]


def test_a_workspace_move_calls_the_service_once(coordinator, course, calls):
    seated = RegistrationFactory(course=course, status="accepted")
    other = open_course(course.program)
    post(coordinator, seated, "flyt", "confirm", course=other.pk)
    assert calls == ["registration_move"]


def test_the_admin_actions_call_the_services_once(client, coordinator_a, course, calls):
    log_in(client, coordinator_a)
    review = RegistrationFactory(course=course, status="needs_review")
    url = reverse("admin:participants_registration_changelist")
    client.post(url, {"action": "accept", "_selected_action": [review.pk], "apply": "1"})
    assert calls == ["registration_decide"]
    other = open_course(course.program)
    client.post(
        url,
        {"action": "move", "_selected_action": [review.pk], "apply": "1", "course": other.pk},
    )
    assert calls == ["registration_decide", "registration_move"]
    review.refresh_from_db()
    assert review.course == other


def test_the_service_refuses_accepting_into_a_full_course(course, coordinator_a):
    RegistrationFactory.create_batch(2, course=course, status="accepted")
    review = RegistrationFactory(course=course, status="needs_review")
    with pytest.raises(services.ValidationError, match="Forløbet er fuldt"):
        services.registration_decide(
            registration=review, status=Registration.Status.ACCEPTED, user=coordinator_a
        )
    assert Course.objects.get(pk=course.pk).registrations.holding_a_seat().count() == 2
