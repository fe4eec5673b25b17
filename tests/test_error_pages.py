"""Pages people land on in trouble: a wrong address or a server error still shows how to get
help now and the way back."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import HelpContactFactory, OrganisationFactory


@pytest.mark.django_db
def test_an_unknown_address_shows_the_crisis_lines_and_the_way_home(client, settings):
    settings.DEBUG = False
    organisation = OrganisationFactory(name="Lejre Kommune")
    HelpContactFactory(organisation=organisation, label="Lejres akuttilbud", phone="70 20 12 01")
    response = client.get("/findes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Siden findes ikke" in page
    assert 'href="tel:112"' in page
    assert "Lejres akuttilbud" in page
    assert 'href="/"' in page


def test_a_server_error_page_needs_no_database_and_shows_help_now(django_db_blocker):
    # The database may be what failed: the page must render without it.
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'href="tel:112"' in page
    assert "70 201 201" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_a_closed_registration_410_shows_help_now_and_other_courses(client):
    import datetime

    from django.urls import reverse

    from tests.factories import CourseFactory

    course = CourseFactory(first_date=datetime.date(2020, 1, 7), status="finished")
    HelpContactFactory(
        organisation=course.program.organisation, label="Lejres akuttilbud", phone="70 20 12 01"
    )
    response = client.get(reverse("participants:register", args=[course.pk]))
    page = response.content.decode()
    assert response.status_code == 410
    assert 'href="tel:112"' in page and "Lejres akuttilbud" in page
    assert 'href="/"' in page
