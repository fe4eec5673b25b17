"""Mends in the admin that stays (issue #12, item 7): the course list's session count, the
report pages' links, municipality names, and the mark for a moved session."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import CourseFactory, ParticipantFactory, SessionFactory
from tests.volunteers.factories import CourseFacilitatorFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def cell(page: str, column: str) -> list[str]:
    """The text of each changelist cell of `column` (Django's class "field-<column>")."""
    found = re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', page, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


def sessions(course, count, *, moved=()):
    for number in range(1, count + 1):
        starts = datetime.datetime(2027, 1, 12, 10, tzinfo=UTC) + datetime.timedelta(weeks=number)
        SessionFactory(
            course=course,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            moved=number in moved,
        )


def test_the_course_list_counts_each_session_once_however_many_facilitators(
    client, coordinator_a, program_a
):
    course = CourseFactory(program=program_a, title="To facilitatorer")
    sessions(course, 10)
    CourseFacilitatorFactory(course=course)
    CourseFacilitatorFactory(course=course)
    log_in(client, coordinator_a)

    page = client.get(reverse("admin:groups_course_changelist")).content.decode()

    assert cell(page, "session_count") == ["10"]
    assert cell(page, "facilitator_count")[0].startswith("2/")


def object_tools(page: str) -> list[str]:
    tools = re.search(r'<ul class="object-tools">(.*?)</ul>', page, flags=re.S)
    assert tools, "the page has no object tools"
    return re.findall(r'href="([^"]+)"', tools.group(1))


def test_the_report_pages_link_to_their_pdf_csv_tariff_and_answer_cards(
    client, coordinator_a, program_a
):
    course = CourseFactory(program=program_a)
    log_in(client, coordinator_a)

    program_page = client.get(reverse("admin:evaluation_report_change", args=[program_a.pk]))
    course_page = client.get(reverse("admin:evaluation_report_course", args=[course.pk]))

    program_links = object_tools(program_page.content.decode())
    course_links = object_tools(course_page.content.decode())
    assert program_links == [
        reverse("admin:evaluation_report_pdf", args=[program_a.pk]),
        reverse("admin:evaluation_report_csv", args=[program_a.pk]),
        reverse("admin:evaluation_report_tariff", args=[program_a.pk]),
    ]
    assert course_links == [
        reverse("admin:evaluation_report_course_pdf", args=[course.pk]),
        reverse("admin:evaluation_report_course_csv", args=[course.pk]),
        reverse("admin:evaluation_report_sheet", args=[course.pk]),
    ]
    for link in program_links + course_links:
        assert client.get(link).status_code == 200, link
    # The stylesheet that keeps the buttons on a line of their own is on the page.
    assert "css/admin.css" in program_page.content.decode()


def test_the_course_list_filters_by_municipality_name(client, coordinator_a, program_a):
    CourseFactory(program=program_a, title="I Lejre", municipality="350")
    CourseFactory(program=program_a, title="I Roskilde", municipality="265")
    log_in(client, coordinator_a)
    url = reverse("admin:groups_course_changelist")

    page = client.get(url).content.decode()
    filtered = client.get(url, {"municipality": "265"}).content.decode()

    assert "?municipality=350" in page and ">Lejre</a>" in page
    assert ">Roskilde</a>" in page and ">Holbæk</a>" not in page  # only where courses are
    assert "I Roskilde" in filtered and "I Lejre" not in filtered


def test_a_participant_shows_their_municipality_by_name(client, coordinator_a, org_a):
    participant = ParticipantFactory(organisation=org_a, municipality="350")
    log_in(client, coordinator_a)

    listing = client.get(reverse("admin:participants_participant_changelist")).content.decode()
    form = client.get(
        reverse("admin:participants_participant_change", args=[participant.pk])
    ).content.decode()

    assert cell(listing, "municipality_label") == ["Lejre"]
    assert ">Lejre</a>" in listing  # the filter
    assert '<option value="350" selected>Lejre</option>' in form


def test_only_moved_sessions_are_marked_moved(client, coordinator_a, course_a):
    sessions(course_a, 3, moved={2})
    log_in(client, coordinator_a)

    listing = client.get(reverse("admin:groups_session_changelist")).content.decode()
    course_page = client.get(
        reverse("admin:groups_course_change", args=[course_a.pk])
    ).content.decode()

    first, second, third = cell(listing, "moved_mark")
    assert second == "Flyttet"
    assert first == third == "-"  # the admin's mark for an empty value, not a red cross
    assert "icon-no.svg" not in listing and "icon-no.svg" not in course_page
    assert [mark == "Flyttet" for mark in cell(course_page, "moved_mark")] == [False, True, False]
