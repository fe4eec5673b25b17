"""What participants and facilitators get about their sessions: the reminder and the notices of
a change, in the language they registered in, with the old and the new time, the
coordinator's reason for a cancellation, and whom to call; and a reminder sweep whose queries
do not grow with the number of sessions."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import reminders, services
from groups.message_kinds import SMS_REASON_MAX
from groups.models import Course, Session
from peerprogram.models import OutboxMessage
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import (
    CourseFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=TZ)
FIRST = datetime.datetime(2027, 3, 9, 17, 30, tzinfo=TZ)  # Tuesday 9 March


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def course(org_a):
    org_a.contact_name = "Mette Holm"
    org_a.contact_phone = "+4520304050"
    org_a.contact_email = "mette@lejre.eksempel.dk"
    org_a.save()
    program = ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet")
    course = CourseFactory(
        program=program,
        title="Forår",
        first_date=FIRST.date(),
        start_time=FIRST.time(),
        status=Course.Status.OPEN,
    )
    services.course_plan_sessions(course=course)
    return course


def registered(course, *, language="da", name="Sofie", email="sofie@eksempel.dk", phone=""):
    participant = ParticipantFactory(
        organisation=course.program.organisation, name=name, email=email, phone=phone
    )
    return RegistrationFactory(course=course, participant=participant, language=language)


def email_to(address):
    (sent,) = [message for message in mail.outbox if message.to == [address]]
    return sent


def test_a_participant_who_registered_in_english_gets_the_reminder_in_english(
    course, django_capture_on_commit_callbacks
):
    registered(course, language="en", name="Emma", email="emma@eksempel.dk")
    registered(course, language="da", name="Sofie", email="sofie@eksempel.dk")
    first = course.sessions.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.session_reminders_create(now=first.starts_at - datetime.timedelta(hours=2))
    english = email_to("emma@eksempel.dk")
    assert english.subject == "Reminder: Tuesday 9 March at 17:30"
    assert "When: Tuesday 9 March at 17:30 to 19:30" in english.body
    assert "please tell Mette Holm on 20 30 40 50" in english.body
    danish = email_to("sofie@eksempel.dk")
    assert danish.subject == "Påmindelse: tirsdag den 9. marts kl. 17.30"
    assert "Hvornår: tirsdag den 9. marts kl. 17.30 til 19.30" in danish.body


def test_a_moved_session_tells_the_old_and_the_new_time_in_each_readers_language(
    course, django_capture_on_commit_callbacks
):
    registered(course, language="en", name="Emma", email="emma@eksempel.dk")
    registered(course, language="da", name="Ali", email="", phone="+4520304051")
    first = course.sessions.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(
            session=first, starts_at=datetime.datetime(2027, 3, 11, 18, 0, tzinfo=TZ)
        )
    english = email_to("emma@eksempel.dk")
    assert english.subject == "New time: Thursday 11 March at 18:00"
    assert (
        "New time: Thursday 11 March at 18:00 to 20:00 (was: Tuesday 9 March at 17:30)"
        in english.body
    )
    (sms,) = LocmemSmsBackend.outbox  # no e-mail: a change reaches Ali by SMS
    assert sms["body"].startswith(
        "Hej. Gang 1 er flyttet fra tirsdag den 9. marts kl. 17.30 til torsdag den 11. marts "
        "kl. 18.00. Sted: Medborgerhuset."
    )


def test_a_session_moved_in_the_admin_also_tells_its_old_time(
    course, django_capture_on_commit_callbacks
):
    registered(course)
    first = course.sessions.get(number=1)
    first.starts_at += datetime.timedelta(days=1)
    first.ends_at += datetime.timedelta(days=1)
    first.place = "Biblioteket"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save_changed_by_hand(session=first)
    body = email_to("sofie@eksempel.dk").body
    assert "Ny tid: onsdag den 10. marts kl. 17.30 til 19.30 (før: tirsdag den 9. marts" in body
    assert "Nyt sted: Biblioteket (før: Medborgerhuset)" in body


def test_a_restored_session_is_told_as_held_after_all(course, django_capture_on_commit_callbacks):
    registered(course)
    second = course.sessions.get(number=2)
    services.session_cancel(session=second, reason="Sygdom")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_restore(session=second)
    sent = email_to("sofie@eksempel.dk")
    assert sent.subject == "Gangen bliver holdt alligevel: tirsdag den 16. marts kl. 17.30"
    assert "var aflyst, men nu bliver den holdt alligevel" in sent.body


@pytest.mark.parametrize(
    ("reason", "in_sms"),
    [
        ("Lokalet er lukket", True),
        ("x" * (SMS_REASON_MAX + 1), False),  # too long for two segments
        ("Psykiatrien har lånt lokalet", False),  # revealing on a lock screen
        ("Lokalet er lukket – vandskade", False),  # an en dash is not GSM-7
    ],
)
def test_the_reason_for_a_cancellation_is_in_the_email_and_in_the_sms_when_it_fits(
    course, django_capture_on_commit_callbacks, reason, in_sms
):
    registered(course, name="Ali", email="ali@eksempel.dk", phone="+4520304051")
    registered(course, name="Bo", email="", phone="+4520304052")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=course.sessions.get(number=2), reason=reason)
    assert reason in email_to("ali@eksempel.dk").body
    # A change reaches every channel given: Ali gets an SMS too, Bo only one.
    assert sorted(m["to"] for m in LocmemSmsBackend.outbox) == ["+4520304051", "+4520304052"]
    sms = next(m for m in LocmemSmsBackend.outbox if m["to"] == "+4520304052")
    assert (reason in sms["body"]) is in_sms
    assert sms["body"].startswith("Hej. Gang 2 tirsdag den 16. marts kl. 17.30 er desværre aflyst.")
    assert sms["body"].endswith("Spørgsmål? Kontakt Mette Holm på 20 30 40 50.")


def test_a_cancelled_course_offers_whom_to_call_and_the_courses_open_now(
    course, settings, django_capture_on_commit_callbacks
):
    registered(course)
    with django_capture_on_commit_callbacks(execute=True):
        services.course_cancel(course=course)
    sent = email_to("sofie@eksempel.dk")
    assert sent.subject == "Dit forløb er aflyst"
    assert "De gange, der var tilbage fra tirsdag den 9. marts kl. 17.30" in sent.body
    assert "kontakt Mette Holm på telefon 20 30 40 50" in sent.body
    assert f"{settings.SITE_URL}/" in sent.body
    assert OutboxMessage.objects.get(kind="course_cancelled").related_object == course


def _sessions_due(count):
    """`count` sessions due for a reminder, each in a course of its own organisation and
    programme, with two participants."""
    for number in range(count):
        program = ProgramFactory(organisation=OrganisationFactory(slug=f"sweep-{number}"))
        course = CourseFactory(program=program, status=Course.Status.RUNNING)
        SessionFactory(course=course, number=1, starts_at=NOW + datetime.timedelta(hours=3))
        for _person in range(2):
            RegistrationFactory(course=course)


def _sweep_queries():
    with CaptureQueriesContext(connection) as queries:
        reminders.session_reminders_create(now=NOW)
    return len(queries)


def test_the_reminder_sweep_makes_no_query_per_session():
    _sessions_due(1)
    one = _sweep_queries()
    OutboxMessage.objects.all().delete()
    _sessions_due(6)
    assert Session.objects.count() == 7
    assert _sweep_queries() == one
    assert OutboxMessage.objects.filter(kind="session_reminder").count() == 14
