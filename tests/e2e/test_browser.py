"""What citizens and coordinators see in a real browser (headless Debian Chromium).

The public pages run under a strict Content Security Policy, so they are checked twice: once in
a normal context (the policy is enforced and every violation Chromium reports is collected) and
once in a context that bypasses the policy, so axe-core can be injected for the WCAG checks.
Screenshots go to `.artifacts/screenshots/` for a person to look at.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from groups.models import Course
from groups.services import course_plan_sessions
from tests.e2e.helpers import (
    PUBLIC_VIEWPORTS,
    WCAG_TAGS,
    format_axe_violations,
    save_screenshot,
    wait_for_fonts,
)
from tests.factories import (
    PASSWORD,
    CourseFactory,
    HelpContactFactory,
    ProgramFactory,
    SessionFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = {
    "home": "/",
    "organisation": "/organisationer/lejre/",
    "privacy": "/organisationer/lejre/privatliv/",
}
SKIP_LINK_TEXT = "Gå til indholdet"
SESSIONS_THIS_WEEK_CAPTION = "Dine gange denne uge"


@pytest.fixture
def public_site(org_a, org_b, program_a, course_a):
    """Two organisations with programmes, an open course with planned sessions and themes."""
    for number, title in enumerate(["Velkommen", "Hverdagens udfordringer", "Netværk"], 1):
        ThemeFactory(program=program_a, number=number, title=title)
    course_plan_sessions(course=course_a)
    ProgramFactory(organisation=program_a.organisation, name="Følgeskab i Lejre")
    program_b = ProgramFactory(organisation=org_b, name="Unge for unge", summary="Et tilbud.")
    HelpContactFactory(organisation=org_b, label="Hillerøds rådgivning", phone="72 32 00 00")
    course_plan_sessions(
        course=CourseFactory(
            program=program_b,
            title="Efterår, Hillerød",
            municipality="219",
            first_date=datetime.date(2027, 9, 7),
        )
    )
    return {"organisation": org_a, "course": course_a}


class BrowserProblems:
    """Everything a page tells the console that a user would notice as broken behaviour."""

    def __init__(self, page: Page):
        self.csp: list[str] = []
        self.errors: list[str] = []
        self.failed_responses: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "response",
            lambda response: (
                self.failed_responses.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    @property
    def script_csp(self) -> list[str]:
        return [text for text in self.csp if "script-src" in text]


@pytest.mark.parametrize("viewport", PUBLIC_VIEWPORTS)
def test_public_pages_load_their_styles_and_scripts_under_the_content_security_policy(
    live_server, public_site, context_factory, viewport
):
    page = context_factory(viewport).new_page()
    problems = BrowserProblems(page)

    for name, path in PUBLIC_PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        wait_for_fonts(page)

        styles = page.evaluate(
            """() => ({
                bodyFont: getComputedStyle(document.body).fontFamily,
                fontLoaded: document.fonts.check('16px "Source Sans 3"'),
                mainPaddingTop: getComputedStyle(document.querySelector('main')).paddingTop,
                bootstrapJs: typeof window.bootstrap,
            })"""
        )
        # site.css sets the font through Bootstrap's variable, so both stylesheets applied.
        assert "Source Sans 3" in styles["bodyFont"], (path, styles)
        assert styles["fontLoaded"], (path, styles)
        # `py-4` on <main> comes from the vendored Bootstrap CSS alone.
        assert styles["mainPaddingTop"] == "24px", (path, styles)
        assert styles["bootstrapJs"] == "object", (path, styles)
        save_screenshot(page, f"{name}-{viewport}")

    assert problems.csp == [], "\n".join(problems.csp)
    assert problems.errors == [], "\n".join(problems.errors)
    assert problems.failed_responses == [], "\n".join(problems.failed_responses)


def test_the_content_security_policy_blocks_a_script_injected_into_a_public_page(
    live_server, public_site, context_factory
):
    page = context_factory().new_page()
    problems = BrowserProblems(page)
    url = live_server.url + PUBLIC_PAGES["organisation"]

    def inject_script(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>", "<script>document.title = 'injected';</script></main>"
        )
        route.fulfill(response=response, body=body)

    page.route(url, inject_script)
    page.goto(url)
    page.wait_for_load_state("load")

    assert page.title() != "injected"
    assert problems.script_csp, "Chromium reported no blocked inline script"


@pytest.mark.parametrize("viewport", PUBLIC_VIEWPORTS)
@pytest.mark.parametrize("page_name", PUBLIC_PAGES)
def test_public_pages_meet_wcag_2_1_aa(
    live_server, public_site, context_factory, viewport, page_name
):
    # axe-core is injected as an inline script, which the real policy forbids.
    page = context_factory(viewport, bypass_csp=True).new_page()
    response = page.goto(live_server.url + PUBLIC_PAGES[page_name])
    assert response.status == 200
    wait_for_fonts(page)

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )

    violations = results.response["violations"]
    assert violations == [], f"{page_name} ({viewport}):\n{format_axe_violations(violations)}"


ENGLISH_PAGES = [*PUBLIC_PAGES, "course", "registration form", "unknown link", "new link"]


@pytest.mark.parametrize("viewport", ["phone", "narrow"])
@pytest.mark.parametrize("page_name", ENGLISH_PAGES)
def test_public_pages_meet_wcag_2_1_aa_in_english(
    live_server, public_site, course_a, context_factory, viewport, page_name
):
    paths = {
        **PUBLIC_PAGES,
        "course": f"/forloeb/{course_a.pk}/",
        "registration form": f"/forloeb/{course_a.pk}/tilmeld/",
        "unknown link": "/tilmelding/no-such-link/",
        "new link": "/tilmelding/nyt-link/",
    }
    # A browser asking for English gets the English pages (LocaleMiddleware).
    page = context_factory(viewport, bypass_csp=True, locale="en-GB").new_page()
    response = page.goto(live_server.url + paths[page_name])
    assert response.status in (200, 404)
    assert page.locator("html").get_attribute("lang") == "en"
    wait_for_fonts(page)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert violations == [], f"{page_name} ({viewport}, en):\n{format_axe_violations(violations)}"


def test_the_skip_link_is_the_first_thing_a_keyboard_user_reaches(
    live_server, public_site, context_factory
):
    page = context_factory().new_page()
    page.goto(live_server.url + "/")
    skip_link = page.get_by_role("link", name=SKIP_LINK_TEXT)
    hidden_box = skip_link.bounding_box()
    assert hidden_box is not None and hidden_box["width"] <= 1, "skip link shows before focus"

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    assert page.evaluate("document.activeElement.textContent.trim()") == SKIP_LINK_TEXT
    expect(skip_link).to_be_visible()
    shown_box = skip_link.bounding_box()
    assert shown_box["width"] > 50 and shown_box["height"] > 10, shown_box
    # Shown inside the viewport, on top of the header.
    assert shown_box["x"] >= 0 and shown_box["y"] >= 0
    topmost = page.evaluate(
        """() => {
            const link = document.activeElement;
            const box = link.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return link === hit || link.contains(hit);
        }"""
    )
    assert topmost, "the focused skip link is covered by another element"

    page.keyboard.press("Enter")

    expect(page.locator("#main")).to_be_focused()
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    focused_inside_main = page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
    )
    assert focused_inside_main, "Tab after the skip link does not continue inside <main>"


def test_a_coordinator_logs_in_and_reviews_a_course_without_blocked_scripts(
    live_server, public_site, coordinator_a, context_factory
):
    course = public_site["course"]
    # A running course that meets this week fills the "your sessions this week" table.
    running = CourseFactory(
        program=course.program,
        title="Efterår, Lejre",
        status=Course.Status.RUNNING,
        first_date=timezone.localdate(),
    )
    now = timezone.now().replace(second=0, microsecond=0)
    SessionFactory(
        course=running, number=1, starts_at=now, ends_at=now + datetime.timedelta(hours=2)
    )
    planned = course.sessions.count()
    assert planned == course.program.weeks
    phone = TOTPDevice.objects.create(user=coordinator_a, name="Telefon", confirmed=True)

    page = context_factory().new_page()
    problems = BrowserProblems(page)

    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(live_server.url + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(coordinator_a.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    # Staff give a second factor: the code their authenticator app shows.
    expect(page).to_have_url(re.compile(r"/admin/login/kode/\?next="))
    page.get_by_label("Kode fra appen").fill(f"{totp(phone.bin_key):06d}")
    page.get_by_role("button", name="Fortsæt").click()

    expect(page).to_have_url(live_server.url + "/admin/")
    caption = page.locator("caption", has_text=SESSIONS_THIS_WEEK_CAPTION)
    expect(caption).to_be_visible()
    this_week = page.locator(".sessions-this-week table")
    expect(this_week).to_contain_text(running.title)
    expect(this_week).not_to_contain_text(course.title)
    save_screenshot(page, "admin-index")

    page.goto(live_server.url + "/admin/groups/course/")
    expect(page.locator("#result_list")).to_contain_text(course.title)
    expect(page.locator("#result_list")).to_contain_text(running.title)
    save_screenshot(page, "admin-course-changelist")

    page.locator("#result_list").get_by_role("link", name=course.title, exact=True).click()
    expect(page).to_have_url(live_server.url + f"/admin/groups/course/{course.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(course.title)
    session_rows = page.locator("#sessions-group tr.has_original")
    expect(session_rows).to_have_count(planned)
    expect(session_rows.first.locator("td.field-theme")).to_have_text("1. Velkommen")
    page.wait_for_load_state("load")
    save_screenshot(page, "admin-course-change")

    assert problems.script_csp == [], "\n".join(problems.script_csp)
    assert problems.errors == [], "\n".join(problems.errors)
    assert problems.failed_responses == [], "\n".join(problems.failed_responses)
