import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from groups import manuals
from groups.models import RenderedDocument
from groups.services import course_plan_sessions, session_cancel, session_move
from groups.tasks import render_document
from participants.models import Attendance
from peerprogram.models import OutboxMessage
from tests.factories import (
    CourseFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    CourseFacilitatorFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers.models import SessionResponse

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


@pytest.fixture
def declaration(org_a):
    return DeclarationFactory(organisation=org_a)


def make_peer(org, declaration=None, username="peer.a"):
    peer = PeerFactory(organisation=org, user=UserFactory(username=username), name="Mette Peer")
    if declaration:
        DeclarationSignatureFactory(peer=peer, declaration=declaration)
    return peer


def make_course(org, peer=None, first_date=None, title="Forår"):
    program = ProgramFactory(organisation=org)
    ThemeFactory(program=program, number=1, title="Ankomst", facilitator_notes="Husk navneskilte")
    course = CourseFactory(
        program=program,
        title=title,
        first_date=first_date or timezone.localdate() + datetime.timedelta(days=3),
        status="open",
    )
    course_plan_sessions(course=course)
    if peer:
        CourseFacilitatorFactory(course=course, peer=peer)
    return course


@pytest.fixture
def peer_client(client):
    def login(peer):
        client.force_login(peer.user)
        return client

    return login


def test_a_peer_sees_their_own_sessions_and_nobody_elses(peer_client, org_a, declaration):
    peer = make_peer(org_a, declaration)
    mine = make_course(org_a, peer, title="Mit hold")
    other = make_course(org_a, title="Andet hold")
    client = peer_client(peer)
    html = client.get(reverse("volunteers:schedule")).content.decode()
    assert "Mit hold" in html and "Andet hold" not in html
    assert "Ankomst" in html
    own = mine.sessions.get(number=1)
    assert client.get(reverse("volunteers:session", args=[own.pk])).status_code == 200
    foreign = other.sessions.get(number=1)
    assert client.get(reverse("volunteers:session", args=[foreign.pk])).status_code == 404


def test_a_log_in_without_a_facilitator_gets_no_portal(client, org_a):
    user = UserFactory()
    client.force_login(user)
    assert (
        client.get(reverse("volunteers:schedule")).status_code == 403
    )  # signed in, without the role: refused by the rule


def test_the_portal_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("volunteers:schedule"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_attendance_is_marked_by_first_name_after_signing(peer_client, org_a, declaration):
    peer = make_peer(org_a)
    # The first session began an hour ago: attendance can be recorded from its start.
    course = make_course(org_a, peer, first_date=timezone.localdate() - datetime.timedelta(days=7))
    first = course.sessions.get(number=1)
    first.starts_at = timezone.now() - datetime.timedelta(hours=1)
    first.ends_at = first.starts_at + datetime.timedelta(hours=2)
    first.save(update_fields=["starts_at", "ends_at"])
    sofie = RegistrationFactory(course=course, participant__name="Sofie Hansen")
    outsider = RegistrationFactory(course=make_course(org_a))
    session = course.sessions.get(number=1)
    url = reverse("volunteers:session", args=[session.pk])
    client = peer_client(peer)

    unsigned = client.get(url).content.decode()
    assert "tavshedserklæring" in unsigned and "Sofie" not in unsigned

    DeclarationSignatureFactory(peer=peer, declaration=declaration)
    signed = client.get(url).content.decode()
    assert "Sofie" in signed and "Hansen" not in signed
    client.post(
        url,
        {
            "attendance": "1",
            f"attendance-{sofie.pk}": "present",
            f"attendance-{outsider.pk}": "present",
        },
    )
    assert Attendance.objects.get().registration == sofie
    assert Attendance.objects.get().status == "present"


def test_attendance_for_a_session_that_has_not_begun_is_refused_and_nothing_is_stored(
    peer_client, org_a, declaration
):
    peer = make_peer(org_a, declaration)
    course = make_course(org_a, peer)
    sofie = RegistrationFactory(course=course, participant__name="Sofie Hansen")
    session = course.sessions.get(number=1)
    url = reverse("volunteers:session", args=[session.pk])
    client = peer_client(peer)
    page = client.get(url).content.decode()
    assert "Sofie" in page and "Gem fremmøde" not in page
    assert "når gangen er begyndt" in page
    response = client.post(
        url, {"attendance": "1", f"attendance-{sofie.pk}": "present"}, follow=True
    )
    assert "Gangen er ikke begyndt endnu" in response.content.decode()
    assert not Attendance.objects.exists()


def test_declining_a_session_tells_the_coordinators(peer_client, org_a, declaration, coordinator_a):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    peer = make_peer(org_a, declaration)
    session = make_course(org_a, peer).sessions.get(number=1)
    client = peer_client(peer)
    url = reverse("volunteers:answer", args=[session.pk])
    client.post(url, {"answer": "declined"})
    client.post(url, {"answer": "declined"})
    message = OutboxMessage.objects.get(kind="session_declined")
    assert message.recipient_address == "koordinator@lejre.eksempel.dk"
    assert message.context["peer"] == "Mette Peer"


def test_the_calendar_feed_has_one_event_per_session_and_follows_changes(
    peer_client, org_a, declaration
):
    peer = make_peer(org_a, declaration)
    course = make_course(org_a, peer)
    client = peer_client(peer)
    page = client.post(
        reverse("volunteers:calendar"), {"action": "renew"}, follow=True
    ).content.decode()
    feed_url = page.split('id="feed-url"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    feed_path = "/" + feed_url.split("://", 1)[1].split("/", 1)[1]
    assert feed_path.endswith(".ics")
    # The main actions: subscribe (webcal://) and copy; the same address on the next visit.
    assert 'href="webcal://' in page and "Kopiér adressen" in page
    assert feed_url in client.get(reverse("volunteers:calendar")).content.decode()

    moved = course.sessions.get(number=2)
    session_move(session=moved, starts_at=moved.starts_at + datetime.timedelta(hours=2))
    session_cancel(session=course.sessions.get(number=3))

    client.logout()
    feed = client.get(feed_path)
    assert feed["Content-Type"].startswith("text/calendar")
    events = {str(event["uid"]): event for event in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert len(events) == course.sessions.count()
    by_number = {str(e["summary"]).rsplit(" ", 1)[-1]: e for e in events.values()}
    # The title names the course; each event links back to its session page.
    assert str(by_number["1"]["summary"]) == f"{course.title}: gang 1"
    first = course.sessions.get(number=1)
    assert str(by_number["1"]["url"]).endswith(reverse("volunteers:session", args=[first.pk]))
    assert int(by_number["2"]["sequence"]) == 1
    assert str(by_number["3"]["status"]) == "CANCELLED"
    assert str(by_number["1"]["status"]) == "CONFIRMED"
    start = by_number["1"].decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Copenhagen"

    client = peer_client(peer)
    refused = client.post(reverse("volunteers:calendar"), {"action": "revoke"})
    assert refused.status_code == 400 and "Sæt kryds" in refused.content.decode()
    client.logout()
    assert client.get(feed_path).status_code == 200
    client = peer_client(peer)
    client.post(reverse("volunteers:calendar"), {"action": "revoke", "confirm": "1"})
    client.logout()
    assert client.get(feed_path).status_code == 404
    assert client.get("/peer/calendar/unknown-token.ics").status_code == 404


def test_the_schedule_keeps_its_query_count_from_10_to_200_sessions(
    peer_client, org_a, declaration, django_assert_max_num_queries
):
    peer = make_peer(org_a, declaration)
    make_course(org_a, peer)
    client = peer_client(peer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("volunteers:schedule")).status_code == 200
    for index in range(19):
        make_course(org_a, peer, title=f"Hold {index}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("volunteers:schedule"))
    upcoming = [s for group in response.context["courses"] for s in group["sessions"]]
    assert len(upcoming) + len(response.context["past"]) >= 200


def test_a_peer_downloads_the_manual_of_their_own_course_only(
    peer_client, org_a, declaration, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    peer = make_peer(org_a, declaration)
    mine = make_course(org_a, peer)
    other = make_course(org_a)
    client = peer_client(peer)
    response = client.get(reverse("volunteers:manual", args=[mine.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("volunteers:manual", args=[other.pk])).status_code == 404


def test_a_decline_nobody_could_be_told_about_says_so(peer_client, org_a, declaration):
    peer = make_peer(org_a, declaration)  # org_a's coordinators have no e-mail address
    session = make_course(org_a, peer).sessions.get(number=1)
    url = reverse("volunteers:answer", args=[session.pk])
    page = peer_client(peer).post(url, {"answer": "declined"}, follow=True).content.decode()
    assert "Koordinatoren har fået besked" not in page
    assert "Ring eller skriv til din koordinator" in page
    assert not OutboxMessage.objects.filter(kind="session_declined").exists()


def test_downloading_a_manual_writes_nothing_and_queues_the_stored_copy(
    peer_client, org_a, declaration, settings, tmp_path, monkeypatch
):
    """Reading a page never writes: the peer gets a fresh PDF at once, the render task stores
    the copy that the next download streams."""
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(render_document, "delay", lambda *args: queued.append(args))
    peer = make_peer(org_a, declaration)
    course = make_course(org_a, peer)
    client = peer_client(peer)

    first = client.get(reverse("volunteers:manual", args=[course.pk]))

    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert not RenderedDocument.objects.exists()
    assert queued == [(RenderedDocument.Kind.COURSE_MANUAL, course.pk)]

    render_document.run(*queued[0])
    monkeypatch.setattr(
        manuals, "render_pdf", lambda *args: pytest.fail("rendered again, not streamed")
    )
    stored = RenderedDocument.objects.get()
    assert client.get(reverse("volunteers:manual", args=[course.pk])).content == (
        stored.file.open("rb").read()
    )


def test_a_new_calendar_address_needs_a_confirmation_and_then_replaces_the_old(
    peer_client, org_a, declaration
):
    peer = make_peer(org_a, declaration)
    client = peer_client(peer)
    url = reverse("volunteers:calendar")
    client.post(url, {"action": "renew"})
    peer.refresh_from_db()
    first = peer.calendar_token_hash
    refused = client.post(url, {"action": "renew"})
    assert refused.status_code == 400
    assert "Din nuværende adresse virker stadig" in refused.content.decode()
    peer.refresh_from_db()
    assert peer.calendar_token_hash == first
    client.post(url, {"action": "renew", "confirm": "1"})
    peer.refresh_from_db()
    assert peer.calendar_token_hash not in ("", first)


def test_the_schedule_groups_by_course_highlights_the_next_and_flags_a_double_booking(
    peer_client, org_a, declaration
):
    peer = make_peer(org_a, declaration)
    spring = make_course(org_a, peer, title="Forår")
    autumn = make_course(org_a, peer, title="Torsdagsholdet")
    first = spring.sessions.get(number=1)
    SessionResponse.objects.create(peer=peer, session=first, answer="accepted")
    page = peer_client(peer).get(reverse("volunteers:schedule")).content.decode()
    assert "Din næste gang" in page
    assert f'id="course-{spring.pk}"' in page and f'id="course-{autumn.pk}"' in page
    # Both courses meet at the same time: each session says with what it clashes.
    assert "Samtidig med" in page and "Torsdagsholdet, gang 1" in page
    assert "Ikke svaret endnu" in page
