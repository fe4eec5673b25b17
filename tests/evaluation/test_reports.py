"""Outcome reports: small groups hidden (also by subtraction), scores, charts and exports."""

import csv
import io
import random
import re
from statistics import fmean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from evaluation import report_csv, reports, scoring, services, suppression
from evaluation.instruments import CHIME_NAME, WHO5_NAME
from evaluation.models import Invitation, Phase, Questionnaire, Response
from evaluation.suppression import FEW, SUBTRACTION, hidden_courses
from peerprogram.models import OutboxMessage
from peerprogram.tokens import token_hash
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory
from tests.pdf_structure import assert_accessible_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def who5():
    return Questionnaire.objects.get(name=WHO5_NAME, organisation=None)


@pytest.fixture
def chime():
    return Questionnaire.objects.get(name=CHIME_NAME, organisation=None)


def who5_answers(*raw_items):
    return {str(number): score for number, score in enumerate(raw_items, start=1)}


def answer(course, questionnaire, answers, phase=Phase.AFTER, release=True):
    """One stored response; `release` makes the release step that `response_submit` makes
    once a person's answers (to every questionnaire of the form) are stored."""
    response = Response.objects.create(
        course=course,
        phase=phase,
        questionnaire=questionnaire,
        iso_week="2027-W10",
        answers=answers,
    )
    if release:
        services.report_release_make(course_id=course.pk, phase=phase)
    return response


def answer_who5(course, who5, count, phase=Phase.AFTER, items=(3, 3, 3, 3, 3), release=True):
    for _n in range(count):
        answer(course, who5, who5_answers(*items), phase, release=release)


def csv_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# The suppression rule ----------------------------------------------------------------------


def test_a_course_under_five_is_hidden_and_one_other_course_with_it():
    assert hidden_courses({1: 4, 2: 5}) == {1: FEW, 2: SUBTRACTION}
    # The smallest shown course is the one hidden with it.
    assert hidden_courses({1: 4, 2: 7, 3: 5}) == {1: FEW, 3: SUBTRACTION}
    # Two small groups hide each other; nothing more is needed.
    assert hidden_courses({1: 4, 2: 3, 3: 6}) == {1: FEW, 2: FEW}
    # A course without answers reveals nothing.
    assert hidden_courses({1: 0, 2: 6}) == {}
    # When the programme total is itself under 5 it is hidden: no second figure is needed.
    assert hidden_courses({1: 3, 2: 0}) == {1: FEW}


# Per course ---------------------------------------------------------------------------------


