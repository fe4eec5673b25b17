"""Ud i Livet's way in, in a real browser (headless Debian Chromium): a citizen opens the
address printed on the contact card, on a phone, and asks for a peer; someone applies to be a
volunteer peer. The pages run under the real Content Security Policy (no violation allowed)
and are checked for WCAG 2.1 AA with axe-core in a context that bypasses the policy, so axe
can be injected."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from groups import manuals
from peerprogram.models import OutboxMessage
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot
from tests.factories import CoordinatorFactory, ProgramFactory
from volunteers.models import ContactRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def card_url(org_a, live_server, settings):
    """The address printed on Ud i Livet's contact card (and in its QR code)."""
    settings.SITE_URL = live_server.url
    CoordinatorFactory(
        username="koordinator.kort", email="koordinator@lejre.eksempel.dk", organisations=[org_a]
    )
    program = ProgramFactory(
        organisation=org_a, name="Ud i Livet", format="open_activity", offers_accompaniment=True
    )
    return manuals.contact_card_context(program)["url"]


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def test_a_citizen_sends_kontakt_en_peer_from_the_contact_cards_address(card_url, context_factory):
    page = context_factory("phone").new_page()
    violations = watch_csp(page)
    response = page.goto(card_url)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Kontakt en peer", level=1)).to_be_visible()

    # Forgetting how to be reached: told so, with focus on the summary, nothing stored.
    page.get_by_label("Dit fornavn").fill("Lone")
    page.get_by_label("Følgeskab til en aktivitet eller forening").check()
    page.get_by_role("button", name="Send").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv en e-mail eller et telefonnummer")
    expect(page.get_by_label("Dit fornavn")).to_have_value("Lone")
    assert not ContactRequest.objects.exists()

    summary.get_by_role("link", name="Telefon").click()
    expect(page.get_by_label("Telefon")).to_be_focused()
    page.get_by_label("Telefon").fill("20 30 40 50")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Tak – vi kontakter dig")).to_be_visible()
    save_screenshot(page, "contact-peer-sent-phone")
    request = ContactRequest.objects.get()
    assert (request.first_name, request.wish, request.status) == ("Lone", "activity", "new")
    told = OutboxMessage.objects.get(kind="contact_request_new")
    assert told.recipient_address == "koordinator@lejre.eksempel.dk"
    assert violations == []


@pytest.mark.parametrize("form", ["contact_request", "peer_application"])
@pytest.mark.parametrize("with_errors", [False, True])
def test_the_public_forms_meet_wcag_2_1_aa_on_a_phone(
    card_url, org_a, live_server, context_factory, form, with_errors
):
    page = context_factory("phone", bypass_csp=True).new_page()
    page.goto(live_server.url + reverse(f"volunteers:{form}", args=[org_a.slug]))
    if with_errors:
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#error-summary")).to_be_focused()
    save_screenshot(page, f"{form}-{'errors' if with_errors else 'empty'}-phone")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert violations == [], f"{form}:\n{format_axe_violations(violations)}"


def test_someone_applies_to_be_a_volunteer_peer_under_the_policy(
    card_url, org_a, live_server, context_factory
):
    page = context_factory("phone").new_page()
    violations = watch_csp(page)
    page.goto(live_server.url + reverse("volunteers:peer_application", args=[org_a.slug]))
    expect(page.get_by_text("art. 9, stk. 2, litra a").first).to_be_visible()
    page.get_by_label("Fulde navn").fill("Per Frivillig")
    page.get_by_label("E-mail").fill("per@eksempel.dk")
    page.get_by_label("Dine egne erfaringer, med dine egne ord").fill("Angst; fællesskab hjalp.")
    page.get_by_label("Jeg giver udtrykkeligt samtykke").check()
    page.get_by_role("button", name="Send ansøgning").click()
    expect(page.get_by_role("heading", name="Tak for din ansøgning")).to_be_visible()
    assert org_a.peers.get().status == "applicant"
    assert violations == []
