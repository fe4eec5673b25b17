"""Report CSVs open in a spreadsheet as data: names and texts never run as formulas."""

import csv
import io

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Item, Phase, Questionnaire, Response
from tests.factories import CourseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x")'


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def planted(org_a):
    """A programme, a course, a questionnaire and an answer option named like formulas, with
    five answers so that every figure is shown."""
    program = ProgramFactory(organisation=org_a, name="+SUM(1;2)")
    course = CourseFactory(program=program, title=HYPERLINK)
    questionnaire = Questionnaire.objects.create(
        organisation=org_a,
        program=program,
        name="@SUM(1)",
        scale=[{"score": 1, "label": "=1+1"}, {"score": -1, "label": "Nej"}],
    )
    Item.objects.create(questionnaire=questionnaire, number=1, text="Har du det godt?")
    for _n in range(5):
        Response.objects.create(
            course=course,
            phase=Phase.AFTER,
            questionnaire=questionnaire,
            iso_week="2027-W10",
            answers={"1": -1},
        )
    services.report_release_make(course_id=course.pk, phase=Phase.AFTER)
    return course


def test_a_course_titled_like_a_formula_is_text_in_the_programme_csv(
    planted, client_for, coordinator_a
):
    url = reverse("admin:evaluation_report_csv", args=[planted.program.pk])
    rows = csv_rows(client_for(coordinator_a).get(url))

    assert {row["forløb"] for row in rows if row["niveau"] == "forløb"} == {"'" + HYPERLINK}
    assert "'@SUM(1)" in {row["spørgeskema"] for row in rows}
    assert "'=1+1" in {row["svarmulighed"] for row in rows}
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())


def test_a_negative_mean_stays_a_number_in_the_course_csv(planted, client_for, coordinator_a):
    url = reverse("admin:evaluation_report_course_csv", args=[planted.pk])
    rows = csv_rows(client_for(coordinator_a).get(url))

    assert {row["forløb"] for row in rows} == {"'" + HYPERLINK}
    means = [row["værdi"] for row in rows if row["mål"] == "gennemsnit"]
    assert means == ["-1,00"]