def test_a_course_with_four_answers_shows_no_figures(program_a, who5, client_for, coordinator_a):
    course = CourseFactory(program=program_a, title="Hold Fire")
    answer_who5(course, who5, 4, items=(5, 5, 5, 5, 1))

    group = reports.course_report(course)
    # Four answers are not released: no figure at all, and a count that only says "under 5".
    assert group.after == []
    assert not group.answered_after.visible and group.answered_after.count_text == "under 5"

    client_for(coordinator_a)
    page = client_for(coordinator_a).get(
        reverse("admin:evaluation_report_course", args=[course.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "færre end 5 svar" in html
    # The group's WHO-5 mean (21 × 4) is nowhere in the page's text (ids in links and the
    # CSRF token may contain the digits).
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b84\b", text)
    assert "Gennemsnitlig score" not in html


def test_a_course_with_five_answers_shows_scores_bands_and_distributions(
    program_a, who5, client_for, coordinator_a
):
    course = CourseFactory(program=program_a, title="Hold Fem")
    for items in [
        (5, 5, 5, 5, 5),
        (1, 1, 1, 1, 1),
        (2, 2, 2, 2, 2),
        (3, 3, 3, 3, 3),
        (0, 1, 2, 3, 4),
    ]:
        answer(course, who5, who5_answers(*items))

    (report,) = reports.course_report(course).after
    # Percent scores 100, 20, 40, 60, 40: mean 52, a "good" mean; bands 1 + 2 + 2.
    assert report.score.mean == pytest.approx(52)
    assert [(band.key, band.count) for band in report.score.bands] == [
        ("likely_depression", 1),
        ("poor", 2),
        ("good", 2),
    ]
    first = report.items[0]
    assert [(option.score, option.count) for option in first.options] == [
        (5, 1),
        (4, 0),
        (3, 1),
        (2, 1),
        (1, 1),
        (0, 1),
    ]
    assert first.mean == pytest.approx(11 / 5)

    page = client_for(coordinator_a).get(
        reverse("admin:evaluation_report_course", args=[course.pk])
    )
    html = page.content.decode()
    assert "<svg" in html and "chart-distribution" in html
    assert "52,0" in html
    assert "Lav trivsel (≤ 50)" in html


def test_reverse_scored_items_and_domains_count_reversed(program_a, chime):
    course = CourseFactory(program=program_a)
    # Item 2 ("alone with my problems") is reverse scored: 0 counts as 4.
    for _n in range(5):
        answer(course, chime, {"1": 2, "2": 0, "3": 4, "4": 4, "5": 3, "6": 3, "7": 1, "8": 1})

    (report,) = reports.course_report(course).after
    domains = {domain.domain: domain.mean for domain in report.domains}
    assert domains == {
        "connectedness": 3,
        "hope": 4,
        "identity": 3,
        "meaning": 3,
        "empowerment": 1,
    }
    assert report.items[1].mean == 4
    assert report.score.mean == pytest.approx((2 + 4 + 4 + 4 + 3 + 3 + 1 + 1) / 8)


def test_before_and_after_means_are_compared_only_when_both_groups_are_shown(program_a, who5):
    course = CourseFactory(program=program_a)
    answer_who5(course, who5, 6, Phase.BEFORE, items=(2, 2, 2, 2, 2))  # 40
    answer_who5(course, who5, 5, Phase.AFTER, items=(3, 3, 3, 3, 3))  # 60

    (comparison,) = reports.course_report(course).comparisons
    assert (comparison.before.mean, comparison.after.mean, comparison.change) == (40, 60, 20)

    Response.objects.filter(phase=Phase.AFTER).first().delete()
    group = reports.course_report(course)
    # Four after answers are too few: no after figures, so no comparison.
    assert group.comparisons == [] and group.after == []
    assert group.before[0].score.mean == 40


def test_free_text_is_shown_only_for_five_or_more_and_in_random_order(program_a, chime):
    course = CourseFactory(program=program_a)
    texts = [f"Tanke nummer {n}" for n in range(4)]
    for text in texts:
        answer(course, chime, {"9": text})
    # Four answers are not released: no text and no figure.
    assert reports.course_report(course).after == []

    texts.append("Tanke nummer 4")
    answer(course, chime, {"9": texts[-1]})
    orders = {
        tuple(reports.course_report(course, rng=random.Random(seed)).after[0].items[-1].texts)
        for seed in range(6)
    }
    assert all(sorted(order) == sorted(texts) for order in orders)
    assert len(orders) > 1


# Per programme: nothing revealed by subtraction ------------------------------------------------


@pytest.fixture
def suppression_only(monkeypatch):
    """Every answer released at once, so small groups reach the report: what the subtraction
    rule must hide on its own (with releases, no figure is built from 1–4 answers)."""
    monkeypatch.setattr(suppression, "release_due", lambda new: True)
    monkeypatch.setattr(suppression, "release_cutoff", len)


@pytest.fixture
def four_and_five(program_a, who5, suppression_only):
    small = CourseFactory(program=program_a, title="Hold Lille")
    larger = CourseFactory(program=program_a, title="Hold Større")
    answer_who5(small, who5, 4, items=(0, 0, 0, 0, 1))  # 4 each
    answer_who5(larger, who5, 5, items=(5, 5, 5, 5, 5))  # 100 each
    return small, larger


def test_the_programme_total_cannot_reveal_a_hidden_course(program_a, four_and_five):
    small, larger = four_and_five
    report = reports.program_report(program_a)
    (total,) = report.total.after
    assert total.score.mean == pytest.approx((4 * 4 + 5 * 100) / 9)
    by_course = {group.course_id: group.after[0] for group in report.courses}
    assert by_course[small.pk].score.shown.hidden_reason == FEW
    assert by_course[larger.pk].score.shown.hidden_reason == SUBTRACTION
    assert by_course[larger.pk].score.mean is None
    assert all(not item.options for item in by_course[larger.pk].items)
    # The larger course's own page hides it too.
    assert reports.course_report(larger).after[0].score.mean is None


def test_csv_hides_the_same_figures(program_a, four_and_five, client_for, coordinator_a):
    small, larger = four_and_five
    rows = csv_of(
        client_for(coordinator_a).get(reverse("admin:evaluation_report_csv", args=[program_a.pk]))
    )
    course_figures = [
        row
        for row in rows
        if row["niveau"] == "forløb" and row["mål"] not in ("inviterede", "besvarelser")
    ]
    assert course_figures
    assert {row["værdi"] for row in course_figures} == {"skjult"}
    total_score = next(
        row for row in rows if row["niveau"] == "program" and row["mål"] == "gennemsnitlig score"
    )
    assert total_score["værdi"] == "57,33"
    assert total_score["antal svar"] == "9"
    # No free text ever goes into the CSV.
    assert all("Tanke" not in value for row in rows for value in row.values())


def test_programme_page_and_pdf_show_charts(
    program_a, four_and_five, who5, client_for, coordinator_a
):
    small, larger = four_and_five
    answer_who5(larger, who5, 5, Phase.BEFORE, items=(2, 2, 2, 2, 2))
    client = client_for(coordinator_a)
    page = client.get(reverse("admin:evaluation_report_change", args=[program_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in html and "Gennemsnit før og efter" in html
    pdf = client.get(reverse("admin:evaluation_report_pdf", args=[program_a.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Evalueringsrapport" in text and "Hele programmet" in text
    # Tagged: each chart is a figure whose alternative text says what it shows.
    assert_accessible_pdf(pdf.content, tables=True, alt_texts=("Gennemsnit før og efter",))


def _figures(group):
    """Every figure of a group as (key, shown)."""
    for report in group.questionnaires:
        key = (report.phase, report.questionnaire.pk)
        yield (*key, "responses"), report.responses
        yield (*key, "score"), report.score.shown
        for domain in report.domains:
            yield (*key, "domain", domain.domain), domain.shown
        for item in report.items:
            yield (*key, "item", item.number), item.shown


def remainders(report):
    """Per programme figure: its count minus the counts its courses show."""
    shown = {}
    for group in report.courses:
        for key, figure in _figures(group):
            shown[key] = shown.get(key, 0) + (figure.count if figure.visible else 0)
    return {
        key: figure.count - shown.get(key, 0)
        for key, figure in _figures(report.total)
        if figure.visible
    }


def answer_chime_with_text(course, chime, count, level):
    for n in range(count):
        answer(course, chime, {"1": level, "2": level, "9": f"Tekst fra {course.title} nr. {n}"})


def test_two_small_courses_are_revealed_neither_by_the_total_nor_by_its_free_text(
    program_a, chime, client_for, coordinator_a
):
    small = [CourseFactory(program=program_a, title=f"Hold Lille {n}") for n in range(2)]
    larger = CourseFactory(program=program_a, title="Hold Stor")
    for course in small:
        answer_chime_with_text(course, chime, 2, level=4)
    answer_chime_with_text(larger, chime, 6, level=1)

    report = reports.program_report(program_a)
    assert remainders(report)
    assert not any(0 < remainder < 5 for remainder in remainders(report).values())
    page = client_for(coordinator_a).get(
        reverse("admin:evaluation_report_change", args=[program_a.pk])
    )
    html = page.content.decode()
    assert "Tekst fra Hold Stor" in html
    assert "Tekst fra Hold Lille" not in html


def test_subtraction_alone_hides_a_third_course_and_the_small_courses_free_text(
    program_a, chime, suppression_only, client_for, coordinator_a
):
    first, second = (CourseFactory(program=program_a, title=f"Hold Lille {n}") for n in range(2))
    middle = CourseFactory(program=program_a, title="Hold Mellem")
    large = CourseFactory(program=program_a, title="Hold Stor")
    answer_chime_with_text(first, chime, 2, level=4)
    answer_chime_with_text(second, chime, 2, level=4)
    answer_chime_with_text(middle, chime, 6, level=0)
    answer_chime_with_text(large, chime, 7, level=2)

    report = reports.program_report(program_a)
    assert not any(0 < remainder < 5 for remainder in remainders(report).values())
    by_course = {group.course_id: group for group in report.courses}
    assert by_course[middle.pk].after[0].responses.hidden_reason == SUBTRACTION
    assert by_course[middle.pk].answered_after.count_text == "skjult"
    assert by_course[large.pk].answered_after.count_text == "7"
    # The programme's free text is the large course's only, which shows it itself.
    (total,) = report.total.after
    assert sorted(total.items[-1].texts) == sorted(f"Tekst fra Hold Stor nr. {n}" for n in range(7))

    client = client_for(coordinator_a)
    page = client.get(reverse("admin:evaluation_report_change", args=[program_a.pk]))
    html = page.content.decode()
    assert "Tekst fra Hold Lille" not in html
    assert "Tekst fra Hold Mellem" not in html
    rows = csv_of(client.get(reverse("admin:evaluation_report_csv", args=[program_a.pk])))
    middle_rows = [
        row for row in rows if row["forløb"] == "Hold Mellem" and row["fase"] == "Efter forløbet"
    ]
    assert {row["værdi"] for row in middle_rows if row["mål"] != "inviterede"} == {"skjult"}
    assert {row["antal svar"] for row in middle_rows} == {""}


# Releases: nothing singled out by comparing two views ------------------------------------------


def test_one_new_answer_changes_nothing_shown_and_five_new_answers_do(
    program_a, who5, chime, client_for, coordinator_a
):
    course = CourseFactory(program=program_a, title="Hold Fem")
    other = CourseFactory(program=program_a, title="Hold Seks")
    answer_who5(course, who5, 5, items=(3, 3, 3, 3, 3))
    answer_chime_with_text(course, chime, 5, level=2)
    answer_who5(other, who5, 6, items=(2, 2, 2, 2, 2))

    def seen():
        report = reports.program_report(program_a, rng=random.Random(1))
        texts = sorted(
            text
            for group in [report.total, *report.courses]
            for questionnaire in group.questionnaires
            for item in questionnaire.items
            for text in item.texts
        )
        return (
            report_csv.csv_rows(report),
            texts,
            report_csv.csv_group_rows(reports.course_report(course)),
        )

    first = seen()
    # One person answers, then three more: a viewer comparing the report sees no difference.
    answer_who5(course, who5, 1, items=(0, 0, 0, 0, 0), release=False)
    answer(course, chime, {"1": 0, "9": "Den nye persons tekst"})
    assert seen() == first
    for _n in range(3):
        answer_who5(course, who5, 1, items=(5, 5, 5, 5, 5), release=False)
        answer(course, chime, {"1": 4, "9": "Endnu en tekst"})
    assert seen() == first

    # The fifth new answer releases all five together.
    answer_who5(course, who5, 1, items=(5, 5, 5, 5, 5), release=False)
    answer(course, chime, {"1": 4, "9": "Endnu en tekst"})
    (who5_report,) = [r for r in reports.course_report(course).after if r.questionnaire == who5]
    assert who5_report.responses.count == 10
    assert who5_report.score.mean == pytest.approx((5 * 60 + 0 + 4 * 100) / 10)
    assert "Den nye persons tekst" in seen()[1]

    html = (
        client_for(coordinator_a)
        .get(reverse("admin:evaluation_report_course", args=[course.pk]))
        .content.decode()
    )
    assert "Tallene opdateres, når der er kommet mindst 5 nye svar." in html
    assert "Senest opdateret" in html


def test_a_skipped_question_also_moves_only_in_steps_of_five(program_a, chime):
    course = CourseFactory(program=program_a)
    for _n in range(5):
        answer(course, chime, {"1": 2, "2": 2})
    (report,) = reports.course_report(course).after
    assert [item.shown.count for item in report.items[:2]] == [5, 5]

    # Five more people answer, but only one of them answers question 1.
    answer(course, chime, {"1": 0, "2": 3})
    for _n in range(4):
        answer(course, chime, {"2": 3})
    (report,) = reports.course_report(course).after
    first, second = report.items[:2]
    assert report.responses.count == 10 and second.shown.count == 10
    assert first.shown.count == 5
    assert [(option.score, option.count) for option in first.options if option.count] == [(2, 5)]


# Access ----------------------------------------------------------------------------------------


def test_reports_are_for_the_organisations_own_coordinators(
    program_a, course_a, client_for, coordinator_b
):
    client = client_for(coordinator_b)
    for name, pk in [
        ("admin:evaluation_report_change", program_a.pk),
        ("admin:evaluation_report_csv", program_a.pk),
        ("admin:evaluation_report_pdf", program_a.pk),
        ("admin:evaluation_report_tariff", program_a.pk),
        ("admin:evaluation_report_course", course_a.pk),
        ("admin:evaluation_report_course_csv", course_a.pk),
        ("admin:evaluation_report_sheet", course_a.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    listing = client.get(reverse("admin:evaluation_report_changelist"))
    assert program_a.name not in listing.content.decode()


def test_report_pages_use_a_fixed_number_of_queries(
    program_a, who5, chime, client_for, coordinator_a, django_assert_max_num_queries
):
    client = client_for(coordinator_a)
    url = reverse("admin:evaluation_report_change", args=[program_a.pk])

    def grow(courses, answers):
        for _n in range(courses):
            course = CourseFactory(program=program_a)
            for _m in range(answers):
                RegistrationFactory(course=course, status="accepted")
            answer_who5(course, who5, answers)
            answer_who5(course, who5, answers, Phase.BEFORE)
            for _m in range(answers):
                answer(course, chime, {"1": 3, "9": "Fint"})

    grow(1, 5)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
    grow(6, 8)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


# Answer cards and the tariff ----------------------------------------------------------------------


def test_printed_answer_cards_carry_links_that_exist_only_on_paper(
    course_a, client_for, coordinator_a
):
    for _n in range(3):
        RegistrationFactory(course=course_a, status="accepted")
    client = client_for(coordinator_a)
    url = reverse("admin:evaluation_report_sheet", args=[course_a.pk])
    assert client.get(url).context["form"]["count"].value() == 3

    response = client.post(url, {"phase": Phase.AFTER, "count": "3"})
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert_accessible_pdf(response.content, alt_texts=("QR-kode til evalueringen: http",))
    tokens = [
        part.split("/evaluation/", 1)[1].split("/", 1)[0]
        for part in text.replace("\n", "").split("http")
        if "/evaluation/" in part
    ]
    assert len(tokens) == 3
    invitations = Invitation.objects.filter(course=course_a, phase=Phase.AFTER)
    assert sorted(invitations.values_list("token_hash", flat=True)) == sorted(
        token_hash(token) for token in tokens
    )
    assert not OutboxMessage.objects.exists()
    # A printed link opens the questionnaire.
    assert client.get(reverse("evaluation:answer", args=[tokens[0]])).status_code == 200


def test_answer_cards_refuse_a_bad_count_in_danish(course_a, client_for, coordinator_a):
    url = reverse("admin:evaluation_report_sheet", args=[course_a.pk])
    response = client_for(coordinator_a).post(url, {"phase": Phase.AFTER, "count": "0"})
    assert response.status_code == 200
    assert "Denne værdi skal være større end eller lig 1." in response.content.decode()
    assert not Invitation.objects.exists()


def test_tariff_page_shows_the_price_and_its_working(program_a, client_for, coordinator_a):
    client = client_for(coordinator_a)
    url = reverse("admin:evaluation_report_tariff", args=[program_a.pk])
    page = client.get(
        url,
        {
            "annual_cost": "228.000",
            "weekly_groups": "2",
            "courses_per_year_per_group": "4",
            "seats_per_course": "12",
        },
    )
    html = page.content.decode()
    assert "Pris pr. deltager: 2.375,00 kr." in html
    assert "2 ugentlige grupper × 4 forløb om året × 12 pladser = 96 deltagere" in html

    page = client.get(
        url,
        {
            "annual_cost": "140000",
            "weekly_groups": "1",
            "courses_per_year_per_group": "4",
            "seats_per_course": "12",
        },
    )
    assert "Pris pr. deltager: 2.916,67 kr." in page.content.decode()

    page = client.get(
        url,
        {
            "annual_cost": "mange penge",
            "weekly_groups": "2",
            "courses_per_year_per_group": "4",
            "seats_per_course": "12",
        },
    )
    html = page.content.decode()
    assert "Indtast et tal." in html
    assert 'value="mange penge"' in html
    assert "Pris pr. deltager" not in html


def test_programme_list_reaches_reports_in_other_programmes_too(org_a, client_for, coordinator_a):
    ProgramFactory(organisation=org_a, name="Mod og Mestring")
    page = client_for(coordinator_a).get(reverse("admin:evaluation_report_changelist"))
    assert "Mod og Mestring" in page.content.decode()


# Statistics-only partners --------------------------------------------------------------------


@pytest.fixture
def partner_a(org_a):
    from peerprogram.models import Membership
    from tests.factories import UserFactory

    user = UserFactory(username="partner.a", is_staff=True)
    Membership.objects.create(
        user=user, organisation=org_a, role=Membership.Role.STATISTICS, municipalities=["350"]
    )
    return user


@pytest.fixture
def attended_course(program_a):
    import datetime

    from django.utils import timezone

    from participants.models import Attendance
    from tests.factories import SessionFactory

    course = CourseFactory(program=program_a, title="Hold Fremmøde", status="running")
    start = timezone.now() - datetime.timedelta(days=1)
    session = SessionFactory(
        course=course, number=1, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    registration = RegistrationFactory(
        course=course, status="accepted", participant__name="Synlig Deltagernavn"
    )
    Attendance.objects.create(session=session, registration=registration, status="present")
    return course


def test_a_partner_reads_reports_without_names_or_unshared_attendance(
    program_a, attended_course, partner_a, client_for
):
    client = client_for(partner_a)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Rapporter" in index and "Tilmeldinger" not in index

    program_page = client.get(reverse("admin:evaluation_report_change", args=[program_a.pk]))
    course_page = client.get(reverse("admin:evaluation_report_course", args=[attended_course.pk]))
    for page in (program_page, course_page):
        html = page.content.decode()
        assert page.status_code == 200
        assert "Synlig Deltagernavn" not in html
        assert "Fremmøde pr. gang" not in html
        assert "Programmet deler ikke fremmøde med partnere." in html
    assert "Udskriv svarkort" not in course_page.content.decode()

    program_a.share_attendance_with_partners = True
    program_a.save()
    course_page = client.get(reverse("admin:evaluation_report_course", args=[attended_course.pk]))
    assert "Fremmøde pr. gang" in course_page.content.decode()


def test_a_partner_reaches_nothing_but_reports(
    program_a, attended_course, partner_a, client_for, org_b
):
    client = client_for(partner_a)
    sheet = reverse("admin:evaluation_report_sheet", args=[attended_course.pk])
    assert client.get(sheet).status_code == 403
    for name in [
        "admin:participants_registration_changelist",
        "admin:participants_participant_changelist",
        "admin:participants_attendance_changelist",
        "admin:volunteers_peer_changelist",
        "admin:groups_course_changelist",
    ]:
        assert client.get(reverse(name)).status_code == 403, name
    other = ProgramFactory(organisation=org_b)
    assert client.get(reverse("admin:evaluation_report_change", args=[other.pk])).status_code == 404


def test_the_tariff_reads_amounts_the_way_the_language_writes_them(
    program_a, client_for, coordinator_a
):
    from django.utils import translation

    url = reverse("admin:evaluation_report_tariff", args=[program_a.pk])
    query = {"weekly_groups": "2", "courses_per_year_per_group": "4", "seats_per_course": "12"}
    client = client_for(coordinator_a)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(url, {**query, "annual_cost": "228,000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "2.375,00" in page.content.decode() or "2,375.00" in page.content.decode()


# The figures are those of scoring each answer one by one ------------------------------------


def test_programme_figures_equal_scoring_each_answer_one_by_one(program_a, who5, chime):
    rng = random.Random(16)
    for _course in range(3):
        course = CourseFactory(program=program_a)
        for person in range(rng.choice([8, 9, 12])):
            # The first two leave questions out, so scores, domains and items differ in count.
            def given(numbers, high, person=person):
                return {
                    str(n): rng.choice([rng.randint(0, high), str(rng.randint(0, high))])
                    for n in numbers
                    if person > 1 or rng.random() < 0.6
                }

            answer(course, who5, given(range(1, 6), 5), release=False)
            text = {"9": f"Tekst {rng.randint(1, 10**6)}"} if rng.random() < 0.7 else {}
            answer(course, chime, given(range(1, 9), 4) | text, release=False)
        services.report_release_make(course_id=course.pk, phase=Phase.AFTER)
    report = reports.program_report(program_a)

    assert {figures.questionnaire for figures in report.total.after} == {who5, chime}
    for figures in report.total.after:
        questionnaire = figures.questionnaire
        items = list(questionnaire.items.all())
        answers = [
            response.answers for response in Response.objects.filter(questionnaire=questionnaire)
        ]
        assert figures.responses.count == len(answers)
        scores = [
            score
            for one in answers
            if (score := scoring.questionnaire_score(questionnaire, items, one)) is not None
        ]
        assert (figures.score.shown.count, figures.score.mean) == (len(scores), fmean(scores))
        for domain in figures.domains:
            values = [
                domains[domain.domain]
                for one in answers
                if domain.domain
                in (domains := scoring.domain_scores(items, one, questionnaire.scale))
            ]
            assert (domain.shown.count, domain.mean) == (len(values), fmean(values))
        high, low = scoring.scale_bounds(questionnaire.scale)
        for item, shown in zip(items, figures.items, strict=True):
            raws = [one[str(item.number)] for one in answers if str(item.number) in one]
            assert shown.shown.count == len(raws)
            if item.kind == "text":
                assert sorted(shown.texts) == sorted(raws)
                continue
            assert shown.mean == fmean(scoring.item_score(item, raw, high, low) for raw in raws)
            assert [option.count for option in shown.options] == [
                sum(1 for raw in raws if int(raw) == option["score"])
                for option in questionnaire.scale
            ]


@pytest.mark.parametrize(
    "name, args",
    [
        ("admin:evaluation_report_change", "program"),
        ("admin:evaluation_report_csv", "program"),
        ("admin:evaluation_report_course", "course"),
    ],
)
def test_report_pages_make_the_same_queries_for_2_and_12_courses(
    program_a, who5, chime, client_for, coordinator_a, name, args
):
    client = client_for(coordinator_a)
    counts = []
    for total in (2, 12):
        while program_a.courses.count() < total:
            course = CourseFactory(program=program_a)
            answer_who5(course, who5, 5, release=False)
            answer_who5(course, who5, 6, Phase.BEFORE)
            for _n in range(5):
                answer(course, chime, {"1": 3, "9": "Fint"})
        first = program_a.courses.order_by("pk").first()
        url = reverse(name, args=[program_a.pk if args == "program" else first.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
