import pytest
from django.urls import reverse

from groups.models import Course
from groups.services import course_plan_sessions
from tests.factories import CourseFactory, HelpContactFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_home_lists_courses_taking_registrations_grouped_by_programme(client, org_a, org_b):
    program = ProgramFactory(organisation=org_a, name="Unge hjælper unge")
    for title, status in [("Ungegruppe Allerslev", Course.Status.OPEN), ("Kladdehold", "draft")]:
        course_plan_sessions(course=CourseFactory(program=program, title=title, status=status))
    other = CourseFactory(program=ProgramFactory(organisation=org_b, name="Ud i Livet"))
    course_plan_sessions(course=other)
    html = client.get(reverse("home")).content.decode()
    assert "Unge hjælper unge" in html and "Ud i Livet" in html
    assert "Ungegruppe Allerslev" in html
    assert "Kladdehold" not in html
    assert "10 ledige pladser" in html


def test_every_public_page_is_danish_with_a_skip_link_and_help_in_the_footer(client, org_a):
    HelpContactFactory(organisation=org_a, label="Natlinjen", phone="70 20 30 40")
    for url in [
        reverse("home"),
        reverse("organisation", args=[org_a.slug]),
        reverse("organisation_privacy", args=[org_a.slug]),
    ]:
        html = client.get(url).content.decode()
        assert '<html lang="da">' in html
        assert 'href="#main"' in html and 'id="main"' in html
        assert "112" in html
        assert "Natlinjen" in html and "tel:+4570203040" in html
        assert f'href="{org_a.accessibility_statement_url}"' in html
        assert "Tilgængelighedserklæring" in html
        assert reverse("organisation_privacy", args=[org_a.slug]) in html


def test_an_organisation_page_shows_only_its_own_help_contacts(client, org_a, org_b):
    HelpContactFactory(organisation=org_b, label="Hillerøds linje")
    html = client.get(reverse("organisation", args=[org_a.slug])).content.decode()
    assert "Lejres akuttilbud" in html
    assert "Hillerøds linje" not in html


def test_the_privacy_page_names_the_controller_basis_and_contact(client, org_a):
    html = client.get(reverse("organisation_privacy", args=[org_a.slug])).content.decode()
    assert "Lejre Kommune er dataansvarlig" in html
    assert "Myndighedsopgave" in html
    assert org_a.privacy_email in html
    assert "CPR-nummer" in html


def test_the_site_can_be_switched_to_english(client, org_a):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_home_page_queries_do_not_grow_with_programmes(
    client, org_a, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            course = CourseFactory(program=ProgramFactory(organisation=org_a))
            course_plan_sessions(course=course)

    add(2)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).context["courses"]
    add(15)
    with django_assert_max_num_queries(8):
        assert len(client.get(reverse("home")).context["courses"]) == 17


def test_course_and_form_pages_keep_their_query_count_as_a_course_fills(
    client, org_a, django_assert_max_num_queries
):
    from tests.factories import RegistrationFactory

    course = CourseFactory(program=ProgramFactory(organisation=org_a), capacity=40)
    course_plan_sessions(course=course)
    pages = [reverse("participants:course", args=[course.pk])]
    pages.append(reverse("participants:register", args=[course.pk]))
    RegistrationFactory.create_batch(2, course=course)
    for page in pages:
        with django_assert_max_num_queries(6):
            assert client.get(page).status_code == 200
    RegistrationFactory.create_batch(30, course=course)
    for page in pages:
        with django_assert_max_num_queries(6):
            assert client.get(page).status_code == 200


def test_the_course_list_filters_by_municipality_code_and_shows_names(client, org_a):
    program = ProgramFactory(organisation=org_a)
    for title, code in [("Hold i Lejre", "350"), ("Hold i Hillerød", "219")]:
        course_plan_sessions(course=CourseFactory(program=program, title=title, municipality=code))
    html = client.get(reverse("home")).content.decode()
    assert '<option value="350">Lejre</option>' in html
    assert '<option value="219">Hillerød</option>' in html
    assert "Medborgerhuset, Lejre" in html

    filtered = client.get(reverse("home"), {"municipality": "350"}).content.decode()
    assert "Hold i Lejre" in filtered and "Hold i Hillerød" not in filtered
