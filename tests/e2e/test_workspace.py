"""The coordinator's workspace in a real browser, on the demo data: every workspace page loads
under the Content Security Policy, meets WCAG 2.1 AA (axe-core), and fits a 1366 px laptop and
a 768 px tablet without scrolling sideways. Screenshots go to `.artifacts/screenshots/`."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import Session
from participants.models import Registration
from tests.e2e.helpers import (
    WCAG_TAGS,
    format_axe_violations,
    save_screenshot,
    signed_in_page,
    wait_for_fonts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = "koordinator.peer"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    coordinator = get_user_model().objects.get(username=COORDINATOR)
    waiting = Registration.objects.filter(
        status=Registration.Status.NEEDS_REVIEW,
        course__program__organisation__memberships__user=coordinator,
    ).first()
    return {"coordinator": coordinator, "waiting": waiting}


def workspace_pages(demo) -> dict[str, str]:
    """Every workspace page a coordinator opens, by a name for its screenshot."""
    course = demo["waiting"].course
    ahead = course.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    held = (
        Session.objects.filter(
            course__program__organisation=course.program.organisation,
            starts_at__lt=timezone.now(),
            status=Session.Status.PLANNED,
        )
        .order_by("-starts_at")
        .first()
    )
    return {
        "today": reverse("workspace:today"),
        "courses": reverse("workspace:courses"),
        "course": reverse("workspace:course", args=[course.pk]),
        "session-move": reverse("workspace:session_move", args=[ahead.pk]),
        "session-cancel": reverse("workspace:session_cancel", args=[ahead.pk]),
        "course-register": reverse("workspace:course_register", args=[course.pk]),
        "course-message": reverse("workspace:course_message", args=[course.pk]),
        "course-roster": reverse("workspace:course_roster", args=[course.pk]),
        "session-attendance": reverse("workspace:session_attendance", args=[held.pk]),
        "facilitator-assign": reverse("workspace:facilitator_assign", args=[course.pk]),
        "substitute": reverse("workspace:substitute", args=[ahead.pk]),
        "registration": reverse("workspace:registration", args=[demo["waiting"].pk]),
        "decision-accept": reverse(
            "workspace:registration_decision", args=[demo["waiting"].pk, "optag"]
        ),
        "decision-move": reverse(
            "workspace:registration_decision", args=[demo["waiting"].pk, "flyt"]
        ),
    }


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", ["laptop", "tablet"])
def test_workspace_pages_fit_the_screen_and_raise_no_csp_violations(
    live_server, context_factory, demo, viewport
):
    page = signed_in_page(context_factory, live_server, demo["coordinator"], viewport=viewport)
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )
    wide = []
    for name, path in workspace_pages(demo).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        wait_for_fonts(page)
        if scrolls_sideways(page):
            wide.append(path)
        save_screenshot(page, f"workspace-{name}-{viewport}")
    assert violations == []
    assert wide == [], f"scrolls sideways at {viewport}: {wide}"


def test_workspace_pages_meet_wcag_2_1_aa(live_server, context_factory, demo):
    # axe-core is injected as an inline script, which the real policy forbids.
    page = signed_in_page(
        context_factory, live_server, demo["coordinator"], viewport="laptop", bypass_csp=True
    )
    found = {}
    for name, path in workspace_pages(demo).items():
        assert page.goto(live_server.url + path).status == 200, path
        wait_for_fonts(page)
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        if violations := results.response["violations"]:
            found[name] = format_axe_violations(violations)
    assert found == {}, "\n".join(f"{name}:\n{text}" for name, text in found.items())
