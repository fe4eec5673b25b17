"""Partners see only what was promised: the courses held in the municipalities they represent,
totals from those courses alone, and no figure derived from attendance unless the programme
shares it."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation.models import Phase, Questionnaire, Response
from evaluation.services import report_release_make
from participants.figures import program_figures
from participants.models import Attendance
from peerprogram.models import Membership
from peerprogram.permissions import report_course_filter
from tests.evaluation.test_reports import csv_of
from tests.factories import (
    CourseFactory,
    PartnerFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

LEJRE, HILLEROD = "350", "219"


def who5_answers(course, count, level):
    who5 = Questionnaire.objects.get(name="WHO-5 Trivselsindeks", organisation=None)
    for _n in range(count):
        Response.objects.create(
            course=course,
            phase=Phase.AFTER,
            questionnaire=who5,
            iso_week="2027-W10",
            answers={str(number): level for number in range(1, 6)},
        )
    report_release_make(course_id=course.pk, phase=Phase.AFTER)


def attended(course, registrations):
    """A session held yesterday with everyone present."""
    start = timezone.now() - datetime.timedelta(days=1)
    session = SessionFactory(
        course=course, number=1, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    for registration in registrations:
        Attendance.objects.create(session=session, registration=registration, status="present")


@pytest.fixture
def two_municipalities(program_a):
    """A course in Lejre (2 seated, 5 answers of 60) and one in Hillerød (3 seated, 5 answers
    of 100)."""
    lejre = CourseFactory(
        program=program_a, title="Hold i Lejre", municipality=LEJRE, status="running"
    )
    hillerod = CourseFactory(
        program=program_a, title="Hold i Hillerød", municipality=HILLEROD, status="running"
    )
    attended(lejre, RegistrationFactory.create_batch(2, course=lejre, status="accepted"))
    attended(hillerod, RegistrationFactory.create_batch(3, course=hillerod, status="accepted"))
    who5_answers(lejre, 5, level=3)
    who5_answers(hillerod, 5, level=5)
    return lejre, hillerod


@pytest.fixture
def lejre_partner(org_a):
    return PartnerFactory(username="partner.lejre", organisations=[org_a])


def test_a_partner_bound_to_lejre_sees_only_lejre_courses_and_totals_from_them(
    org_a, program_a, two_municipalities, lejre_partner, client_for
):
    lejre, hillerod = two_municipalities
    client = client_for(lejre_partner)

    page = client.get(reverse("admin:evaluation_report_change", args=[program_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hold i Lejre" in html and "Hold i Hillerød" not in html
    # The total is Lejre's alone: 2 registrations, a mean WHO-5 score of 60 (not 80).
    assert '<th scope="row">I alt</th>\n    <td class="num">2</td>' in html

    rows = csv_of(client.get(reverse("admin:evaluation_report_csv", args=[program_a.pk])))
    assert {row["forløb"] for row in rows if row["niveau"] == "forløb"} == {"Hold i Lejre"}
    (total,) = [
        row for row in rows if row["niveau"] == "program" and row["mål"] == "gennemsnitlig score"
    ]
    assert (total["værdi"], total["antal svar"]) == ("60,00", "5")

    figures = program_figures(program_a, course_filter=report_course_filter(lejre_partner, org_a))
    assert [course.course_id for course in figures.courses] == [lejre.pk]
    assert (figures.registrations, figures.accepted) == (2, 2)

    for name in ("course", "course_csv", "course_pdf"):
        url = reverse(f"admin:evaluation_report_{name}", args=[hillerod.pk])
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("admin:evaluation_report_course", args=[lejre.pk])).status_code == 200

    listing = client.get(reverse("admin:evaluation_report_changelist")).content.decode()
    assert 'class="field-course_count">1<' in listing


def test_the_programme_coordinator_still_sees_every_course_and_the_whole_total(
    program_a, two_municipalities, coordinator_a, client_for
):
    rows = csv_of(
        client_for(coordinator_a).get(reverse("admin:evaluation_report_csv", args=[program_a.pk]))
    )
    assert {row["forløb"] for row in rows if row["niveau"] == "forløb"} == {
        "Hold i Lejre",
        "Hold i Hillerød",
    }
    (total,) = [
        row for row in rows if row["niveau"] == "program" and row["mål"] == "gennemsnitlig score"
    ]
    assert (total["værdi"], total["antal svar"]) == ("80,00", "10")


def test_a_partner_bound_to_no_municipality_sees_no_course(program_a, two_municipalities, org_a):
    partner = PartnerFactory(username="partner.ingen", organisations=[org_a])
    Membership.objects.filter(user=partner).update(municipalities=[])
    figures = program_figures(program_a, course_filter=report_course_filter(partner, org_a))
    assert figures.courses == [] and figures.registrations == 0


def test_with_attendance_sharing_off_no_attendance_derived_figure_reaches_the_partner(
    program_a, two_municipalities, lejre_partner, client_for
):
    lejre, _hillerod = two_municipalities
    client = client_for(lejre_partner)
    pages = {
        "program": client.get(reverse("admin:evaluation_report_change", args=[program_a.pk])),
        "course": client.get(reverse("admin:evaluation_report_course", args=[lejre.pk])),
    }
    for name, page in pages.items():
        html = page.content.decode()
        for word in ("Fremmøde pr. gang", ">Frafald<", ">Gennemført<", ">Fremmøde<"):
            assert word not in html, (name, word)
        assert "Programmet deler ikke fremmøde med partnere." in html

    pdfs = [
        client.get(reverse("admin:evaluation_report_pdf", args=[program_a.pk])),
        client.get(reverse("admin:evaluation_report_course_pdf", args=[lejre.pk])),
    ]
    for pdf in pdfs:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Tilmeldinger" in text
        assert not re.search(r"Frafald:? *\d|Frafald: en|Gennemført|Fremmøde", text), text

    for url in (
        reverse("admin:evaluation_report_csv", args=[program_a.pk]),
        reverse("admin:evaluation_report_course_csv", args=[lejre.pk]),
    ):
        measures = {row["mål"].casefold() for row in csv_of(client.get(url))}
        assert not [m for m in measures if m.startswith(("fremmøde", "frafald", "gennemført"))]


def test_with_attendance_sharing_on_the_partner_sees_attendance_dropout_and_completion(
    program_a, two_municipalities, lejre_partner, client_for
):
    program_a.share_attendance_with_partners = True
    program_a.save()
    lejre, _hillerod = two_municipalities
    html = (
        client_for(lejre_partner)
        .get(reverse("admin:evaluation_report_course", args=[lejre.pk]))
        .content.decode()
    )
    for word in ("Fremmøde pr. gang", ">Frafald<", ">Gennemført<"):
        assert word in html
