"""Send me a new link, in a real browser (headless Debian Chromium) on a phone: a citizen
whose link no longer works asks for a new one from the link's page and is told the same
whatever they typed; the pages run under the real Content Security Policy and meet WCAG 2.1
AA (axe-core, in a context that bypasses the policy so axe can be injected)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot
from tests.e2e.test_contact_peer import watch_csp
from tests.factories import CourseFactory, ParticipantFactory, ProgramFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Hvis vi kender adressen eller nummeret, sender vi et nyt link nu."


@pytest.fixture
def registration(org_a, live_server, settings):
    settings.SITE_URL = live_server.url
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Håb"),
        first_date=timezone.localdate() + datetime.timedelta(weeks=2),
        status="open",
    )
    course_plan_sessions(course=course)
    return RegistrationFactory(
        course=course,
        participant=ParticipantFactory(organisation=org_a, phone="20304050", email=""),
    )


def test_a_citizen_asks_for_a_new_link_from_a_dead_one_on_a_phone(
    registration, live_server, context_factory
):
    page = context_factory("phone").new_page()
    violations = watch_csp(page)
    response = page.goto(live_server.url + "/tilmelding/gammelt-link/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Linket virker ikke", level=1)).to_be_visible()

    page.get_by_label("Din e-mail eller dit mobilnummer").fill("20 30 40 50")
    page.get_by_role("button", name="Send mig et nyt link").click()

    expect(page.get_by_role("heading", name="Tak", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(ANSWER)
    save_screenshot(page, "status-link-sent-phone")
    (message,) = OutboxMessage.objects.filter(kind="status_link")
    assert (message.channel, message.recipient_address) == ("sms", "+4520304050")
    assert message.related_id == registration.pk
    assert violations == []


@pytest.mark.parametrize("step", ["unknown-link", "form-errors", "answer"])
def test_the_new_link_pages_meet_wcag_2_1_aa_on_a_phone(
    registration, live_server, context_factory, step
):
    page = context_factory("phone", bypass_csp=True).new_page()
    if step == "unknown-link":
        page.goto(live_server.url + "/tilmelding/gammelt-link/")
    else:
        page.goto(live_server.url + reverse("participants:status_link_request"))
        page.get_by_label("Din e-mail eller dit mobilnummer").fill(
            "1234" if step == "form-errors" else "nogen@eksempel.dk"
        )
        page.get_by_role("button", name="Send mig et nyt link").click()
        if step == "form-errors":
            expect(page.locator("#error-summary")).to_be_visible()
        else:
            expect(page.locator("main")).to_contain_text(ANSWER)
    save_screenshot(page, f"status-link-{step}-phone")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert violations == [], f"{step}:\n{format_axe_violations(violations)}"
