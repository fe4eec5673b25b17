"""Answering an evaluation on a phone: accessible, under the CSP, and only once."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import services
from evaluation.instruments import install_templates
from evaluation.models import Item, Phase, Questionnaire, Response
from groups.services import course_plan_sessions
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot
from tests.factories import CourseFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def token(org_a):
    # Transactional tests start from empty tables: put the shipped templates back.
    install_templates(Questionnaire, Item)
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
        first_date=timezone.localdate() - datetime.timedelta(weeks=11),
        status="finished",
    )
    course_plan_sessions(course=course)
    return services.invitation_create(course_id=course.pk, phase=Phase.AFTER)


def test_a_participant_answers_on_a_phone(live_server, context_factory, token):
    page = context_factory("phone").new_page()
    csp = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    page.goto(f"{live_server.url}/evaluation/{token}/")
    expect(page.get_by_role("heading", name="Hvordan har forløbet været for dig?")).to_be_visible()
    page.get_by_role(
        "group", name="I de sidste 2 uger har jeg været glad og i godt humør"
    ).get_by_label("Det meste af tiden").check()
    save_screenshot(page, "evaluation-phone")
    page.get_by_role("button", name="Send mine svar").click()
    expect(page.get_by_role("heading", name="Tak for dine svar")).to_be_visible()
    assert Response.objects.exists()
    page.goto(f"{live_server.url}/evaluation/{token}/")
    expect(page.get_by_role("heading", name="Linket virker ikke længere")).to_be_visible()
    assert csp == []


def test_the_evaluation_page_meets_wcag_2_1_aa(live_server, context_factory, token):
    page = context_factory("phone", bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/evaluation/{token}/")
    violations = (
        Axe()
        .run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        .response["violations"]
    )
    assert violations == [], format_axe_violations(violations)
