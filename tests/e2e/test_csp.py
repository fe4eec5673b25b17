"""The main public, peer and admin pages under the real Content Security Policy.

The browser context does not bypass the CSP, so any inline script or style the policy
forbids shows up as a violation in the console.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from evaluation import services as evaluation_services
from groups.models import Course
from participants.models import Participant, Registration
from tests.e2e.helpers import save_screenshot, signed_in_page
from volunteers.models import Peer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    course = Course.objects.get(title="Fredericia, formiddag")
    return {
        "course": course,
        "organisation": course.program.organisation,
        "registration": Registration.objects.filter(course=course).first(),
        "participant": Participant.objects.filter(registrations__course=course).first(),
        "peer": Peer.objects.get(user__username="peer.demo"),
        "session": course.sessions.order_by("number").first(),
    }


def walk(page, live_server, paths, screenshots=()):
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("load")
        if path in screenshots:
            save_screenshot(page, screenshots[path])
    return violations


def test_public_pages_raise_no_csp_violations(live_server, context_factory, demo):
    token = evaluation_services.invitation_create(course_id=demo["course"].pk, phase="after")
    paths = [
        "/",
        f"/organisationer/{demo['organisation'].slug}/",
        f"/organisationer/{demo['organisation'].slug}/privatliv/",
        f"/forloeb/{demo['course'].pk}/",
        f"/forloeb/{demo['course'].pk}/tilmeld/",
        f"/evaluation/{token}/",
        "/log-ind/",
        "/admin/login/",
    ]
    page = context_factory("phone").new_page()
    assert walk(page, live_server, paths) == []


def test_peer_pages_raise_no_csp_violations(live_server, context_factory, demo):
    page = signed_in_page(context_factory, live_server, demo["peer"].user, viewport="phone")
    session = demo["peer"].assignments.first().course.sessions.order_by("number").first()
    assert (
        walk(page, live_server, ["/peer/", f"/peer/gange/{session.pk}/", "/peer/kalender/"]) == []
    )


def test_admin_pages_raise_no_csp_violations(live_server, context_factory, demo):
    coordinator = get_user_model().objects.get(username="koordinator.lejre")
    course, program = demo["course"], demo["course"].program
    superuser = get_user_model().objects.create_superuser("root.csp", password="x" * 16)
    paths = [
        "/admin/",
        "/admin/groups/course/",
        f"/admin/groups/course/{course.pk}/change/",
        f"/admin/groups/program/{program.pk}/change/",
        "/admin/participants/registration/",
        f"/admin/participants/registration/{demo['registration'].pk}/change/",
        f"/admin/participants/participant/{demo['participant'].pk}/change/",
        "/admin/volunteers/peer/",
        f"/admin/volunteers/peer/{demo['peer'].pk}/change/",
        f"/admin/evaluation/report/{program.pk}/change/",
        f"/admin/evaluation/report/course/{course.pk}/",
        f"/admin/evaluation/report/{program.pk}/tariff/",
        "/admin/peerprogram/outboxmessage/",
        "/admin/peerprogram/auditentry/",
        "/admin/peerprogram/membership/add/",
        f"/admin/peerprogram/retentionpolicy/{demo['organisation'].pk}/dry-run/",
        f"/admin/participants/participant/{demo['participant'].pk}/erase/",
    ]
    screenshots = {
        paths[-4]: "admin-audit-trail",
        paths[-3]: "admin-staff-invite",
        paths[-2]: "admin-retention-dry-run",
        paths[-1]: "admin-erase-confirm",
    }
    page = signed_in_page(context_factory, live_server, superuser)
    assert walk(page, live_server, paths, screenshots) == []
    # A coordinator's own index, with this week's sessions.
    page = signed_in_page(context_factory, live_server, coordinator)
    assert walk(page, live_server, ["/admin/"]) == []
