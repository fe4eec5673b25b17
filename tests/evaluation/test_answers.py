"""Answers that cannot be traced to anyone, and one-time links."""

import datetime
import logging
import threading

import pytest
from django.core import mail
from django.db import connection, models
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.instruments import WHO5_NAME
from evaluation.models import Invitation, InvitationCount, Phase, Questionnaire, Response
from groups.services import course_plan_sessions
from peerprogram.logging import redact_secrets
from peerprogram.models import OutboxMessage
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_course(org_a):
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
        first_date=timezone.localdate() - datetime.timedelta(weeks=11),
        status="finished",
    )
    course_plan_sessions(course=course)
    for n in range(6):
        RegistrationFactory(course=course, participant__name=f"Deltager{n} Efternavn")
    return course


def links_from_mail():
    return [
        "/" + message.body.split("http://", 1)[1].split("/", 1)[1].split()[0]
        for message in mail.outbox
    ]


def answer_all(client, links):
    for n, link in enumerate(links):
        page = client.get(link)
        form = page.context["form"]
        data = {}
        for _questionnaire, fields in form.sections():
            for field in fields:
                if getattr(field.field.widget, "input_type", "") == "radio":
                    data[field.html_name] = str(field.field.choices[n % 3][0])
                else:
                    data[field.html_name] = f"Godt forløb {n}"
        assert client.post(link, data).status_code == 302


def test_six_answers_leave_nothing_that_connects_them_to_anyone(
    finished_course, client, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(course=finished_course, phase=Phase.AFTER) == 6
    links = links_from_mail()
    assert len(links) == 6
    answer_all(client, links)

    responses = list(Response.objects.all())
    assert len(responses) >= 6
    # The schema: a response holds the course, phase, questionnaire, week and answers only.
    fields = {field.name for field in Response._meta.get_fields()}
    assert fields == {"id", "course", "phase", "questionnaire", "iso_week", "answers"}
    assert {field.name for field in Invitation._meta.get_fields()} == {
        "id",
        "course",
        "phase",
        "token_hash",
    }
    # The rows: no names, contacts or tokens anywhere in the stored answers or invitations.
    tokens = [link.rstrip("/").rsplit("/", 1)[-1] for link in links]
    stored = " ".join(str(r.answers) + r.iso_week for r in responses)
    stored += " ".join(i.token_hash for i in Invitation.objects.all())
    for n in range(6):
        assert f"Deltager{n}" not in stored
    for token in tokens:
        assert token not in stored
        assert not any(token in m.body + str(m.context) for m in OutboxMessage.objects.all())
        assert token not in caplog.text
    assert all(len(r.iso_week) == 8 and "-W" in r.iso_week for r in responses)
    # Used invitations are deleted, not marked; the reports still count them as invited.
    assert not Invitation.objects.exists()
    assert InvitationCount.objects.get(course=finished_course, phase=Phase.AFTER).issued == 6


def test_nothing_stored_tells_which_recipient_answered(
    finished_course, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(course=finished_course, phase=Phase.AFTER)
    invitations_before = set(Invitation.objects.values_list("id", "token_hash"))
    answer_all(client, links_from_mail()[2:3])

    # The one used invitation is gone; what is left has no recipient, time, order or mark.
    invitations = Invitation.objects.all()
    assert len(invitations) == 5
    assert {(i.id, i.token_hash) for i in invitations} < invitations_before
    fields = {field.name: field for field in Invitation._meta.get_fields()}
    assert set(fields) == {"id", "course", "phase", "token_hash"}
    assert isinstance(fields["id"], models.UUIDField)
    assert all(invitation.id.version == 4 for invitation in invitations)
    # The messages name the recipients and point to the course, never to an invitation.
    stored = {str(value) for pair in invitations_before for value in pair}
    for message in OutboxMessage.objects.filter(kind="evaluation_invitation"):
        assert set(message.context) == {"program", "organisation", "phase", "after", "contact"}
        assert message.related_object == finished_course
        row = " ".join(str(value) for value in model_to_dict(message).values())
        assert not any(value in row + message.subject + message.body for value in stored)


def test_a_person_with_email_and_sms_gets_one_link_per_phase_and_answers_once(
    finished_course, client, django_capture_on_commit_callbacks
):
    LocmemSmsBackend.outbox.clear()
    finished_course.registrations.exclude(participant__name="Deltager0 Efternavn").delete()
    participant = finished_course.registrations.get().participant
    participant.phone = "20304050"
    participant.sms_opt_in = True
    participant.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(course=finished_course, phase=Phase.AFTER) == 1
    # The e-mail address changes to nothing: the sweep must not send the link again by SMS.
    participant.email = ""
    participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(course=finished_course, phase=Phase.AFTER) == 0

    assert len(mail.outbox) == 1 and LocmemSmsBackend.outbox == []
    assert Invitation.objects.count() == 1
    (link,) = links_from_mail()
    answer_all(client, [link])
    assert client.get(link).status_code == 404
    assert Response.objects.filter(questionnaire__name=WHO5_NAME).count() == 1


def test_a_link_works_once(finished_course, client):
    token = services.invitation_create(course_id=finished_course.pk, phase=Phase.BEFORE)
    url = reverse("evaluation:answer", args=[token])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    again = client.get(url)
    assert again.status_code == 404 and "Linket virker ikke" in again.content.decode()
    assert client.get(reverse("evaluation:answer", args=["made-up"])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_store_one_answer(finished_course):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent transactions need PostgreSQL")
    token = services.invitation_create(course_id=finished_course.pk, phase=Phase.AFTER)
    # Transactional tests start from empty tables, without the shipped templates.
    questionnaire_id = Questionnaire.objects.create(name="Kort skema").pk
    start = threading.Barrier(2)
    results = []

    def submit():
        start.wait()
        results.append(services.response_submit(token=token, answers={questionnaire_id: {"1": 3}}))
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert Response.objects.count() == 1


def test_the_page_says_what_is_stored_and_asks_for_no_names(finished_course, client):
    token = services.invitation_create(course_id=finished_course.pk, phase=Phase.AFTER)
    html = client.get(reverse("evaluation:answer", args=[token])).content.decode()
    assert "ikke dit navn" in html and "Skriv derfor ikke navne" in html
    assert "I de sidste 2 uger har jeg været glad og i godt humør" in html


@pytest.mark.parametrize(
    "path",
    [
        "/evaluation/abcDEF123_-x/",
        "/tilmelding/abcDEF123_-x/",
        "/peer/calendar/abcDEF123_-x.ics",
        "/reset/MQ/abcDEF123_-x/",
    ],
)
def test_logs_never_show_a_secret_link(path):
    assert "abcDEF123" not in redact_secrets(f'"GET {path} HTTP/1.1" 200')
