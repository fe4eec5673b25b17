import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Program, Session, Theme
from groups.services import course_plan_sessions
from tests.factories import CourseFactory, ProgramFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


def course_form(program, **overrides):
    data = {
        "program": program.pk,
        "title": "Forår",
        "status": "open",
        "place": "Medborgerhuset",
        "address": "",
        "municipality": "350",
        "first_date": "12.01.2027",
        "start_time": "17.00",
        "capacity": "10",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def program_form(organisation, themes=(), **overrides):
    data = {
        "organisation": organisation.pk,
        "name": "Nyt program",
        "summary": "Et forløb",
        "legal_basis": "Serviceloven § 82 a",
        "audience": "adults",
        "target_group": "Voksne",
        "min_age": "18",
        "max_age": "",
        "format": "group_course",
        "weeks": "10",
        "session_minutes": "120",
        "capacity": "10",
        "required_peers": "2",
        "required_professionals": "0",
        "intake_open_until_session": "",
        "accompaniment_limit_months": "",
        "eligibility_rules": "[]",
        "skip_public_holidays": "on",
        "themes-TOTAL_FORMS": str(len(themes)),
        "themes-INITIAL_FORMS": "0",
        "themes-MIN_NUM_FORMS": "0",
        "themes-MAX_NUM_FORMS": "1000",
    }
    for index, (number, title) in enumerate(themes):
        data[f"themes-{index}-number"] = str(number)
        data[f"themes-{index}-title"] = title
    data.update(overrides)
    return data


def error_text(response):
    return response.content.decode()


def test_adding_a_course_plans_its_sessions(admin_client_a, program_a):
    ThemeFactory(program=program_a, number=1, title="Ankomst")
    response = admin_client_a.post(reverse("admin:groups_course_add"), course_form(program_a))
    assert response.status_code == 302
    course = Course.objects.get(title="Forår")
    assert course.sessions.count() == program_a.weeks
    assert course.sessions.get(number=1).theme.title == "Ankomst"


def test_a_course_with_capacity_zero_gets_a_danish_error_and_is_not_saved(
    admin_client_a, program_a
):
    response = admin_client_a.post(
        reverse("admin:groups_course_add"), course_form(program_a, capacity="0")
    )
    assert response.status_code == 200
    assert "Denne værdi skal være større end eller lig 1." in error_text(response)
    assert 'value="Medborgerhuset"' in error_text(response)  # what was typed stays
    assert not Course.objects.exists()


def test_a_coordinator_cannot_add_a_course_to_another_organisations_programme(
    admin_client_a, org_b
):
    foreign = ProgramFactory(organisation=org_b)
    response = admin_client_a.post(reverse("admin:groups_course_add"), course_form(foreign))
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in error_text(response)
    assert not Course.objects.exists()


def test_an_age_range_upside_down_gets_a_danish_error(admin_client_a, org_a):
    response = admin_client_a.post(
        reverse("admin:groups_program_add"), program_form(org_a, min_age="20", max_age="13")
    )
    assert response.status_code == 200
    assert "Den højeste alder skal være mindst lige så høj som den mindste." in error_text(response)
    assert not Program.objects.filter(name="Nyt program").exists()


def test_two_themes_with_the_same_number_get_a_danish_error(admin_client_a, org_a):
    response = admin_client_a.post(
        reverse("admin:groups_program_add"),
        program_form(org_a, themes=[(1, "Ankomst"), (1, "Grænser")]),
    )
    assert response.status_code == 200
    assert "Ret venligst" in error_text(response)
    assert not Program.objects.filter(name="Nyt program").exists()
    assert not Theme.objects.exists()


def test_eligibility_rules_must_be_a_list_of_rules(admin_client_a, org_a):
    response = admin_client_a.post(
        reverse("admin:groups_program_add"), program_form(org_a, eligibility_rules='{"x": 1}')
    )
    assert response.status_code == 200
    assert "Optagelseskriterierne skal være en liste af regler" in error_text(response)


def test_a_session_that_ends_before_it_starts_gets_a_danish_error(admin_client_a, course_a):
    course_plan_sessions(course=course_a)
    session = course_a.sessions.get(number=1)
    before = (session.starts_at, session.ends_at)
    response = admin_client_a.post(
        reverse("admin:groups_session_change", args=[session.pk]),
        {
            "theme": "",
            "starts_at_0": "12.01.2027",
            "starts_at_1": "12.00",
            "ends_at_0": "12.01.2027",
            "ends_at_1": "10.00",
            "place": "Medborgerhuset",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "En gang skal slutte efter den starter." in error_text(response)
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == before


def test_editing_a_sessions_time_marks_it_moved(admin_client_a, course_a):
    course_plan_sessions(course=course_a)
    session = course_a.sessions.get(number=1)
    response = admin_client_a.post(
        reverse("admin:groups_session_change", args=[session.pk]),
        {
            "theme": "",
            "starts_at_0": "13.01.2027",
            "starts_at_1": "10.00",
            "ends_at_0": "13.01.2027",
            "ends_at_1": "12.00",
            "place": "Medborgerhuset",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.moved and session.version == 2


def test_cancel_course_action_cancels_and_says_so(admin_client_a, course_a):
    course_plan_sessions(course=course_a)
    response = admin_client_a.post(
        reverse("admin:groups_course_changelist"),
        {"action": "cancel_courses", "_selected_action": [course_a.pk]},
        follow=True,
    )
    course_a.refresh_from_db()
    assert course_a.status == Course.Status.CANCELLED
    assert "1 forløb er aflyst" in error_text(response)


def test_plan_sessions_action_reports_what_it_did(admin_client_a, course_a):
    response = admin_client_a.post(
        reverse("admin:groups_course_changelist"),
        {"action": "plan_sessions", "_selected_action": [course_a.pk]},
        follow=True,
    )
    assert course_a.sessions.count() == 10
    assert "10 oprettet, 0 ændret, 0 aflyst" in error_text(response)


def test_move_session_action_asks_for_the_new_time_then_moves_only_that_session(
    admin_client_a, course_a
):
    course_plan_sessions(course=course_a)
    session = course_a.sessions.get(number=2)
    url = reverse("admin:groups_session_changelist")
    form_page = admin_client_a.post(
        url, {"action": "move_session", "_selected_action": [session.pk]}
    )
    assert form_page.status_code == 200
    assert "Nyt tidspunkt" in error_text(form_page)

    invalid = admin_client_a.post(
        url,
        {
            "action": "move_session",
            "_selected_action": [session.pk],
            "apply": "1",
            "starts_at_0": "ikke en dato",
            "starts_at_1": "18.00",
            "place": "Biblioteket",
        },
    )
    assert "Indtast en gyldig dato." in error_text(invalid)
    assert 'value="Biblioteket"' in error_text(invalid)

    done = admin_client_a.post(
        url,
        {
            "action": "move_session",
            "_selected_action": [session.pk],
            "apply": "1",
            "starts_at_0": "21.01.2027",
            "starts_at_1": "18.00",
            "place": "",
        },
        follow=True,
    )
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at) == timezone.make_aware(
        datetime.datetime(2027, 1, 21, 18, 0)
    )
    assert session.moved
    assert "er flyttet til" in error_text(done)


def test_move_session_action_wants_exactly_one_session(admin_client_a, course_a):
    course_plan_sessions(course=course_a)
    pks = list(course_a.sessions.values_list("pk", flat=True)[:2])
    response = admin_client_a.post(
        reverse("admin:groups_session_changelist"),
        {"action": "move_session", "_selected_action": pks},
        follow=True,
    )
    assert "Vælg præcis én gang" in error_text(response)


def test_admin_index_shows_the_coordinators_sessions_this_week(admin_client_a, program_a, org_b):
    today = timezone.localdate()
    own = CourseFactory(program=program_a, title="Eget hold", first_date=today)
    course_plan_sessions(course=own)
    foreign = CourseFactory(
        program=ProgramFactory(organisation=org_b), title="Fremmed hold", first_date=today
    )
    course_plan_sessions(course=foreign)
    response = admin_client_a.get(reverse("admin:index"))
    assert "Dine gange denne uge" in error_text(response)
    assert "Eget hold" in error_text(response)
    assert "Fremmed hold" not in error_text(response)


def make_courses(program, count):
    for index in range(count):
        course = CourseFactory(program=program, title=f"Hold {index}")
        ThemeFactory(program=program, number=index + 1)
        course_plan_sessions(course=course)


# Each bound includes 4 queries for the OTP device and saving the session, and 1 for whether
# the user administers an organisation (the staff page in the menu).
@pytest.mark.parametrize(
    ("url_name", "bound"),
    [("admin:groups_course_changelist", 17), ("admin:groups_session_changelist", 17)],
)
def test_changelists_use_the_same_number_of_queries_for_few_and_many_rows(
    admin_client_a, program_a, django_assert_max_num_queries, url_name, bound
):
    make_courses(program_a, 2)
    with django_assert_max_num_queries(bound):
        assert admin_client_a.get(reverse(url_name)).status_code == 200
    make_courses(ProgramFactory(organisation=program_a.organisation), 12)
    with django_assert_max_num_queries(bound):
        response = admin_client_a.get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 14


def test_program_changelist_queries_do_not_grow(
    admin_client_a, org_a, django_assert_max_num_queries
):
    ProgramFactory.create_batch(2, organisation=org_a)
    with django_assert_max_num_queries(14):  # 4 for the OTP device and the session
        admin_client_a.get(reverse("admin:groups_program_changelist"))
    ProgramFactory.create_batch(20, organisation=org_a)
    with django_assert_max_num_queries(14):
        admin_client_a.get(reverse("admin:groups_program_changelist"))


def test_session_changelist_shows_session_status_in_danish(admin_client_a, course_a):
    course_plan_sessions(course=course_a)
    response = admin_client_a.get(reverse("admin:groups_session_changelist"))
    assert "Planlagt" in error_text(response)
    assert Session.objects.count() == 10


@pytest.mark.parametrize("weeks", [3, 12])
def test_a_course_page_asks_for_its_organisation_once_whatever_its_size(
    admin_client_a, program_a, django_assert_max_num_queries, weeks
):
    # Each permission check (page, inlines, buttons) asks which organisation the course is in.
    program_a.weeks = weeks
    program_a.save()
    course = CourseFactory(program=program_a)
    course_plan_sessions(course=course)
    url = reverse("admin:groups_course_change", args=[course.pk])
    with django_assert_max_num_queries(30):
        assert admin_client_a.get(url).status_code == 200
