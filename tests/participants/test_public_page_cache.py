"""Public pages come from the shared cache (issue #16, item 1), and a citizen still never sees
a stale seat count, date, intake or contact: each change to what a page shows makes the next
visitor's page new."""

import datetime
import os

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Session
from groups.services import session_move
from participants import services
from participants.models import Registration
from peerprogram.models import Organisation
from tests.conftest import log_in
from tests.factories import (
    HelpContactFactory,
    ProgramFactory,
    ReferrerFactory,
    RegistrationFactory,
    open_course,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Sofie Selv",
    "email": "sofie@eksempel.dk",
    "birth_date": "1990-01-01",
    "municipality": "217",
    "referral_source": "self",
}


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, name="Ud i livet", eligibility_rules=[])


def submit(course, n=0, **extra):
    return services.registration_submit(
        course=course,
        request=services.RegistrationRequest(
            **{
                "name": f"Person {n}",
                "email": f"person{n}@eksempel.dk",
                "birth_date": datetime.date(1990, 1, 1),
                "municipality": "217",
                **extra,
            }
        ),
        needs_review=False,
        eligibility={"outcome": "eligible"},
    )


def course_url(course):
    return reverse("participants:course", args=[course.pk])


def form_url(course):
    return reverse("participants:register", args=[course.pk])


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


PAGES = [course_url, form_url, lambda course: reverse("home")]


@pytest.mark.parametrize("page", PAGES, ids=["course page", "registration form", "course list"])
def test_a_page_seen_before_is_served_without_building_it_again(
    program, client, django_assert_max_num_queries, page
):
    course = open_course(program)
    first = text(client, page(course))

    # One query: the versions the page was built from.
    with django_assert_max_num_queries(1):
        again = client.get(page(course)).content.decode()

    assert again.split("csrfmiddlewaretoken")[0] == first.split("csrfmiddlewaretoken")[0]


@pytest.mark.parametrize("page", PAGES, ids=["course page", "registration form", "course list"])
def test_a_seat_taken_shows_on_the_next_visit(program, client, page):
    course = open_course(program, capacity=3)
    assert "3 ledige pladser" in text(client, course_url(course))
    text(client, page(course))

    submit(course)

    if page is not form_url:  # the form names no seat count
        assert "2 ledige pladser" in text(client, page(course))
    assert "2 ledige pladser" in text(client, course_url(course))


def test_a_seat_taken_through_the_form_shows_on_the_cached_pages(program, client):
    course = open_course(program, capacity=3)
    text(client, course_url(course))
    text(client, reverse("home"))

    client.post(form_url(course), FORM)

    assert "2 ledige pladser" in text(Client(), course_url(course))
    assert "2 ledige pladser" in text(Client(), reverse("home"))


def test_a_waitlist_promotion_shows_on_the_next_visit(program, client):
    """A family of two waits for two seats: one seat freed shows as free, the second freed
    seat promotes the family and the course is full again."""
    program.parents_join = True
    program.parent_takes_seat = True
    program.min_age, program.max_age = 8, 18
    program.save()
    course = open_course(program, capacity=2)
    seated = [RegistrationFactory(course=course, status=Registration.Status.ACCEPTED) for _ in "ab"]
    family = submit(
        course,
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 16)
        - datetime.timedelta(days=30),
        guardian_name="Forælder",
        guardian_email="foraelder@eksempel.dk",
        guardian_consent=True,
        parent_birth_date=datetime.date(1985, 1, 1),
    )
    assert family.status == Registration.Status.WAITLISTED
    services.registration_withdraw(registration=seated[0])
    assert "1 ledig plads" in text(client, course_url(course))
    assert "1 ledig plads" in text(client, reverse("home"))

    services.registration_withdraw(registration=seated[1])

    family.refresh_from_db()
    assert family.status == Registration.Status.ACCEPTED
    assert "Fuldt" in text(client, course_url(course))
    assert "Fuldt" in text(client, reverse("home"))


def test_a_moved_session_shows_its_new_time_on_the_next_visit(program, client):
    course = open_course(program)
    session = course.sessions.order_by("number").last()
    assert "ny tid" not in text(client, course_url(course))

    session_move(session=session, starts_at=session.starts_at + datetime.timedelta(days=1))

    html = text(client, course_url(course))
    assert "ny tid" in html
    assert timezone.localtime(session.starts_at).strftime("%-d.") in html


def test_a_page_is_built_again_when_intake_closes_as_time_passes(program, client, monkeypatch):
    course = open_course(program)
    first = Session.objects.filter(course=course).order_by("starts_at").first()
    assert "Der er lukket for tilmelding" not in text(client, course_url(course))
    assert "1 forløb tager imod tilmeldinger" in text(client, reverse("home"))
    assert client.get(form_url(course)).status_code == 200

    later = first.starts_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Holdet er kommet så langt" in text(client, course_url(course))
    assert "0 forløb tager imod tilmeldinger" in text(client, reverse("home"))
    assert client.get(form_url(course)).status_code == 410


