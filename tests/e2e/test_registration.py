"""The public registration flow in a real browser (headless Debian Chromium).

A citizen finds a course on the front page, reads about it, registers and lands on the
confirmation, or is told kindly why the course does not fit them. The same pages are checked
for WCAG 2.1 AA with axe-core (in a context that bypasses the Content Security Policy, so axe
can be injected), for CSP violations (in a normal context), for horizontal scrolling at 320 px
and for a registration made with the keyboard alone. Screenshots go to
`.artifacts/screenshots/registration-*.png` for a person to look at.
"""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups.services import course_plan_sessions
from participants.models import Participant, Registration, StatusLink
from participants.services import token_hash
from tests.e2e.helpers import (
    WCAG_TAGS,
    format_axe_violations,
    save_screenshot,
    wait_for_fonts,
)
from tests.factories import (
    CourseFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Serviceloven § 82 a-b: adults with reduced mental functioning, less than two years in
# psychiatric services, living in one of the municipalities that run the programme.
HAB_RULES = [
    {"rule": "min_age", "value": 18},
    {"rule": "self_declared", "question": "reduced_mental_functioning"},
    {"rule": "max_months_psychiatric_services", "less_than": 24},
    {"rule": "municipality_in", "codes": ["607", "217", "101"]},
]
STATUS_TOKEN = "tok-123"

NOT_ELIGIBLE_HEADING = "Forløbet passer desværre ikke til dig"
THANKS_HEADING = "Tak for din tilmelding"
ACCEPTED_TEXT = "Du har fået en plads"
FORM_ERROR_ALERT = "Tjek de markerede felter"


@dataclasses.dataclass(frozen=True)
class Person:
    name: str = "Mette Sørensen"
    birth_date: datetime.date = datetime.date(1990, 5, 17)
    municipality: str = "217"  # Helsingør
    municipality_name: str = "Helsingør"
    email: str = "mette@eksempel.dk"
    reduced_mental_functioning: str = "yes"
    psychiatric_months: int = 12


ELIGIBLE = Person()
# Thirty months in psychiatric services: more than the programme's 24.
NOT_ELIGIBLE = Person(name="Jonas Ærø Å'Brien", email="jonas@eksempel.dk", psychiatric_months=30)


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def hab_course(org_a):
    """A Håb-like § 82 programme with an open course three weeks ahead, and a second
    programme, so the front page groups courses."""
    program = ProgramFactory(
        organisation=org_a,
        name="Håb",
        summary="Et gruppeforløb for voksne, der har det svært psykisk, med frivillige, "
        "der selv har været der.",
        target_group="Voksne med nedsat psykisk funktionsevne eller psykisk sårbarhed",
        legal_basis="Serviceloven § 82 a og b",
        eligibility_rules=HAB_RULES,
        offers_accompaniment=True,
        accompaniment_limit_months=6,
        intake_open_until_session=3,
    )
    for number, title in enumerate(["Velkommen", "Håb og mål", "Hverdagen"], 1):
        ThemeFactory(program=program, number=number, title=title)
    first_date = timezone.localdate() + datetime.timedelta(weeks=3)
    course = CourseFactory(
        program=program,
        title="Efterår, Helsingør",
        place="Kulturværftet",
        municipality="217",
        first_date=first_date,
        capacity=10,
        status="open",
    )
    course_plan_sessions(course=course)
    other = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
        title="Efterår, Lejre",
        municipality="350",
        first_date=first_date + datetime.timedelta(days=2),
        status="open",
    )
    course_plan_sessions(course=other)
    assert course.takes_registrations() and other.takes_registrations()
    return course


@pytest.fixture
def status_registration(hab_course):
    registration = RegistrationFactory(course=hab_course)
    StatusLink.objects.create(registration=registration, token_hash=token_hash(STATUS_TOKEN))
    return registration


# --- Helpers ----------------------------------------------------------------------------------


def course_path(course) -> str:
    return f"/forloeb/{course.pk}/"


def register_path(course) -> str:
    return f"/forloeb/{course.pk}/tilmeld/"


