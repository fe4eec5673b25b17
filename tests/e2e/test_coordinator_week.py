"""A coordinator's week in the workspace, in a real browser on the demo data: what the issue
asks a coordinator to be able to do without the Django admin, click by click."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Course, Session
from participants.models import Attendance, Registration
from peerprogram.models import OutboxMessage
from tests.e2e.helpers import save_screenshot
from volunteers.models import CourseFacilitator, Peer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "peer-demo"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.STAFF_2FA_REQUIRED = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    afternoon = Course.objects.get(title="Helsingør, eftermiddag")
    morning = Course.objects.get(title="Fredericia, formiddag")
    return {
        "afternoon": afternoon,
        "morning": morning,
        "peer": Peer.objects.get(user__username="peer.demo"),
    }


def sign_in(page, live_server, username, next_path=""):
    page.goto(f"{live_server.url}/log-ind/{next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()


def kinds_since(pk: int) -> list[str]:
    return list(OutboxMessage.objects.filter(pk__gt=pk).values_list("kind", flat=True))


def last_message_pk() -> int:
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_coordinators_week(live_server, context_factory, demo):
    afternoon, morning = demo["afternoon"], demo["morning"]
    first = afternoon.sessions.order_by("number").first()
    page = context_factory("laptop").new_page()

    # Signing in lands on "I dag".
    sign_in(page, live_server, "koordinator.peer")
    expect(page).to_have_url(f"{live_server.url}/koordinator/")
    expect(page.get_by_role("heading", name="I dag", exact=True)).to_be_visible()

    # The queue shows a registration waiting for a conversation ("ved ikke"); open it.
    waiting = Registration.objects.get(course=afternoon, status=Registration.Status.NEEDS_REVIEW)
    conversations = page.locator("#item-registrations_needing_conversation")
    expect(conversations).to_contain_text(waiting.participant.name)
    save_screenshot(page, "week-queue")
    conversations.get_by_role("link", name=waiting.participant.name, exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(waiting.participant.name)
    expect(page.locator("main")).not_to_contain_text("{")

    # A call is logged in the contact log.
    page.get_by_label("Hvad skete der?").select_option(label="Aftalt")
    page.get_by_label("Note").fill("Talt sammen, starter på tirsdag.")
    page.get_by_role("button", name="Skriv i loggen").click()
    expect(page.locator("main")).to_contain_text("Talt sammen, starter på tirsdag.")
    save_screenshot(page, "week-registration")

    # Accepted, with a message to the citizen shown in a preview: one message goes out.
    page.get_by_role("link", name="Optag").first.click()
    page.get_by_label("Besked til borgeren").fill("Velkommen, vi glæder os til at se dig.")
    page.get_by_role("button", name="Se beskeden til borgeren").click()
    expect(page.locator("main")).to_contain_text("Velkommen, vi glæder os til at se dig.")
    save_screenshot(page, "week-decision-preview")
    before = last_message_pk()
    page.get_by_role("button", name="Send og gem").click()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.ACCEPTED
    assert kinds_since(before) == ["registration_decision"]

    # A peer declines the first session of the afternoon course in the portal.
    peer_page = context_factory("phone").new_page()
    sign_in(peer_page, live_server, "peer.demo")
    peer_page.goto(f"{live_server.url}/peer/gange/{first.pk}/")
    peer_page.get_by_role("button", name="Jeg kan ikke").click()

    # The decline appears in the work queue, one click from the course page.
    page.goto(f"{live_server.url}/koordinator/")
    declines = page.locator("#item-session_declines")
    expect(declines).to_contain_text(demo["peer"].name)
    save_screenshot(page, "week-queue-with-decline")
    declines.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/koordinator/forloeb/{afternoon.pk}/"))
    # The course page shows it too, with a way to find a substitute.
    facilitators = page.locator("#section-facilitators")
    expect(facilitators).to_contain_text("Kan ikke")
    save_screenshot(page, "week-course-with-decline")
    facilitators.get_by_role("link", name="Find afløser").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("afløser")
    save_screenshot(page, "week-substitute")
    before = last_message_pk()
    page.get_by_role("button", name="Sæt på som afløser").first.click()
    expect(page.locator("[role=status]")).to_be_visible()
    substitutes = CourseFacilitator.objects.filter(course=afternoon).exclude(peer=demo["peer"])
    assert substitutes.count() == 1
    assert "facilitator_assigned" in kinds_since(before)

    # Moving a session onto a facilitator's other session is refused, with the reason.
    clash = morning.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    ahead = afternoon.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    to_move = ahead.last()
    local = timezone.localtime(clash.starts_at)
    page.goto(f"{live_server.url}/koordinator/forloeb/gange/{to_move.pk}/flyt/")
    page.get_by_label("Ny dato").fill(local.date().isoformat())
    page.get_by_label("Nyt starttidspunkt").fill(local.strftime("%H:%M"))
    before = last_message_pk()
    page.get_by_role("button", name="Kontrollér flytningen").click()
    expect(page.locator("main")).to_contain_text(demo["peer"].name)
    save_screenshot(page, "week-move-refused")
    to_move.refresh_from_db()
    assert not to_move.moved

    # … and onto a free slot: a preview of who will be told, then the notices.
    free_day = timezone.localtime(to_move.starts_at).date() + datetime.timedelta(days=1)
    page.get_by_label("Ny dato").fill(free_day.isoformat())
    page.get_by_label("Nyt starttidspunkt").fill("16:00")
    page.get_by_role("button", name="Kontrollér flytningen").click()
    expect(page.locator("main")).to_contain_text("får besked")
    save_screenshot(page, "week-move-preview")
    page.locator("button[name=confirm]").first.click()
    to_move.refresh_from_db()
    assert to_move.moved
    assert timezone.localtime(to_move.starts_at).date() == free_day
    assert "session_moved" in kinds_since(before)

    # A citizen phones: the coordinator registers them with the same form and rules.
    page.goto(f"{live_server.url}/koordinator/forloeb/{afternoon.pk}/")
    page.get_by_role("link", name="Tilmeld en borger").click()
    page.get_by_label("Fulde navn").fill("Ringer Rasmussen")
    page.get_by_label("Fødselsdato").fill("1990-05-01")
    page.get_by_label("Kommune, du bor i").select_option(label="Helsingør")
    page.get_by_label("Mobilnummer").fill("20 30 40 50")
    for radio in page.get_by_label("Ja", exact=True).all():
        radio.check()
    page.get_by_label("Ved ikke").last.check()
    page.get_by_label("Jeg giver samtykke", exact=False).check()
    page.get_by_label("Borgeren har sagt ja til, at jeg tilmelder dem").check()
    page.get_by_role("button", name="Tilmeld").click()
    caller = Registration.objects.get(participant__name="Ringer Rasmussen")
    assert caller.course == afternoon
    assert caller.registered_by.username == "koordinator.peer"

    # A message to the course: preview, then send through the outbox.
    page.goto(f"{live_server.url}/koordinator/forloeb/{afternoon.pk}/besked/")
    page.locator("textarea[name=body]").fill("Vi mødes i lokale 2 på tirsdag.")
    page.get_by_role("button", name="Se beskeden før afsendelse").click()
    save_screenshot(page, "week-message-preview")
    before = last_message_pk()
    page.get_by_role("button", name="Send", exact=True).click()
    assert "course_message" in kinds_since(before)

    # Attendance of a held session of the morning course is corrected.
    held = (
        morning.sessions.filter(starts_at__lt=timezone.now(), status=Session.Status.PLANNED)
        .order_by("-starts_at")
        .first()
    )
    page.goto(f"{live_server.url}/koordinator/forloeb/gange/{held.pk}/fremmoede/")
    row = page.locator("tbody tr").first
    name = row.locator("th").inner_text()
    row.locator("select").select_option("absent")
    page.get_by_role("button", name="Gem fremmøde").click()
    expect(page.locator("[role=status]")).to_be_visible()
    assert (
        Attendance.objects.get(session=held, registration__participant__name=name).status
        == Attendance.Status.ABSENT
    )
    save_screenshot(page, "week-attendance")
    assert get_user_model().objects.filter(username="koordinator.peer").exists()
