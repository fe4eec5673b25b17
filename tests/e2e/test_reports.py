"""The coordinator's evaluation report in a browser: charts drawn, accessible, under the CSP."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from evaluation import services
from evaluation.instruments import install_templates
from evaluation.models import Item, Phase, Questionnaire, Response
from tests.e2e.helpers import (
    WCAG_TAGS,
    format_axe_violations,
    save_screenshot,
    signed_in_page,
)
from tests.factories import CourseFactory, RegistrationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def report_url(program_a):
    who5, chime = install_templates(Questionnaire, Item)
    course = CourseFactory(program=program_a, title="Forår, Hvalsø", status="finished")
    for n in range(7):
        RegistrationFactory(course=course, status="completed")
        for phase, base in [(Phase.BEFORE, 1), (Phase.AFTER, 3)]:
            level = min(5, base + n % 3)
            Response.objects.create(
                course=course,
                phase=phase,
                questionnaire=who5,
                iso_week="2027-W12",
                answers={str(i): level for i in range(1, 6)},
            )
            Response.objects.create(
                course=course,
                phase=phase,
                questionnaire=chime,
                iso_week="2027-W12",
                answers={str(i): min(4, base + (n + i) % 2) for i in range(1, 9)}
                | {"9": f"Rart at møde andre, der kender det (svar {n})"},
            )
    for phase in (Phase.BEFORE, Phase.AFTER):
        services.report_release_make(course_id=course.pk, phase=phase)
    return f"/admin/evaluation/report/course/{course.pk}/"


def test_the_course_report_draws_its_charts_without_blocked_scripts(
    live_server, context_factory, report_url, coordinator_a
):
    page = signed_in_page(context_factory, live_server, coordinator_a)
    csp = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    page.goto(live_server.url + report_url)
    expect(page.get_by_role("heading", name="Før og efter")).to_be_visible()
    expect(
        page.get_by_role("img", name="Gennemsnit før og efter: WHO-5 Trivselsindeks")
    ).to_be_visible()
    expect(page.locator(".chart-distribution").first).to_be_visible()
    save_screenshot(page, "admin-evaluation-report")
    assert csp == []


def test_the_course_report_meets_wcag_2_1_aa(
    live_server, context_factory, report_url, coordinator_a
):
    page = signed_in_page(context_factory, live_server, coordinator_a, bypass_csp=True)
    page.goto(live_server.url + report_url)
    violations = (
        Axe()
        .run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        .response["violations"]
    )
    assert violations == [], format_axe_violations(violations)