def fill_registration(page: Page, person: Person, *, consent: bool = False) -> None:
    page.get_by_label("Fulde navn").fill(person.name)
    page.get_by_label("Fødselsdato").fill(person.birth_date.isoformat())
    page.get_by_label("Kommune, du bor i").select_option(person.municipality)
    page.get_by_label("E-mail").fill(person.email)
    page.locator(
        f"input[name=reduced_mental_functioning][value={person.reduced_mental_functioning}]"
    ).check()
    page.get_by_label("Hvor mange måneder har du i alt været tilknyttet psykiatrien?").fill(
        str(person.psychiatric_months)
    )
    page.get_by_label("Hvordan hørte du om forløbet?").select_option("self")
    page.get_by_label("Jeg vil gerne høre om individuelt følgeskab af en frivillig").check()
    if consent:
        page.locator("input[name=consent]").check()


def submit(page: Page) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Tilmeld").click()
    page.wait_for_load_state("load")
    return navigation.value.status


def goto(page: Page, url: str) -> int:
    response = page.goto(url)
    page.wait_for_load_state("load")
    return response.status


# Each public page of the flow, reached the way a citizen reaches it; returns the HTTP status.
def _home(page, base, course):
    return goto(page, base + "/")


def _course(page, base, course):
    return goto(page, base + course_path(course))


def _form(page, base, course):
    return goto(page, base + register_path(course))


def _form_errors(page, base, course):
    goto(page, base + register_path(course))
    return submit(page)


def _not_eligible(page, base, course):
    goto(page, base + register_path(course))
    fill_registration(page, NOT_ELIGIBLE)
    return submit(page)


def _confirmation(page, base, course):
    goto(page, base + register_path(course))
    fill_registration(page, ELIGIBLE)
    status = submit(page)
    expect(page).to_have_url(base + f"/forloeb/{course.pk}/tilmeldt/")
    return status


def _status(page, base, course):
    return goto(page, base + f"/tilmelding/{STATUS_TOKEN}/")


def _status_unknown(page, base, course):
    return goto(page, base + "/tilmelding/ikke-et-gyldigt-token/")


PageVisit = Callable[[Page, str, object], int]
PAGES: dict[str, tuple[PageVisit, int, str]] = {
    # name: (how to get there, expected HTTP status, text the page must show)
    "home": (_home, 200, "Efterår, Helsingør"),
    "course": (_course, 200, "Hvem er det for?"),
    "form": (_form, 200, "Passer forløbet til dig?"),
    "form-errors": (_form_errors, 400, FORM_ERROR_ALERT),
    "not-eligible": (_not_eligible, 200, NOT_ELIGIBLE_HEADING),
    "confirmation": (_confirmation, 200, ACCEPTED_TEXT),
    "status": (_status, 200, "Din tilmelding"),
    "status-unknown": (_status_unknown, 404, "Linket virker ikke"),
}
SCREENSHOT_PAGES = [name for name in PAGES if name != "status-unknown"]


def open_public_page(page: Page, base: str, course, name: str) -> None:
    visit, expected_status, expected_text = PAGES[name]
    status = visit(page, base, course)
    assert status == expected_status, f"{name}: HTTP {status}"
    expect(page.locator("main")).to_contain_text(expected_text)
    wait_for_fonts(page)


def horizontal_overflow(page: Page) -> dict | None:
    """None when nothing scrolls sideways, else the widths and the widest offenders."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= window.innerWidth) return null;
            const offenders = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 8)
                .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                    + `.${[...el.classList].join('.')} right=`
                    + Math.round(el.getBoundingClientRect().right));
            return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, offenders};
        }"""
    )


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "selector => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches; the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return presses
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{key} never reached {selector}; focus is on {focused}")


# --- 1 and 2: the flow with a mouse -----------------------------------------------------------


