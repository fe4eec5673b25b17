import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from groups import reminders, services
from groups.models import Course, Session
from peerprogram import hooks
from peerprogram.models import OutboxMessage
from peerprogram.outbox import services as outbox
from peerprogram.outbox.services import Recipient
from tests.factories import CourseFactory, ProgramFactory, ThemeFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2027, 1, 11, 12, 0, tzinfo=TZ)  # Monday noon

PEOPLE = [
    Recipient(key="participant:1", name="Sofie", email="sofie@eksempel.dk"),
    Recipient(key="participant:2", name="Ali", phone="20304050", sms_opt_in=True),
    Recipient(key="peer:7", name="Mette", email="mette@eksempel.dk", phone="30405060"),
]


def everyone_on_every_session(sender, *, sessions, **kwargs):
    return {session.pk: PEOPLE for session in sessions}


@pytest.fixture(autouse=True)
def recipients():
    hooks.session_recipients.connect(everyone_on_every_session)
    yield
    hooks.session_recipients.disconnect(everyone_on_every_session)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def course(org_a, frozen_now):
    program = ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet")
    ThemeFactory(program=program, number=1, title="Ankomst og godt igang")
    course = CourseFactory(
        program=program,
        title="Forår",
        first_date=datetime.date(2027, 1, 12),  # Tuesday, 29 hours after NOW
        start_time=datetime.time(17, 0),
        status=Course.Status.OPEN,
    )
    services.course_plan_sessions(course=course)
    return course


def sweep(at):
    return reminders.session_reminders_create(now=at)


def delivered(message):
    outbox.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    return message


def starts_at(message):
    return outbox.context_from_json(message.context)["starts_at"]


def kinds():
    return sorted(OutboxMessage.objects.values_list("kind", "channel", "recipient_name"))


def test_sessions_within_the_window_get_one_reminder_per_person_and_channel(course):
    assert sweep(NOW) == 0  # 29 hours ahead: outside the default 24-hour window
    assert sweep(NOW + datetime.timedelta(hours=6)) == 3
    assert kinds() == [
        ("session_reminder", "email", "Mette"),
        ("session_reminder", "email", "Sofie"),
        ("session_reminder", "sms", "Ali"),
    ]
    message = OutboxMessage.objects.get(recipient_name="Sofie")
    assert "tirsdag den 12. januar kl. 17.00" in delivered(message).body
    assert message.context["theme"] == "Ankomst og godt igang"
    assert message.organisation == course.program.organisation


def test_the_reminder_window_is_set_per_programme(course):
    course.program.reminder_hours = 48
    course.program.save()
    assert sweep(NOW) == 3


def test_sweeping_twice_creates_each_reminder_once(course):
    later = NOW + datetime.timedelta(hours=6)
    assert sweep(later) == 3
    sweep(later + datetime.timedelta(minutes=5))
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_reminder_once(course):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent transactions need PostgreSQL")
    later = NOW + datetime.timedelta(hours=6)
    start = threading.Barrier(2)
    errors = []

    def sweeper():
        try:
            with transaction.atomic():
                start.wait()
                sweep(later)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OutboxMessage.objects.filter(kind="session_reminder").count() == 3


def test_cancelled_sessions_and_inactive_courses_get_no_reminders(course, org_a):
    services.session_cancel(session=course.sessions.get(number=1))
    draft = CourseFactory(
        program=course.program, first_date=datetime.date(2027, 1, 12), status=Course.Status.DRAFT
    )
    services.course_plan_sessions(course=draft)
    OutboxMessage.objects.all().delete()
    assert sweep(NOW + datetime.timedelta(hours=6)) == 0


def test_a_moved_session_gets_one_notice_and_one_new_reminder_per_person(course):
    later = NOW + datetime.timedelta(hours=6)
    sweep(later)
    first = course.sessions.get(number=1)
    services.session_move(session=first, starts_at=datetime.datetime(2027, 1, 12, 19, 0, tzinfo=TZ))
    notices = OutboxMessage.objects.filter(kind="session_moved")
    # A change reaches every channel given: Mette gave an e-mail and a mobile number.
    assert notices.count() == 4
    assert starts_at(notices.first()) == datetime.datetime(2027, 1, 12, 19, 0, tzinfo=TZ)

    even_later = later + datetime.timedelta(hours=2)  # 19.00 is now within 24 hours
    sweep(even_later)
    sweep(even_later)
    assert OutboxMessage.objects.filter(kind="session_reminder").count() == 6
    reminders_sent = OutboxMessage.objects.filter(kind="session_reminder")
    assert sum(starts_at(m).hour == 19 for m in reminders_sent) == 3


def test_a_cancelled_session_notifies_everyone_once(course):
    session = course.sessions.get(number=2)
    services.session_cancel(session=session)
    services.session_cancel(session=session)
    assert kinds() == [
        ("session_cancelled", "email", "Mette"),
        ("session_cancelled", "email", "Sofie"),
        ("session_cancelled", "sms", "Ali"),
        ("session_cancelled", "sms", "Mette"),
    ]


def test_a_cancelled_course_notifies_each_person_once_not_per_session(course):
    services.course_cancel(course=course)
    assert OutboxMessage.objects.filter(kind="course_cancelled").count() == 4
    assert not OutboxMessage.objects.exclude(kind="course_cancelled").exists()
    assert set(course.sessions.values_list("status", flat=True)) == {Session.Status.CANCELLED}


def test_a_new_start_date_sends_each_person_one_message_with_all_new_times(
    course, django_capture_on_commit_callbacks
):
    course.first_date = datetime.date(2027, 1, 13)
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.course_plan_sessions(course=course)
    messages = OutboxMessage.objects.filter(kind="course_rescheduled")
    assert messages.count() == 4
    sofie = next(m for m in mail.outbox if m.to == ["sofie@eksempel.dk"])
    assert "Gang 1: onsdag den 13. januar kl. 17.00" in sofie.body
    assert "(før: tirsdag den 12. januar kl. 17.00)" in sofie.body
    assert "Gang 10:" in sofie.body


def test_draft_courses_tell_nobody(course):
    course.status = Course.Status.DRAFT
    course.save()
    services.session_move(
        session=course.sessions.get(number=3),
        starts_at=datetime.datetime(2027, 1, 27, 18, 0, tzinfo=TZ),
    )
    assert not OutboxMessage.objects.exists()


def test_danish_times_are_written_in_copenhagen_time():
    from django.utils import translation

    from peerprogram.dates import written

    utc = datetime.datetime(2026, 11, 24, 16, 0, tzinfo=datetime.UTC)
    with translation.override("da"):
        assert written(utc, "when") == "tirsdag den 24. november kl. 17.00"
