"""Staff sign-in in a real browser: setting up an authenticator app, the code step and the
lockout page work under the Content Security Policy and meet WCAG 2.1 AA."""

import base64
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot
from tests.factories import PASSWORD, CoordinatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_with_password(page, base_url, username, path="/admin/", password=PASSWORD):
    page.goto(base_url + path)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def assert_wcag(page, name):
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert violations == [], f"{name}:\n{format_axe_violations(violations)}"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_sets_up_an_app_on_first_log_in_without_blocked_scripts(
    live_server, org_a, context_factory, viewport
):
    coordinator = CoordinatorFactory(username="koordinator.ny", organisations=[org_a])
    page = context_factory(viewport).new_page()
    problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    log_in_with_password(page, live_server.url, coordinator.username)
    expect(page).to_have_url(re.compile(r"/admin/login/kode/ny-app/\?next="))
    qr_code = page.get_by_role("img", name=re.compile("QR-kode til godkendelses-appen"))
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.naturalWidth") > 0, "the QR code did not load"
    save_screenshot(page, f"staff-setup-{viewport}")

    # What a person would type into the app by hand gives the same codes as the QR code.
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kode fra appen").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bekræft og fortsæt").click()

    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.get_by_text("To-trins-log-ind er sat op.")).to_be_visible()
    assert TOTPDevice.objects.get(user=coordinator).confirmed
    assert problems == [], "\n".join(problems)


def test_the_sign_in_pages_meet_wcag_2_1_aa(live_server, org_a, context_factory, settings):
    # axe-core is injected as an inline script, which the real policy forbids.
    context = context_factory("phone", bypass_csp=True)
    page = context.new_page()
    newcomer = CoordinatorFactory(username="koordinator.ny", organisations=[org_a])
    log_in_with_password(page, live_server.url, newcomer.username)
    expect(page).to_have_url(re.compile(r"/admin/login/kode/ny-app/"))
    assert_wcag(page, "set-up page")

    context.clear_cookies()
    known = CoordinatorFactory(username="koordinator.kendt", organisations=[org_a])
    TOTPDevice.objects.create(user=known, name="Telefon", confirmed=True)
    log_in_with_password(page, live_server.url, known.username)
    expect(page).to_have_url(re.compile(r"/admin/login/kode/\?next="))
    assert_wcag(page, "code step")
    page.get_by_label("Kode fra appen").fill("12")
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv de 6 cifre")
    expect(page.get_by_label("Kode fra appen")).to_have_attribute("aria-invalid", "true")
    save_screenshot(page, "staff-code-error-phone")
    assert_wcag(page, "code step with an error")

    context.clear_cookies()
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        log_in_with_password(page, live_server.url, "peer.a", path="/log-ind/", password="x")
    expect(page.get_by_role("heading", name="Log-ind er spærret for en tid")).to_be_visible()
    save_screenshot(page, "locked-out-phone")
    assert_wcag(page, "lockout page")