@pytest.mark.parametrize("basis", ["public_task", "consent"])
def test_a_citizen_finds_a_course_and_gets_a_seat(live_server, hab_course, context_factory, basis):
    organisation = hab_course.program.organisation
    organisation.data_protection_basis = basis
    organisation.save()
    page = context_factory().new_page()

    page.goto(live_server.url + "/")
    programme = page.get_by_role("region", name="Håb")
    programme.get_by_role("link", name="Efterår, Helsingør").click()
    expect(page).to_have_url(live_server.url + course_path(hab_course))
    expect(page.get_by_role("heading", level=1)).to_have_text("Håb")
    expect(page.locator("main")).to_contain_text("10 ledige pladser")

    page.get_by_role("link", name="Tilmeld").click()
    expect(page).to_have_url(live_server.url + register_path(hab_course))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilmelding")

    consent = page.locator("input[name=consent]")
    if basis == "consent":
        # Consent is the legal basis here: without the tick nothing is stored.
        fill_registration(page, ELIGIBLE)
        assert submit(page) == 400
        expect(page.get_by_role("alert").filter(has_text=FORM_ERROR_ALERT)).to_be_visible()
        expect(consent).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Fulde navn")).to_have_value(ELIGIBLE.name)
        assert Registration.objects.count() == 0
        consent.check()
    else:
        expect(consent).to_have_count(0)
        fill_registration(page, ELIGIBLE)

    assert submit(page) == 200
    expect(page).to_have_url(live_server.url + f"/forloeb/{hab_course.pk}/tilmeldt/")
    expect(page.get_by_role("heading", level=1)).to_have_text(THANKS_HEADING)
    expect(page.get_by_role("status").filter(has_text=ACCEPTED_TEXT)).to_contain_text("Håb")

    registration = Registration.objects.select_related("participant").get()
    assert registration.course == hab_course
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.eligibility_result["outcome"] == "eligible"
    assert registration.wants_accompaniment is True
    assert registration.referral_source == "self"
    assert (registration.consent_given_at is not None) == (basis == "consent")
    participant = registration.participant
    assert (participant.name, participant.email) == (ELIGIBLE.name, ELIGIBLE.email)
    assert (participant.birth_date, participant.municipality) == (ELIGIBLE.birth_date, "217")


def test_a_citizen_who_does_not_fit_is_told_why_and_keeps_what_they_typed(
    live_server, hab_course, context_factory
):
    page = context_factory().new_page()
    page.goto(live_server.url + register_path(hab_course))
    fill_registration(page, NOT_ELIGIBLE)

    assert submit(page) == 200

    expect(page).to_have_url(live_server.url + register_path(hab_course))
    box = page.get_by_role("alert").filter(has_text=NOT_ELIGIBLE_HEADING)
    expect(box).to_be_visible()
    expect(box.get_by_role("heading", name=NOT_ELIGIBLE_HEADING)).to_be_visible()
    expect(box.get_by_role("listitem")).to_have_count(1)
    expect(box.get_by_role("listitem")).to_contain_text("mindre end 24 måneder")
    expect(box).to_contain_text("Vi har ikke gemt noget om dig")

    expect(page.get_by_label("Fulde navn")).to_have_value(NOT_ELIGIBLE.name)
    expect(page.get_by_label("E-mail")).to_have_value(NOT_ELIGIBLE.email)
    expect(
        page.get_by_label("Hvor mange måneder har du i alt været tilknyttet psykiatrien?")
    ).to_have_value("30")
    expect(page.get_by_label("Fødselsdato")).to_have_value(NOT_ELIGIBLE.birth_date.isoformat())
    expect(page.get_by_label("Kommune, du bor i")).to_have_value("217")
    expect(page.locator("input[name=reduced_mental_functioning][value=yes]")).to_be_checked()
    expect(
        page.get_by_label("Jeg vil gerne høre om individuelt følgeskab af en frivillig")
    ).to_be_checked()
    expect(page.get_by_label("Hvordan hørte du om forløbet?")).to_have_value("self")

    assert Participant.objects.count() == 0
    assert Registration.objects.count() == 0


