"""A statistics partner's programme report in a browser: the partner bound to Lejre sees the
Lejre course only, and — Håb og selvbestemmelse does not report attendance back ("Vi
rapporterer ikke tilbage vedr. fremmøde") — no attendance, completion or dropout figure."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.instruments import install_templates
from evaluation.models import Item, Phase, Questionnaire, Response
from evaluation.services import report_release_make
from participants.models import Attendance
from tests.e2e.helpers import WCAG_TAGS, format_axe_violations, save_screenshot, signed_in_page
from tests.factories import (
    CourseFactory,
    PartnerFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEJRE, HILLEROD = "350", "219"
# Every figure derived from attendance, as the report names them.
ATTENDANCE_WORDS = ("Fremmøde", "fremmøde pr. gang", "Frafald", "Gennemført", "gennemført")


def held_course(program, title, municipality, who5):
    course = CourseFactory(
        program=program, title=title, municipality=municipality, status="running"
    )
    start = timezone.now() - datetime.timedelta(days=1)
    session = SessionFactory(
        course=course, number=1, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    for registration in RegistrationFactory.create_batch(3, course=course, status="accepted"):
        Attendance.objects.create(session=session, registration=registration, status="present")
    for _n in range(5):
        Response.objects.create(
            course=course,
            phase=Phase.AFTER,
            questionnaire=who5,
            iso_week="2027-W10",
            answers={str(number): 4 for number in range(1, 6)},
        )
    report_release_make(course_id=course.pk, phase=Phase.AFTER)
    return course


@pytest.fixture
def report_url(org_a):
    who5, _chime = install_templates(Questionnaire, Item)
    haab = ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        share_attendance_with_partners=False,
    )
    held_course(haab, "Hold i Lejre", LEJRE, who5)
    held_course(haab, "Hold i Hillerød", HILLEROD, who5)
    return reverse("admin:evaluation_report_change", args=[haab.pk])


@pytest.fixture
def lejre_partner(org_a):
    return PartnerFactory(
        username="partner.lejre", organisations=[org_a], organisations__municipalities=[LEJRE]
    )


def test_the_partners_report_shows_no_attendance_figure_and_no_course_outside_its_municipalities(
    live_server, context_factory, report_url, lejre_partner
):
    page = signed_in_page(context_factory, live_server, lejre_partner)
    csp = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    page.goto(live_server.url + report_url)

    content = page.locator("#content")
    expect(content.get_by_text("Håb og selvbestemmelse i hverdagslivet").first).to_be_visible()
    expect(content.get_by_text("Hold i Lejre").first).to_be_visible()
    expect(content.get_by_text("Programmet deler ikke fremmøde med partnere.")).to_be_visible()
    assert content.get_by_text("Hold i Hillerød").count() == 0
    # What the page shows apart from the note saying why these figures are left out.
    note = content.locator("p.report-note", has_text="deler ikke fremmøde")
    text = content.inner_text().replace(note.inner_text(), "")
    assert [word for word in ATTENDANCE_WORDS if word in text] == [], text
    save_screenshot(page, "admin-partner-report")
    assert csp == []

    axe_page = signed_in_page(context_factory, live_server, lejre_partner, bypass_csp=True)
    axe_page.goto(live_server.url + report_url)
    violations = (
        Axe()
        .run(axe_page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        .response["violations"]
    )
    assert violations == [], format_axe_violations(violations)
