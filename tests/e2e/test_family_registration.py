"""A parent registers themselves and their 10-year-old for a Mod og Mestring-like programme on a
phone, the custody confirmation arrives (read from the sent e-mail, where the secret provider
put the one-time link at delivery) and is used. The pages are checked with axe for WCAG 2.1 AA
(in a context that bypasses the Content Security Policy, so axe can be injected) and for CSP
violations; screenshots go to `.artifacts/screenshots/family-*.png`.
"""

import datetime
import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups.models import Program
from groups.services import course_plan_sessions
from participants.models import Registration
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot, wait_for_fonts
from tests.factories import CourseFactory, ProgramFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENT_EMAIL = "familien.hansen@eksempel.dk"
CUSTODY_LINK = re.compile(r"https?://\S+/tilmelding/samtykke/\d+/\S+/")


@pytest.fixture
def family_course(org_a):
    program = ProgramFactory(
        organisation=org_a,
        name="Mod og Mestring",
        summary="Gruppeforløb for børn med angst og deres forældre.",
        audience=Program.Audience.CHILDREN_AND_YOUTH,
        target_group="Børn og unge på 8–18 år med angst, og deres forældre",
        legal_basis="Eksempel: Barnets lov § 30.",
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
        parents_join=True,
        required_peers=1,
        required_professionals=2,
    )
    for number, title in enumerate(["Hvad er angst?", "Modige skridt"], 1):
        ThemeFactory(program=program, number=number, title=title)
    course = CourseFactory(
        program=program,
        title="Børn 8–12 år",
        place="Familiehuset",
        municipality="350",
        first_date=timezone.localdate() + datetime.timedelta(weeks=3),
        capacity=8,
        status="open",
    )
    course_plan_sessions(course=course)
    return course


def ten_years_old() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - 10) - datetime.timedelta(days=40)


def submit(page: Page, name: str) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")
    return navigation.value.status


def assert_accessible(context_factory, url: str, label: str) -> None:
    """axe finds no WCAG 2.1 AA violation on the page at `url` (GET only: changes nothing)."""
    page = context_factory("phone", bypass_csp=True).new_page()
    page.goto(url)
    wait_for_fonts(page)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert violations == [], f"{label}:\n{format_axe_violations(violations)}"
    page.close()


def test_a_parent_registers_with_their_10_year_old_and_confirms_custody(
    live_server, family_course, context_factory
):
    base = live_server.url
    page = context_factory("phone").new_page()
    csp_reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    mail.outbox.clear()

    # The form: the child first, then the parent who also takes part.
    assert_accessible(context_factory, base + f"/forloeb/{family_course.pk}/tilmeld/", "form")
    page.goto(base + f"/forloeb/{family_course.pk}/tilmeld/")
    wait_for_fonts(page)
    page.get_by_label("Fulde navn").fill("Ida Hansen")
    page.locator("#id_birth_date").fill(ten_years_old().isoformat())
    page.get_by_label("Kommune, du bor i").select_option("350")
    page.locator("#id_email").fill(PARENT_EMAIL)
    page.get_by_label("Forælders eller værges navn").fill("Sofie Hansen")
    page.get_by_label("Forælders e-mail").fill(PARENT_EMAIL)
    page.get_by_label("Jeg har forældremyndigheden").check()
    page.get_by_label("Jeg deltager selv i forløbet sammen med barnet").check()
    page.get_by_label("Din egen fødselsdato (forælder)").fill("1986-04-02")
    save_screenshot(page, "family-form-phone")

    assert submit(page, "Tilmeld") == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din tilmelding")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Pladsen er holdt til barnet")
    expect(status).to_contain_text("I er tilmeldt sammen")
    save_screenshot(page, "family-registered-phone")

    child = Registration.objects.select_related("participant").get(registered_with__isnull=True)
    parent = child.companions.select_related("participant").get()
    assert child.participant.name == "Ida Hansen" and parent.participant.name == "Sofie Hansen"
    assert {child.status, parent.status} == {Registration.Status.AWAITING_CUSTODY}
    assert child.guardian_consent_at is None

    # One message to the parent, with the custody link made at delivery.
    [letter] = mail.outbox
    assert letter.to == [PARENT_EMAIL]
    assert "Bekræft tilmeldingen af Ida Hansen" in letter.subject
    link = urlparse(CUSTODY_LINK.search(letter.body).group(0)).path

    assert_accessible(context_factory, base + link, "custody confirmation")
    page.goto(base + link)
    wait_for_fonts(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft tilmeldingen")
    expect(page.locator("main")).to_contain_text("Ida Hansen")
    expect(page.locator("main")).to_contain_text("Sofie Hansen")
    save_screenshot(page, "family-custody-confirm-phone")

    assert submit(page, "Ja, jeg har forældremyndigheden og bekræfter tilmeldingen") == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din bekræftelse")
    expect(page.get_by_role("status")).to_contain_text("Tilmeldingen er bekræftet")
    save_screenshot(page, "family-custody-done-phone")

    child.refresh_from_db()
    parent.refresh_from_db()
    assert {child.status, parent.status} == {Registration.Status.ACCEPTED}
    assert child.guardian_consent_at is not None
    # Then the confirmation with the family's status link.
    assert [m.to for m in mail.outbox] == [[PARENT_EMAIL], [PARENT_EMAIL]]
    assert "Ida Hansen: har fået en plads" in mail.outbox[1].body

    # The link works once: used again, it says so and changes nothing.
    page.goto(base + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilmeldingen er allerede bekræftet")
    assert_accessible(context_factory, base + link, "custody already confirmed")
    save_screenshot(page, "family-custody-already-phone")

    assert csp_reports == []