def test_the_form_helps_a_phone_and_asks_for_an_explicit_ved_ikke(
    live_server, hab_course, context_factory
):
    page = context_factory("phone").new_page()
    page.goto(live_server.url + register_path(hab_course))
    expect(page.get_by_label("Fulde navn")).to_have_attribute("autocomplete", "name")
    expect(page.get_by_label("E-mail")).to_have_attribute("autocomplete", "email")
    expect(page.get_by_label("Fødselsdato")).to_have_attribute("autocomplete", "bday")
    phone = page.get_by_label("Mobilnummer")
    expect(phone).to_have_attribute("type", "tel")
    expect(phone).to_have_attribute("inputmode", "tel")
    expect(phone).to_have_attribute("autocomplete", "tel")
    municipality = page.get_by_label("Kommune, du bor i")
    expect(municipality.locator("option").first).to_have_text("Vælg kommune")

    fill_registration(page, ELIGIBLE)
    months = page.get_by_label("Hvor mange måneder har du i alt været tilknyttet psykiatrien?")
    months.fill("")
    assert submit(page) == 400
    summary = page.get_by_role("alert").filter(has_text=FORM_ERROR_ALERT)
    expect(summary).to_contain_text("Ved ikke")
    expect(page.get_by_label("Fulde navn")).to_have_value(ELIGIBLE.name)
    assert Registration.objects.count() == 0

    page.locator("input[name=psychiatric_services_months_unknown]").check()
    assert submit(page) == 200
    assert Registration.objects.get().eligibility_answers["psychiatric_services_months_unknown"]


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_control_shows_a_focus_ring_with_3_to_1_contrast(
    live_server, hab_course, context_factory
):
    page = context_factory("phone").new_page()
    page.goto(live_server.url + register_path(hab_course))
    page.keyboard.press("Tab")
    seen = 0
    for _step in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
                return {tag: el.tagName, name: el.name, type: el.type,
                        width: parseFloat(s.outlineWidth), style: s.outlineStyle,
                        colour: s.outlineColor}; }"""
        )
        if style["tag"] == "BODY":
            break
        seen += 1
        assert style["style"] != "none" and style["width"] >= 2, style
        light, dark = sorted([_luminance(style["colour"]), 1.0])[::-1]
        assert (light + 0.05) / (dark + 0.05) >= 3, style
    assert seen > 10


# --- 3: the keyboard alone --------------------------------------------------------------------


def test_a_whole_registration_with_the_keyboard_alone(live_server, hab_course, context_factory):
    person = dataclasses.replace(ELIGIBLE, birth_date=datetime.date(1990, 5, 5))
    page = context_factory().new_page()
    keyboard = page.keyboard
    page.goto(live_server.url + "/")
    wait_for_fonts(page)
    assert page.evaluate("document.activeElement === document.body")

    # Skip the header, then find the course among the front page's links.
    keyboard.press("Tab")
    assert focused_matches(page, "a.skip-link")
    keyboard.press("Enter")
    tab_to(page, f'main a[href="{course_path(hab_course)}"]')
    keyboard.press("Enter")
    page.wait_for_url(live_server.url + course_path(hab_course))

    tab_to(page, f'main a[href="{register_path(hab_course)}"]')
    keyboard.press("Enter")
    page.wait_for_url(live_server.url + register_path(hab_course))

    tab_to(page, "#id_name")
    keyboard.type(person.name)
    tab_to(page, "#id_birth_date")
    # Each part of Chromium's date field moves on when it is full. Their order follows the
    # browser's own language (dd.mm.åååå in Danish, mm/dd/yyyy in the en-US-only Debian
    # build), so the birthday has the same day and month to read the same in both.
    keyboard.type(person.birth_date.strftime("%d%m%Y"))
    tab_to(page, "#id_municipality")
    keyboard.type(person.municipality_name)  # a closed <select> jumps to what is typed
    tab_to(page, "#id_email")
    keyboard.type("mette@eksempel")
    # One field too far; come back with Shift+Tab and finish the address.
    tab_to(page, "#id_phone")
    tab_to(page, "#id_email", backwards=True)
    keyboard.press("End")
    keyboard.type(".dk")
    tab_to(page, "#id_reduced_mental_functioning_0")
    keyboard.press("Space")
    tab_to(page, "#id_psychiatric_services_months")
    keyboard.type(str(person.psychiatric_months))
    tab_to(page, "#id_referral_source")
    keyboard.press("ArrowDown")  # "Jeg fandt selv forløbet"
    tab_to(page, "#id_wants_accompaniment")
    keyboard.press("Space")

    expect(page.locator("#id_name")).to_have_value(person.name)
    expect(page.locator("#id_birth_date")).to_have_value("1990-05-05")
    expect(page.locator("#id_municipality")).to_have_value(person.municipality)
    expect(page.locator("#id_email")).to_have_value(person.email)
    expect(page.locator("#id_reduced_mental_functioning_0")).to_be_checked()
    expect(page.locator("#id_psychiatric_services_months")).to_have_value("12")
    expect(page.locator("#id_referral_source")).to_have_value("self")
    expect(page.locator("#id_wants_accompaniment")).to_be_checked()

    # The honeypot is never reached: the next stop is the submit button.
    tab_to(page, "input[type=submit]", limit=1)
    keyboard.press("Enter")
    page.wait_for_url(live_server.url + f"/forloeb/{hab_course.pk}/tilmeldt/")
    expect(page.get_by_role("heading", level=1)).to_have_text(THANKS_HEADING)
    expect(page.locator("main")).to_contain_text(ACCEPTED_TEXT)

    registration = Registration.objects.select_related("participant").get()
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.participant.email == person.email
    assert registration.participant.birth_date == person.birth_date
    assert registration.wants_accompaniment is True


# --- 4: reflow at 320 px ----------------------------------------------------------------------


def test_no_horizontal_scrolling_at_320_px(live_server, hab_course, context_factory):
    page = context_factory("narrow").new_page()
    base = live_server.url
    overflow = {}

    def check(name):
        wait_for_fonts(page)
        assert page.evaluate("window.innerWidth") == 320
        if found := horizontal_overflow(page):
            overflow[name] = found

    goto(page, base + "/")
    check("home")
    goto(page, base + course_path(hab_course))
    check("course")
    goto(page, base + register_path(hab_course))
    check("form")
    # The privacy notice opened, too: its text must wrap as well.
    page.locator("details.privacy-notice summary").click()
    check("form with the privacy notice open")
    assert submit(page) == 400
    expect(page.get_by_role("alert").filter(has_text=FORM_ERROR_ALERT)).to_be_visible()
    check("form with errors")
    fill_registration(page, NOT_ELIGIBLE)
    assert submit(page) == 200
    check("not eligible")
    fill_registration(page, ELIGIBLE)
    assert submit(page) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(THANKS_HEADING)
    check("confirmation")

    assert overflow == {}, overflow


# --- 5: WCAG 2.1 AA with axe ------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("page_name", PAGES)
def test_registration_pages_meet_wcag_2_1_aa(
    live_server, hab_course, status_registration, context_factory, viewport, page_name
):
    # axe-core is injected as an inline script, which the real policy forbids.
    page = context_factory(viewport, bypass_csp=True).new_page()
    open_public_page(page, live_server.url, hab_course, page_name)

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )

    violations = results.response["violations"]
    assert violations == [], f"{page_name} ({viewport}):\n{format_axe_violations(violations)}"


# --- 6: the Content Security Policy -----------------------------------------------------------


def test_registration_pages_cause_no_content_security_policy_violations(
    live_server, hab_course, status_registration, context_factory
):
    context = context_factory()
    reports: dict[str, list[str]] = {}

    for name in PAGES:
        page = context.new_page()
        messages: list[str] = []
        page.on(
            "console",
            lambda message, messages=messages: (
                messages.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.on("pageerror", lambda error, messages=messages: messages.append(str(error)))
        policies: list[str] = []
        page.on(
            "response",
            lambda response, policies=policies: (
                policies.append(response.headers.get("content-security-policy", ""))
                if response.request.is_navigation_request()
                else None
            ),
        )
        open_public_page(page, live_server.url, hab_course, name)
        # The policy was enforced on every document the page showed.
        assert policies and all("script-src 'self'" in policy for policy in policies), (
            name,
            policies,
        )
        if messages:
            reports[name] = messages
        page.close()

    assert reports == {}, reports


# --- 7: screenshots ---------------------------------------------------------------------------


@pytest.mark.screenshots
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_screenshots_of_the_registration_pages(
    live_server, hab_course, status_registration, context_factory, viewport
):
    context = context_factory(viewport)
    for name in SCREENSHOT_PAGES:
        page = context.new_page()
        open_public_page(page, live_server.url, hab_course, name)
        save_screenshot(page, f"registration-{name}-{viewport}")
        page.close()
