"""A peer on a phone: log in, open the schedule, mark attendance — accessible and under the CSP."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from groups.services import course_plan_sessions
from participants.models import Attendance
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot
from tests.factories import (
    PASSWORD,
    CourseFactory,
    ProgramFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    CourseFacilitatorFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def peer_with_a_session_today(org_a):
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.demo"), name="Demo Peer")
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
        title="Forår",
        first_date=timezone.localdate() - datetime.timedelta(days=7),
        status="running",
    )
    course_plan_sessions(course=course)
    CourseFacilitatorFactory(course=course, peer=peer)
    RegistrationFactory(course=course, participant__name="Sofie Hansen")
    RegistrationFactory(course=course, participant__name="Ali Nielsen")
    return peer, course.sessions.get(number=1)


def test_a_peer_logs_in_on_a_phone_and_marks_attendance(
    live_server, context_factory, peer_with_a_session_today
):
    peer, session = peer_with_a_session_today
    page = context_factory("phone").new_page()
    csp = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))

    page.goto(f"{live_server.url}/peer/")
    page.get_by_label("Brugernavn").fill("peer.demo")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{live_server.url}/peer/")
    expect(page.get_by_role("heading", name="Mine gange")).to_be_visible()
    save_screenshot(page, "peer-schedule-phone")

    link = page.locator(f"a[href='/peer/gange/{session.pk}/']").first
    if not link.is_visible():  # last week's session: one tap on "Vis … tidligere gang mere"
        page.locator("summary", has_text="tidligere").click()
    link.click()
    page.get_by_role("group", name="Sofie").get_by_label("Til stede").check()
    page.get_by_role("group", name="Ali").get_by_label("Meldt afbud").check()
    page.get_by_role("button", name="Gem fremmøde").click()
    expect(page.get_by_text("Fremmødet er gemt")).to_be_visible()
    save_screenshot(page, "peer-session-phone")
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["notified", "present"]
    assert csp == []


@pytest.mark.parametrize("viewport", ["phone", "narrow"])
@pytest.mark.parametrize("locale", ["da-DK", "en-GB"])
def test_the_portal_pages_meet_wcag_2_1_aa(
    live_server, context_factory, peer_with_a_session_today, viewport, locale
):
    _peer, session = peer_with_a_session_today
    page = context_factory(viewport, bypass_csp=True, locale=locale).new_page()
    page.goto(f"{live_server.url}/log-ind/?next=/peer/")
    page.locator("#id_username").fill("peer.demo")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/peer/")
    for path in ["/peer/", f"/peer/gange/{session.pk}/", "/peer/kalender/"]:
        page.goto(live_server.url + path)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = result.response["violations"]
        assert violations == [], f"{path}\n{format_axe_violations(violations)}"
