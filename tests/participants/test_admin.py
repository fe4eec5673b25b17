import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Course
from groups.services import course_plan_sessions
from participants.models import Registration
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(program_a):
    course = CourseFactory(
        program=program_a,
        capacity=2,
        first_date=timezone.localdate() + datetime.timedelta(days=10),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    return course


@pytest.fixture
def admin_client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


def act(client, action, registrations, **data):
    return client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": action, "_selected_action": [r.pk for r in registrations], **data},
        follow=True,
    )


def test_accepting_asks_for_a_reason_and_records_who_and_when(admin_client_a, course):
    review = RegistrationFactory(course=course, status="needs_review")
    form = act(admin_client_a, "accept", [review])
    assert "Begrundelse" in form.content.decode()
    review.refresh_from_db()
    assert review.status == "needs_review"

    done = act(admin_client_a, "accept", [review], apply="1", note="Snak 12.01: passer fint")
    assert "1 tilmelding er opdateret." in done.content.decode()
    review.refresh_from_db()
    assert review.status == "accepted"
    assert review.decided_by.username == "koordinator.a" and review.decided_at
    assert review.decision_note == "Snak 12.01: passer fint"


def test_accepting_into_a_full_course_explains_and_changes_nothing(admin_client_a, course):
    RegistrationFactory.create_batch(2, course=course, status="accepted")
    review = RegistrationFactory(course=course, status="needs_review")
    response = act(admin_client_a, "accept", [review], apply="1", note="")
    assert "Forløbet er fuldt" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "needs_review"


def test_moving_offers_only_the_organisations_open_courses(admin_client_a, course, org_b):
    other = CourseFactory(program=course.program, title="Andet hold", status="open")
    course_plan_sessions(course=other)
    foreign = CourseFactory(program=ProgramFactory(organisation=org_b), title="Fremmed hold")
    course_plan_sessions(course=foreign)
    registration = RegistrationFactory(course=course)
    form = act(admin_client_a, "move", [registration])
    choices = list(form.context["form"].fields["course"].queryset)
    assert other in choices and foreign not in choices

    act(admin_client_a, "move", [registration], apply="1", course=other.pk, note="")
    registration.refresh_from_db()
    assert registration.course == other


def test_the_needs_review_queue_lists_only_those(admin_client_a, course):
    RegistrationFactory(course=course, status="accepted", participant__name="Optaget Person")
    RegistrationFactory(course=course, status="needs_review", participant__name="Skal Vurderes")
    html = admin_client_a.get(
        reverse("admin:participants_registration_changelist"), {"status__exact": "needs_review"}
    ).content.decode()
    assert "Skal Vurderes" in html and "Optaget Person" not in html


def test_registration_changelist_queries_do_not_grow(
    admin_client_a, course, django_assert_max_num_queries
):
    RegistrationFactory.create_batch(2, course=course, status="needs_review")
    url = reverse("admin:participants_registration_changelist")
    with django_assert_max_num_queries(18):  # 4 for the OTP device and the session
        admin_client_a.get(url)
    RegistrationFactory.create_batch(30, course=course, status="needs_review")
    with django_assert_max_num_queries(18):
        assert admin_client_a.get(url).context["cl"].result_count == 32


def test_registration_changelist_makes_the_same_queries_for_2_and_12_courses(
    admin_client_a, course
):
    url = reverse("admin:participants_registration_changelist")
    counts = []
    for total in (2, 12):
        while Registration.objects.values("course").distinct().count() < total:
            RegistrationFactory(course=CourseFactory(program=course.program))
        with CaptureQueriesContext(connection) as queries:
            page = admin_client_a.get(url)
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_answers_are_shown_as_given_and_cannot_be_edited(admin_client_a, course):
    registration = RegistrationFactory(
        course=course, eligibility_answers={"psychiatric_services_months": 12}
    )
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    html = admin_client_a.get(url).content.decode()
    assert "psychiatric_services_months" in html
    admin_client_a.post(url, {"eligibility_answers": "{}", "status": "declined"})
    registration.refresh_from_db()
    assert registration.eligibility_answers == {"psychiatric_services_months": 12}
    assert registration.status == Registration.Status.ACCEPTED
