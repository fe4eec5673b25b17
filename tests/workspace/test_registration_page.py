"""The workspace's registration page: the person and their answers in plain Danish, who
registered them and decided, the custody holders, and the audit entry a view leaves."""

import datetime

import pytest
from django.urls import reverse

from peerprogram.models import AuditEntry
from tests.conftest import log_in
from tests.factories import CoordinatorFactory, RegistrationFactory, UserFactory, open_course
from tests.workspace.bounds import COURSE_PAGE_QUERIES
from tests.workspace.registrations import VED_IKKE_ANSWERS, VED_IKKE_RESULT

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(program_a):
    return open_course(program_a, title="Forår, Lejre")


@pytest.fixture
def review(course):
    return RegistrationFactory(
        course=course,
        status="needs_review",
        participant__name="Xylofonia Hansen",
        participant__phone="+4520304050",
        participant__email="xylofonia@eksempel.dk",
        participant__birth_date=datetime.date(1990, 1, 1),
        participant__municipality="217",
        eligibility_answers=VED_IKKE_ANSWERS,
        eligibility_result=VED_IKKE_RESULT,
    )


def page(client, registration):
    response = client.get(reverse("workspace:registration", args=[registration.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_person_and_how_to_reach_them(client, coordinator_a, review, course):
    html = page(log_in(client, coordinator_a), review)
    assert "Xylofonia Hansen" in html
    assert 'href="tel:+4520304050"' in html
    assert 'href="mailto:xylofonia@eksempel.dk"' in html
    assert "1. januar 1990" in html
    assert "Skal vurderes" in html
    assert reverse("workspace:course", args=[course.pk]) in html


def test_the_municipality_is_shown_by_name_never_by_code(client, coordinator_a, review):
    html = page(log_in(client, coordinator_a), review)
    assert "Helsingør" in html
    assert ">217<" not in html and " 217" not in html


def test_the_answers_are_questions_and_answers_in_plain_danish_not_json(
    client, coordinator_a, review
):
    html = page(log_in(client, coordinator_a), review)
    html = html[html.index('id="answers-title"') : html.index('id="decided-title"')]
    assert "Har du det svært psykisk, så det går ud over din hverdag?" in html
    assert "<dd>Ved ikke</dd>" in html
    assert "Hvor mange måneder har du i alt været tilknyttet psykiatrien?" in html
    assert "reduced_mental_functioning" not in html
    assert "psychiatric_services_months" not in html
    assert "{&quot;" not in html and '{"' not in html


def test_the_engines_reasons_and_open_questions_are_shown(client, coordinator_a, review):
    html = page(log_in(client, coordinator_a), review)
    assert "Skal tales med" in html
    assert "svaret er »ved ikke«" in html


def test_a_citizens_own_registration_says_so_and_a_staff_registration_names_who(
    client, coordinator_a, review, course
):
    log_in(client, coordinator_a)
    assert "borgeren selv" in page(client, review)
    referrer = UserFactory(first_name="Rita", last_name="Rådgiver")
    by_staff = RegistrationFactory(course=course, registered_by=referrer)
    html = page(client, by_staff)
    assert "Rita Rådgiver" in html and "borgeren selv" not in html


def test_the_waitlist_position_is_shown(client, coordinator_a, course):
    waiting = RegistrationFactory(course=course, status="waitlisted", waitlist_position=2)
    assert "nummer 2 på ventelisten" in page(log_in(client, coordinator_a), waiting)


def test_a_childs_custody_holders_are_shown(client, coordinator_a, course):
    child = RegistrationFactory(
        course=course,
        status="awaiting_custody",
        participant__birth_date=datetime.date(2015, 3, 1),
        guardian_name="Gunhild Forælder",
        guardian_phone="+4530405060",
        second_guardian_name="Gorm Forælder",
        second_guardian_email="gorm@eksempel.dk",
    )
    child.custody_confirmations.create(holder=1)
    html = page(log_in(client, coordinator_a), child)
    assert "Gunhild Forælder" in html and 'href="tel:+4530405060"' in html
    assert "Gorm Forælder" in html and "gorm@eksempel.dk" in html
    assert "ikke bekræftet endnu" in html


def test_the_decision_is_shown_with_who_when_the_note_and_the_message(
    client, coordinator_a, course
):
    decider = CoordinatorFactory(first_name="Dorte", last_name="Beslutter")
    decided = RegistrationFactory(
        course=course,
        decided_by=decider,
        decided_at=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC),
        decision_note="Talte med hende mandag",
        decision_message="Vi glæder os til at se dig.",
    )
    html = page(log_in(client, coordinator_a), decided)
    assert "Dorte Beslutter" in html
    assert "Talte med hende mandag" in html
    assert "Vi glæder os til at se dig." in html


def test_viewing_records_the_same_audit_view_as_the_admin(client, coordinator_a, review, org_a):
    page(log_in(client, coordinator_a), review)
    views = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).order_by("pk")
    assert [(view.object_repr, view.actor, view.organisation) for view in views] == [
        (f"Tilmelding #{review.pk}", coordinator_a, org_a),
        (f"Deltager #{review.participant_id}", coordinator_a, org_a),
    ]


def test_another_organisations_registration_is_not_found_and_not_recorded(
    client, coordinator_b, review
):
    log_in(client, coordinator_b)
    response = client.get(reverse("workspace:registration", args=[review.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_the_course_page_links_each_name_to_its_registration_page(
    client, coordinator_a, review, course
):
    log_in(client, coordinator_a)
    waiting = RegistrationFactory(course=course, status="waitlisted", waitlist_position=1)
    html = client.get(reverse("workspace:course", args=[course.pk])).content.decode()
    for registration in [review, waiting]:
        assert reverse("workspace:registration", args=[registration.pk]) in html
    assert reverse("workspace:registration_decision", args=[review.pk, "optag"]) in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_course_page_reads_its_participants_in_a_constant_number_of_queries(
    client, coordinator_a, course, django_assert_max_num_queries, size
):
    log_in(client, coordinator_a)
    RegistrationFactory.create_batch(size, course=course, status="needs_review")
    for position in range(1, size + 1):
        RegistrationFactory(course=course, status="waitlisted", waitlist_position=position)
    # The whole page (sign-in, the sessions and every app's sections) at both sizes.
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(reverse("workspace:course", args=[course.pk]))
    assert response.status_code == 200