def test_a_changed_contact_shows_on_the_next_visit(program, client, org_a):
    course = open_course(program)
    assert "Ny Kontaktperson" not in text(client, course_url(course))
    text(client, reverse("home"))

    org_a.contact_name, org_a.contact_email = "Ny Kontaktperson", "ny@lejre.dk"
    org_a.save()
    HelpContactFactory(organisation=org_a, label="Ny nattelinje", phone="70 20 30 40")

    assert "Ny Kontaktperson" in text(client, course_url(course))
    assert "Ny nattelinje" in text(client, reverse("home"))


def test_a_changed_programme_text_shows_on_the_next_visit(program, client):
    course = open_course(program)
    text(client, course_url(course))

    program.summary = "En helt ny beskrivelse af forløbet."
    program.save()

    assert "En helt ny beskrivelse" in text(client, course_url(course))


def test_each_language_has_its_own_page(program, client):
    course = open_course(program)
    assert "Tilmeld" in text(client, course_url(course))

    client.cookies["django_language"] = "en"
    english = text(client, course_url(course))

    assert 'lang="en"' in english and "Register" in english


def test_a_cached_form_carries_a_token_of_its_own_and_registers(program):
    course = open_course(program)
    Client().get(form_url(course))  # builds and keeps the page
    citizen = Client(enforce_csrf_checks=True)

    page = citizen.get(form_url(course))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = citizen.post(form_url(course), {**FORM, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Registration.objects.filter(course=course).count() == 1


def test_a_referrer_signed_in_gets_the_form_for_referrers(program, client, org_a):
    course = open_course(program)
    anonymous = text(Client(), form_url(course))
    log_in(client, ReferrerFactory(organisations=[org_a]))

    referrer = text(client, form_url(course))

    assert referrer != anonymous
    assert "Log ud" in referrer and "Log ud" not in anonymous


def test_a_page_of_another_release_is_not_served(program, client, monkeypatch):
    from peerprogram import page_cache

    course = open_course(program)
    text(client, course_url(course))
    # An update() bumps no version: unseen until the release changes.
    Organisation.objects.update(contact_name="Kun i databasen", contact_email="k@lejre.dk")
    assert "Kun i databasen" not in text(client, course_url(course))

    monkeypatch.setattr(page_cache, "_release", lambda: "next-release")

    assert "Kun i databasen" in text(client, course_url(course))


@pytest.mark.parametrize("courses", [3, 45])
def test_the_course_list_shows_twenty_at_a_time_with_the_same_queries(
    program, client, courses, django_assert_max_num_queries
):
    for _ in range(courses):
        open_course(program)

    with django_assert_max_num_queries(12):
        html = text(client, reverse("home"))

    assert html.count('class="card h-100"') == min(courses, 20)
    assert f"{courses} forløb tager imod tilmeldinger" in html
    if courses > 20:
        assert "Næste side" in html
        last = text(client, reverse("home") + "?side=3")
        assert last.count('class="card h-100"') == courses - 40
        assert 'aria-current="page"' in last and "Side 3 af 3." in last


@pytest.mark.django_db(transaction=True)
def test_pages_are_kept_in_redis_where_every_web_process_sees_them(
    program, client, settings, django_assert_max_num_queries
):
    """Production keeps pages in Redis (CACHE_URL), so each gunicorn worker serves what
    another built; make test starts a throwaway Redis (the broker's), database 3 here."""
    from peerprogram.celery import app as celery_app

    broker = celery_app.conf.broker_url
    if not broker.startswith("redis://"):
        pytest.skip("no Redis here (make test starts a throwaway one)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker.rsplit("/", 1)[0] + "/3",
            # Each xdist worker's test database restarts ids and versions: keys of its own.
            "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", "main") + str(os.getpid()),
        }
    }
    course = open_course(program, capacity=3)
    assert "3 ledige pladser" in text(client, course_url(course))

    with django_assert_max_num_queries(1):
        assert "3 ledige pladser" in text(Client(), course_url(course))
    submit(course)

    assert "2 ledige pladser" in text(Client(), course_url(course))


@pytest.mark.parametrize("others", [2, 30])
@pytest.mark.parametrize("page", [course_url, form_url], ids=["course page", "registration form"])
def test_a_course_page_built_anew_makes_the_same_queries_however_many_courses(
    program, client, others, page, django_assert_max_num_queries
):
    course = open_course(program)
    for _ in range(others):
        RegistrationFactory(course=open_course(program), status=Registration.Status.ACCEPTED)

    with django_assert_max_num_queries(12):
        assert client.get(page(course)).status_code == 200
