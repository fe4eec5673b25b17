"""The contact card ({% contact_card %}) in a real browser: the pages that show it meet WCAG 2.1
AA (axe-core, in a context that bypasses the policy so axe can be injected), keep to the
Content Security Policy, and a long e-mail address wraps at 320 px instead of scrolling."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from groups.models import Course
from groups.services import course_plan_sessions
from peerprogram.models import Organisation
from tests.e2e.helpers import PUBLIC_VIEWPORTS, WCAG_TAGS, format_axe_violations, wait_for_fonts
from tests.e2e.test_registration import horizontal_overflow
from tests.factories import CourseFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contact_pages(org_a, org_b):
    Organisation.objects.filter(pk=org_a.pk).update(
        contact_name="Mette, koordinator for peer-forløbene",
        contact_phone="+4520304050",
        contact_email="peer-koordinator.familie-og-boern@lejre.eksempel.dk",
        contact_is_example=True,
    )
    program = ProgramFactory(organisation=org_a, name="Unge hjælper unge")
    course = CourseFactory(program=program, status=Course.Status.OPEN)
    course_plan_sessions(course=course)
    closed = CourseFactory(
        program=program,
        title="Aflyst hold",
        first_date=course.first_date + datetime.timedelta(weeks=2),
    )
    course_plan_sessions(course=closed)
    Course.objects.filter(pk=closed.pk).update(status=Course.Status.CANCELLED)
    return {
        "organisation": f"/organisationer/{org_a.slug}/",
        "course": f"/forloeb/{course.pk}/",
        "closed": f"/forloeb/{closed.pk}/tilmeld/",
        "status-unknown": "/tilmelding/ikke-et-link/",
    }


PAGES = ["organisation", "course", "closed", "status-unknown"]


@pytest.mark.parametrize("viewport", PUBLIC_VIEWPORTS)
@pytest.mark.parametrize("page_name", PAGES)
def test_pages_with_the_contact_card_meet_wcag_2_1_aa(
    live_server, contact_pages, context_factory, viewport, page_name
):
    page = context_factory(viewport, bypass_csp=True).new_page()
    page.goto(live_server.url + contact_pages[page_name])
    wait_for_fonts(page)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert violations == [], f"{page_name} ({viewport}):\n{format_axe_violations(violations)}"
    if viewport == "narrow":
        assert horizontal_overflow(page) is None


def test_pages_with_the_contact_card_raise_no_csp_violations(
    live_server, contact_pages, context_factory
):
    page = context_factory("phone").new_page()
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message),
    )
    for name in PAGES:
        page.goto(live_server.url + contact_pages[name])
        page.wait_for_load_state("load")
        assert page.locator(".contact-card").count() == 1, name
    assert violations == []
