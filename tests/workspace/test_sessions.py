"""A course's sessions in the workspace: the table on the course page, and moving, cancelling
and restoring a session with checks and a preview of who is told before anything is saved."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Course, Session
from peerprogram.models import OutboxMessage
from tests.conftest import log_in
from tests.factories import (
    BlackoutPeriodFactory,
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
)
from tests.peerprogram.test_write_path import qualified_peer
from tests.workspace.bounds import COURSE_PAGE_QUERIES
from volunteers.conflicts import facilitator_booking_conflicts
from volunteers.models import CourseFacilitator

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
# Wednesday: session 1 (Tuesday 12 January, 10.00) is held, session 2 (19 January) is not.
NOW = datetime.datetime(2027, 1, 13, 12, 0, tzinfo=TZ)


def at(day: str, time: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def course(org_a):
    program = ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet", weeks=10)
    for number, title in [(1, "Velkommen"), (2, "Hverdagen"), (3, "Netværk")]:
        ThemeFactory(program=program, number=number, title=title)
    course = CourseFactory(
        program=program,
        title="Forår",
        first_date=datetime.date(2027, 1, 12),
        start_time=datetime.time(10, 0),
        status=Course.Status.OPEN,
    )
    services.course_plan_sessions(course=course)
    return course


@pytest.fixture
def peer(org_a, course):
    peer = qualified_peer(org_a, name="Karen Peer", phone="20304050")
    CourseFacilitator.objects.create(course=course, peer=peer)
    return peer


@pytest.fixture
def participant(course):
    participant = ParticipantFactory(
        organisation=course.program.organisation, name="Sofie Deltager", email="sofie@eksempel.dk"
    )
    RegistrationFactory(course=course, participant=participant)
    return participant


@pytest.fixture
def client_a(client, coordinator_a):
    return log_in(client, coordinator_a)


def session_of(course, number) -> Session:
    return course.sessions.get(number=number)


def move_url(session):
    return reverse("workspace:session_move", args=[session.pk])


def move_data(day, time, place="", confirm=""):
    return {"day": day, "start_time": time, "place": place, "confirm": confirm}


def confirm_value(page) -> str:
    return re.search(r'name="confirm" value="([0-9a-f]{16})"', page.content.decode()).group(1)


def state(session):
    session.refresh_from_db()
    return (session.starts_at, session.ends_at, session.place, session.status, session.moved)


# --- Moving ---------------------------------------------------------------------------------------


def test_a_move_is_checked_and_previewed_then_saved_on_confirmation(
    client_a, course, peer, participant
):
    session = session_of(course, 2)
    form = client_a.get(move_url(session))
    assert form.status_code == 200
    assert "Flyt gang 2" in form.content.decode()
    assert 'value="2027-01-19"' in form.content.decode()

    preview = client_a.post(move_url(session), move_data("2027-01-20", "17:00", "Biblioteket"))
    page = preview.content.decode()
    assert "Nyt tidspunkt: onsdag den 20. januar 2027 kl. 17.00." in page
    assert "Nyt sted: Biblioteket." in page
    assert "Hvem får besked" in page
    assert "2 personer får besked" in page
    assert "Sofie Deltager" in page and "Karen Peer" in page
    assert "E-mail" in page
    assert "Flyt og giv besked" in page and "Flyt alligevel" not in page
    assert not OutboxMessage.objects.exists()
    assert not Session.objects.get(pk=session.pk).moved

    done = client_a.post(
        move_url(session),
        move_data("2027-01-20", "17:00", "Biblioteket", confirm=confirm_value(preview)),
        follow=True,
    )
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (
        at("2027-01-20", "17:00"),
        at("2027-01-20", "19:00"),
    )
    assert session.place == "Biblioteket" and session.moved
    assert "Gang 2 er flyttet til onsdag den 20. januar kl. 17.00. 2 personer får besked." in (
        done.content.decode()
    )
    told = OutboxMessage.objects.filter(kind="session_moved")
    assert {message.recipient_name for message in told} == {"Sofie Deltager", "Karen Peer"}


def test_the_workspace_move_calls_the_service_exactly_once(client_a, course):
    session = session_of(course, 2)
    preview = client_a.post(move_url(session), move_data("2027-01-20", "17:00"))
    with mock.patch.object(services, "session_move", return_value=session) as move:
        client_a.post(
            move_url(session), move_data("2027-01-20", "17:00", confirm=confirm_value(preview))
        )
    move.assert_called_once_with(session=session, starts_at=at("2027-01-20", "17:00"), place=None)


@pytest.mark.parametrize(
    ("number", "day", "time", "warning"),
    [
        (10, "2027-03-25", "10:00", "torsdag den 25. marts 2027 er en helligdag (Skærtorsdag)."),
        (10, "2027-03-23", "10:00", "ligger i organisationens lukkeperiode Påskeferie."),
        (2, "2027-01-27", "10:00", "Gang 2 kommer så efter gang 3 (tirsdag den 26. januar"),
        (3, "2027-01-18", "10:00", "Gang 3 kommer så før gang 2 (tirsdag den 19. januar"),
        (2, "2027-01-26", "08:00", "Forløbet har allerede gang 3 samme dag"),
    ],
    ids=["holiday", "closed", "theme-after", "theme-before", "same-day"],
)
def test_a_warning_needs_flyt_alligevel(client_a, course, number, day, time, warning):
    BlackoutPeriodFactory(organisation=course.program.organisation, name="Påskeferie", iso_week=12)
    session = session_of(course, number)
    before = state(session)

    preview = client_a.post(move_url(session), move_data(day, time))
    page = preview.content.decode()
    assert warning in page
    assert "Flyt alligevel" in page
    # Submitting again without the preview's confirmation (or with a stale one) only checks.
    for confirm in ["", "0123456789abcdef"]:
        again = client_a.post(move_url(session), move_data(day, time, confirm=confirm))
        assert "Flyt alligevel" in again.content.decode()
    assert state(session) == before

    client_a.post(move_url(session), move_data(day, time, confirm=confirm_value(preview)))
    session.refresh_from_db()
    assert session.moved and timezone.localtime(session.starts_at).date().isoformat() == day


def test_a_confirmation_is_for_the_time_it_previewed(client_a, course):
    session = session_of(course, 2)
    before = state(session)
    preview = client_a.post(move_url(session), move_data("2027-01-20", "17:00"))
    changed = client_a.post(
        move_url(session), move_data("2027-01-27", "10:00", confirm=confirm_value(preview))
    )
    assert "Flyt alligevel" in changed.content.decode()  # a new preview, with its warning
    assert state(session) == before


def test_a_move_into_the_past_is_refused_and_the_form_comes_back_filled_in(
    client_a, course, peer, participant
):
    session = session_of(course, 2)
    before = state(session)
    response = client_a.post(
        move_url(session), move_data("2027-01-13", "09:00", "Biblioteket", confirm="x")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Det nye tidspunkt er overstået. Vælg et tidspunkt, der ligger forude." in page
    assert 'value="2027-01-13"' in page and 'value="Biblioteket"' in page
    assert "Hvem får besked" not in page
    assert state(session) == before
    assert not OutboxMessage.objects.exists()


def test_an_unknown_date_gets_a_danish_message(client_a, course, participant):
    session = session_of(course, 2)
    before = state(session)
    response = client_a.post(move_url(session), move_data("2027-02-30", "10:00", "Biblioteket"))
    page = response.content.decode()
    assert "Indtast en gyldig dato." in page
    assert 'value="Biblioteket"' in page
    assert state(session) == before
    assert not OutboxMessage.objects.exists()


def test_a_move_onto_a_facilitators_other_session_is_refused_with_the_reason(
    client_a, course, peer, participant
):
    other = CourseFactory(
        program=course.program,
        title="Efterår",
        first_date=datetime.date(2027, 1, 13),  # Wednesdays, 17.00–19.00
        start_time=datetime.time(17, 0),
    )
    services.course_plan_sessions(course=other)
    CourseFacilitator.objects.create(course=other, peer=peer)
    session = session_of(course, 2)
    before = state(session)

    # Overlapping cannot be forced: the same refusal with any confirmation.
    for confirm in ["", "0123456789abcdef"]:
        response = client_a.post(
            move_url(session), move_data("2027-01-20", "16:00", confirm=confirm)
        )
        page = response.content.decode()
        assert (
            "Karen Peer er allerede facilitator på Efterår, gang 2, onsdag den 20. januar 2027 "
            "kl. 17.00–19.00, som overlapper det nye tidspunkt."
        ) in page
        assert "Flyt alligevel" not in page
        assert 'value="2027-01-20"' in page and 'value="16:00"' in page
    assert state(session) == before
    assert not OutboxMessage.objects.exists()

    # Ending when the other session begins is no overlap.
    preview = client_a.post(move_url(session), move_data("2027-01-20", "15:00"))
    assert "Karen Peer er allerede" not in preview.content.decode()
    assert "Flyt og giv besked" in preview.content.decode()


def test_a_cancelled_or_held_session_cannot_be_moved(client_a, course):
    cancelled = services.session_cancel(session=session_of(course, 3))
    response = client_a.post(move_url(cancelled), move_data("2027-01-27", "10:00"))
    assert "En aflyst gang kan ikke flyttes. Genoptag den først." in response.content.decode()
    held = session_of(course, 1)
    response = client_a.post(move_url(held), move_data("2027-01-14", "10:00"))
    assert "Gangen er allerede holdt og kan ikke flyttes." in response.content.decode()
    assert not session_of(course, 1).moved and session_of(course, 3).is_cancelled


def test_another_organisations_session_is_not_found(client, course, participant):
    log_in(client, CoordinatorFactory(organisations=[OrganisationFactory()]))
    session = session_of(course, 2)
    before = state(session)
    for name in ["workspace:session_move", "workspace:session_cancel", "workspace:session_restore"]:
        url = reverse(name, args=[session.pk])
        assert client.get(url).status_code == 404
        data = {**move_data("2027-01-20", "17:00"), "reason": "Sygdom", "confirm": "on"}
        assert client.post(url, data).status_code == 404
    assert state(session) == before
    assert not OutboxMessage.objects.exists()


def test_the_admin_move_action_gets_the_same_refusals(client, course):
    admin = CoordinatorFactory(organisations=[course.program.organisation])
    log_in(client, admin)
    session = session_of(course, 2)
    before = state(session)
    response = client.post(
        reverse("admin:groups_session_changelist"),
        {
            "action": "move_session",
            "_selected_action": [session.pk],
            "apply": "1",
            "starts_at_0": "13.01.2027",
            "starts_at_1": "09.00",
            "place": "",
        },
    )
    assert "Det nye tidspunkt er overstået" in response.content.decode()
    assert state(session) == before


def test_facilitator_conflicts_are_found_in_one_query(
    course, peer, org_a, django_assert_num_queries
):
    other = CourseFactory(
        program=course.program,
        title="Efterår",
        first_date=datetime.date(2027, 1, 13),
        start_time=datetime.time(17, 0),
    )
    services.course_plan_sessions(course=other)
    CourseFacilitator.objects.create(course=other, peer=peer)
    # Another facilitator of the other course, not of this one: not this course's problem.
    CourseFacilitator.objects.create(course=other, peer=qualified_peer(org_a, name="Ole Anden"))
    cancelled = CourseFactory(
        program=course.program,
        title="Aflyst hold",
        first_date=datetime.date(2027, 1, 13),
        start_time=datetime.time(17, 0),
    )
    services.course_plan_sessions(course=cancelled)
    CourseFacilitator.objects.create(course=cancelled, peer=peer)
    services.course_cancel(course=cancelled)
    session = session_of(course, 2)
    with django_assert_num_queries(1):
        found = facilitator_booking_conflicts(
            session=session, starts_at=at("2027-01-20", "18:00"), ends_at=at("2027-01-27", "18:30")
        )
    assert [sentence.split(",")[0:2] for sentence in found] == [
        ["Karen Peer er allerede facilitator på Efterår", " gang 2"],
        ["Karen Peer er allerede facilitator på Efterår", " gang 3"],
    ]


# --- Cancelling and restoring ------------------------------------------------------------------


def test_cancelling_asks_for_a_reason_and_a_confirmation(client_a, course, peer, participant):
    session = session_of(course, 2)
    url = reverse("workspace:session_cancel", args=[session.pk])
    page = client_a.get(url).content.decode()
    assert "Aflys gang 2" in page and "Sofie Deltager" in page and "Karen Peer" in page

    no_reason = client_a.post(url, {"reason": "  ", "confirm": "on"}).content.decode()
    assert "Skriv en årsag til aflysningen" in no_reason
    unconfirmed = client_a.post(url, {"reason": "Lokalet er lukket"}).content.decode()
    assert "Sæt kryds for at bekræfte aflysningen." in unconfirmed
    assert "Lokalet er lukket" in unconfirmed
    assert not session_of(course, 2).is_cancelled
    assert not OutboxMessage.objects.exists()

    done = client_a.post(url, {"reason": "Lokalet er lukket", "confirm": "on"}, follow=True)
    assert session_of(course, 2).is_cancelled
    assert "Gang 2 er aflyst. 2 personer får besked." in done.content.decode()
    notices = OutboxMessage.objects.filter(kind="session_cancelled")
    assert notices.exists()
    assert all(notice.context["reason"] == "Lokalet er lukket" for notice in notices)


def test_the_cancellation_notice_carries_the_reason(
    course, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session_of(course, 2), reason="Lokalet er lukket")
    assert "er desværre aflyst.\n\nLokalet er lukket\n\nDe andre gange" in mail.outbox[0].body


def test_the_workspace_cancel_and_restore_call_their_services_once(client_a, course):
    session = session_of(course, 2)
    with mock.patch.object(services, "session_cancel", return_value=session) as cancel:
        client_a.post(
            reverse("workspace:session_cancel", args=[session.pk]),
            {"reason": "Sygdom", "confirm": "on"},
        )
    cancel.assert_called_once_with(session=session, reason="Sygdom")
    services.session_cancel(session=session)
    with mock.patch.object(services, "session_restore", return_value=session) as restore:
        client_a.post(reverse("workspace:session_restore", args=[session.pk]))
    restore.assert_called_once_with(session=session)


def test_a_cancelled_session_is_restored_from_the_course_page(client_a, course, participant):
    session = services.session_cancel(session=session_of(course, 2))
    course_page = client_a.get(reverse("workspace:course", args=[course.pk])).content.decode()
    url = reverse("workspace:session_restore", args=[session.pk])
    assert url in course_page
    page = client_a.get(url).content.decode()
    assert "Genoptag gang 2" in page and "Sofie Deltager" in page
    done = client_a.post(url, follow=True)
    assert not session_of(course, 2).is_cancelled
    assert "Gang 2 er genoptaget." in done.content.decode()
    refused = client_a.post(url).content.decode()
    assert "Gangen er ikke aflyst." in refused


def test_a_held_session_cannot_be_cancelled(client_a, course):
    url = reverse("workspace:session_cancel", args=[session_of(course, 1).pk])
    response = client_a.post(url, {"reason": "For sent", "confirm": "on"})
    assert "Gangen er allerede holdt og kan ikke aflyses." in response.content.decode()
    assert not session_of(course, 1).is_cancelled


# --- The course page -----------------------------------------------------------------------------


def test_the_course_page_shows_each_sessions_status_theme_and_actions(client_a, course):
    moved = session_of(course, 2)
    services.session_move(session=moved, starts_at=at("2027-01-20", "10:00"))
    cancelled = services.session_cancel(session=session_of(course, 3))
    page = client_a.get(reverse("workspace:course", args=[course.pk])).content.decode()

    def row(session):
        return re.search(rf'<tr id="session-{session.pk}">(.*?)</tr>', page, re.S).group(1)

    held, planned = session_of(course, 1), session_of(course, 4)
    assert "Holdt" in row(held) and "Velkommen" in row(held)
    assert "Planlagt" in row(moved) and "Flyttet" in row(moved) and "Hverdagen" in row(moved)
    assert "Aflyst" in row(cancelled) and "Netværk" in row(cancelled)
    assert "Planlagt" in row(planned) and "Flyttet" not in row(planned)
    assert "Flyttet" not in row(held) and "Flyttet" not in row(cancelled)
    assert reverse("workspace:session_move", args=[held.pk]) not in page
    assert reverse("workspace:session_cancel", args=[held.pk]) not in page
    assert reverse("workspace:session_move", args=[moved.pk]) in row(moved)
    assert reverse("workspace:session_cancel", args=[moved.pk]) in row(moved)
    assert reverse("workspace:session_restore", args=[cancelled.pk]) in row(cancelled)
    assert reverse("workspace:session_move", args=[cancelled.pk]) not in page


@pytest.mark.parametrize("weeks", [3, 30])
def test_the_course_page_reads_in_a_constant_number_of_queries(
    client_a, org_a, weeks, django_assert_max_num_queries
):
    program = ProgramFactory(organisation=org_a, weeks=weeks)
    for number in range(1, weeks + 1):
        ThemeFactory(program=program, number=number)
    course = CourseFactory(program=program, first_date=datetime.date(2027, 1, 19))
    services.course_plan_sessions(course=course)
    for number in [2, 3]:
        services.session_move(
            session=session_of(course, number),
            starts_at=session_of(course, number).starts_at + datetime.timedelta(hours=1),
        )
    services.session_cancel(session=session_of(course, weeks))
    RegistrationFactory(course=course)
    CourseFacilitator.objects.create(course=course, peer=qualified_peer(org_a))
    url = reverse("workspace:course", args=[course.pk])
    # The sections of the higher apps (participants, facilitators) count too.
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = client_a.get(url)
    assert response.content.decode().count('<tr id="session-') == weeks


def test_opening_the_session_pages_writes_nothing(client_a, course, peer, participant):
    cancelled = services.session_cancel(session=session_of(course, 3))
    urls = [
        reverse("workspace:course", args=[course.pk]),
        reverse("workspace:session_move", args=[session_of(course, 2).pk]),
        reverse("workspace:session_cancel", args=[session_of(course, 2).pk]),
        reverse("workspace:session_restore", args=[cancelled.pk]),
    ]
    client_a.get(urls[0])  # the session and sign-in rows of a first request
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(url).status_code == 200
        writes = [
            query["sql"]
            for query in queries.captured_queries
            if re.match(r"\s*(INSERT|UPDATE|DELETE)", query["sql"])
            and "django_session" not in query["sql"]
            # The access log of who saw the roster is written on purpose (audit trail).
            and "peerprogram_auditentry" not in query["sql"]
        ]
        assert writes == [], url
