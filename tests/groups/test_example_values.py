"""Values no source gives are data (`Program.example_fields`) and say "Eksempel" next to the
value wherever a coordinator or citizen sees it: the public course page and list, the course
and programme admin, the printed manual and flyer. Crisis lines never do."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from groups import manuals
from groups.models import EXAMPLE_FIELDS, Course, Program
from groups.services import course_plan_sessions
from tests.factories import CourseFactory, HelpContactFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


BADGE = re.compile(r"Eksempel</span>")


def open_course(program):
    course = CourseFactory(program=program, status=Course.Status.OPEN, capacity=12)
    course_plan_sessions(course=course)
    return course


@pytest.mark.parametrize(
    "value", [["capacity", "colour"], "capacity", [1], ["summary"], ["name", "legal_basis"]]
)
def test_only_the_programmes_example_fields_may_be_listed(org_a, value):
    program = ProgramFactory.build(organisation=org_a, example_fields=value)
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert "Eksempelværdier skal være en liste" in str(refused.value.message_dict)


def test_every_field_that_may_be_an_example_exists_on_the_programme():
    names = {field.name for field in Program._meta.fields}
    assert set(EXAMPLE_FIELDS) <= names


def practical(html, term):
    """The <dd> after <dt>term</dt> on the course page."""
    return html.split(f"<dt>{term}</dt><dd>", 1)[1].split("</dd>", 1)[0]


@pytest.mark.parametrize(
    ("example_fields", "labelled"),
    [
        ([], set()),
        (["capacity"], {"Pladser"}),
        (["weeks"], {"Tid"}),
        (["session_minutes"], {"Tid"}),
        (["legal_basis"], {"Lovgrundlag"}),
        (["required_peers", "required_professionals"], set()),  # not shown to citizens
        (list(EXAMPLE_FIELDS), {"Pladser", "Tid", "Lovgrundlag"}),
    ],
)
def test_the_course_page_labels_each_example_value_and_nothing_else(
    client, org_a, example_fields, labelled
):
    HelpContactFactory(organisation=org_a, label="Livslinien", phone="70 201 201")
    program = ProgramFactory(organisation=org_a, example_fields=example_fields)
    course = open_course(program)
    html = client.get(reverse("participants:course", args=[course.pk])).content.decode()
    shown = {term for term in ("Pladser", "Tid") if BADGE.search(practical(html, term))}
    legal = html.split("Lovgrundlag: ", 1)[1].split("</p>", 1)[0]
    if BADGE.search(legal):
        shown.add("Lovgrundlag")
    assert shown == labelled
    assert len(BADGE.findall(html)) == len(labelled)
    # Crisis lines are never examples on a public page.
    contacts = html.split('class="organisation-contacts"', 1)[1].split("</section>", 1)[0]
    assert "Livslinien" in contacts and "Eksempel" not in contacts


def test_the_course_list_labels_an_example_capacity(client, org_a):
    open_course(ProgramFactory(organisation=org_a, example_fields=["capacity"]))
    open_course(ProgramFactory(organisation=org_a, example_fields=[]))
    html = client.get(reverse("home")).content.decode()
    assert len(re.findall(r"ledige pladser\s*<span[^>]*>Eksempel</span>", html)) == 1


def printed(context):
    """What groups.manuals adds when it prints (peerprogram.printing.render_pdf)."""
    return {**context, "stylesheet_url": "print.css", "generated_on": "1.1.2027"}


def test_the_manual_and_flyer_label_example_values(org_a):
    program = ProgramFactory(
        organisation=org_a,
        legal_basis="Barnets lov § 30.",
        example_fields=["legal_basis", "weeks", "capacity"],
    )
    course = open_course(program)
    manual = render_to_string("pdf/manual.html", printed(manuals.manual_context(program, course)))
    assert "Barnets lov § 30." in manual
    # The cover and the facts both print the legal basis, and the facts the length.
    assert manual.count('<span class="tag">Eksempel</span>') == 3
    flyer = render_to_string("pdf/flyer.html", printed(manuals.flyer_context(course)))
    assert "12 pladser <span" in flyer
    assert flyer.count('<span class="tag">Eksempel</span>') == 3

    program.example_fields = []
    program.save()
    manual = render_to_string("pdf/manual.html", printed(manuals.manual_context(program, course)))
    assert "Eksempel" not in manual


def test_marking_a_value_as_an_example_makes_a_new_manual(org_a):
    program = ProgramFactory(organisation=org_a)
    kind = manuals.Kind.PROGRAM_MANUAL
    before = manuals.fingerprint(kind, manuals.manual_context(program))
    program.example_fields = ["weeks"]
    program.save()
    assert manuals.fingerprint(kind, manuals.manual_context(program)) != before


def program_form(program, **changes):
    data = {
        "organisation": program.organisation_id,
        "name": program.name,
        "summary": program.summary,
        "legal_basis": program.legal_basis,
        "audience": program.audience,
        "target_group": program.target_group,
        "min_age": program.min_age or "",
        "max_age": "",
        "format": program.format,
        "weeks": program.weeks,
        "session_minutes": program.session_minutes,
        "capacity": program.capacity,
        "required_peers": program.required_peers,
        "required_professionals": program.required_professionals,
        "intake_open_until_session": "",
        "accompaniment_limit_months": "",
        "skip_public_holidays": "on",
        "reminder_hours": program.reminder_hours,
        "eligibility_rules": "[]",
        "tariffs": "[]",
        "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0",
        "themes-MIN_NUM_FORMS": "0",
        "themes-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_coordinator_ticks_the_example_values_on_the_programme(admin_client_a, org_a):
    program = ProgramFactory(organisation=org_a)
    url = reverse("admin:groups_program_change", args=[program.pk])
    page = admin_client_a.get(url).content.decode()
    assert 'type="checkbox" name="example_fields" value="capacity"' in page
    response = admin_client_a.post(
        url, program_form(program, example_fields=["capacity", "legal_basis"])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    program.refresh_from_db()
    assert program.example_fields == ["capacity", "legal_basis"]

    response = admin_client_a.post(url, program_form(program, example_fields=["colour"]))
    assert response.status_code == 200
    program.refresh_from_db()
    assert program.example_fields == ["capacity", "legal_basis"]


def test_the_course_admin_names_the_programmes_example_values(admin_client_a, org_a):
    program = ProgramFactory(organisation=org_a, example_fields=["capacity", "session_minutes"])
    course = open_course(program)
    page = admin_client_a.get(reverse("admin:groups_course_change", args=[course.pk]))
    assert (
        "Eksempel: pladser pr. forløb, varighed pr. gang (minutter). Ret dem på programmet."
        in page.content.decode()
    )
