import re

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


def test_pages_of_no_single_organisation_show_shared_lines_once_and_each_ones_own_a_tap_away(
    client, org_a, org_b
):
    for organisation in (org_a, org_b):
        HelpContactFactory(organisation=organisation, label="Livslinien", phone="70 201 201")
    HelpContactFactory(organisation=org_a, label="Akuttelefonen A", phone="1813")
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index("<footer") :]
    assert footer.count("Livslinien") == 1
    help_now = footer[: footer.index("</section>")]
    assert "Livslinien" in help_now and "Akuttelefonen A" not in help_now
    own = footer[footer.index(f"<summary>{org_a.name}</summary>") :]
    assert "Akuttelefonen A" in own[: own.index("</details>")]
    # A page of one organisation shows all its lines as given.
    page = client.get(reverse("organisation", args=[org_a.slug])).content.decode()
    assert "Livslinien" in page and "Akuttelefonen A" in page


def test_the_privacy_page_and_the_form_state_the_organisations_real_periods(client, org_a):
    from peerprogram.privacy.models import RetentionPolicy
    from tests.factories import CourseFactory, ProgramFactory

    RetentionPolicy.objects.create(
        organisation=org_a,
        months_after_course_end=18,
        months_after_submission=4,
        months_after_peer_stopped=30,
        months_after_application=5,
    )
    page = client.get(reverse("organisation_privacy", args=[org_a.slug])).content.decode()
    for text in [
        "18 måneder efter forløbets sidste gang",
        "4 måneder efter tilmeldingen",
        "4 måneder efter, at du skrev",
        "30 måneder efter, de er stoppet",
        "5 måneder efter ansøgningen",
        org_a.privacy_contact,
    ]:
        assert text in page, text
    assert "når formålet er opfyldt" not in page
    from groups.services import course_plan_sessions

    course = CourseFactory(program=ProgramFactory(organisation=org_a))
    course_plan_sessions(course=course)
    form = client.get(reverse("participants:register", args=[course.pk])).content.decode()
    assert "18 måneder efter forløbets sidste gang" in form
    assert "4 måneder efter tilmeldingen" in form
    assert "når formålet er opfyldt" not in form


def test_english_pages_show_english_texts_or_say_the_danish_one_is_only_in_danish(client, org_a):
    from groups.services import course_plan_sessions
    from tests.factories import CourseFactory, ProgramFactory, ThemeFactory

    program = ProgramFactory(
        organisation=org_a,
        summary="Et forløb for unge.",
        summary_en="A course for young people.",
        target_group="Unge mellem 13 og 20.",
    )
    ThemeFactory(program=program, number=1, title="Ankomst", title_en="Arriving")
    course = CourseFactory(program=program)
    course_plan_sessions(course=course)
    url = reverse("participants:course", args=[course.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A course for young people." in english and "Et forløb for unge." not in english
    assert "Arriving" in english
    assert '<p lang="da">Unge mellem 13 og 20.' in english and "only in Danish" in english
    danish = client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Et forløb for unge." in danish and "only in Danish" not in danish


DANISH_DATE_WORDS = re.compile(
    r"\b(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|januar|februar|marts|maj|juni|"
    r"juli|oktober)\b",
    re.IGNORECASE,
)
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def test_english_public_pages_write_dates_the_english_way(client, org_a):
    from groups.services import course_plan_sessions
    from tests.factories import CourseFactory, ProgramFactory

    course = CourseFactory(program=ProgramFactory(organisation=org_a))
    course_plan_sessions(course=course)
    for url in [
        reverse("home"),
        reverse("participants:course", args=[course.pk]),
        reverse("participants:register", args=[course.pk]),
        reverse("organisation", args=[org_a.slug]),
    ]:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        main = html[html.index('id="main"') : html.index("<footer")]
        assert not DANISH_DATE_WORDS.search(main), (url, DANISH_DATE_WORDS.search(main))
        assert not US_DATE.search(main), url


def test_english_status_page_and_peer_portal_write_dates_the_english_way(client, org_a):
    from groups.services import course_plan_sessions
    from participants.models import StatusLink
    from peerprogram.tokens import token_hash
    from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory, UserFactory
    from tests.volunteers.factories import (
        CourseFacilitatorFactory,
        DeclarationFactory,
        DeclarationSignatureFactory,
        PeerFactory,
    )

    course = CourseFactory(program=ProgramFactory(organisation=org_a))
    course_plan_sessions(course=course)
    registration = RegistrationFactory(course=course, status="accepted")
    StatusLink.objects.create(registration=registration, token_hash=token_hash("tok-en"))
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.en"))
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    CourseFacilitatorFactory(course=course, peer=peer)
    pages = [reverse("participants:status", args=["tok-en"])]
    peer_pages = [
        reverse("volunteers:schedule"),
        reverse("volunteers:session", args=[course.sessions.get(number=1).pk]),
    ]
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        main = html[html.index('id="main"') : html.index("<footer")]
        assert "2027" in main, url  # the page shows a date
        assert not DANISH_DATE_WORDS.search(main), (url, DANISH_DATE_WORDS.search(main))
        assert not US_DATE.search(main), url
    client.force_login(peer.user)
    for url in peer_pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        main = html[html.index('id="main"') : html.index("<footer")]
        assert "2027" in main, url
        assert not DANISH_DATE_WORDS.search(main), (url, DANISH_DATE_WORDS.search(main))
        assert not US_DATE.search(main), url
