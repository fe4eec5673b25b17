"""Who may make and change questionnaires, and answer scales that cannot break a page.

A questionnaire without organisation is a shared template: every organisation's evaluation
page shows it when the programme has none of its own. Only superusers make or change those.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import reports, services
from evaluation.instruments import CHIME_NAME
from evaluation.models import Item, Phase, Questionnaire, Response
from evaluation.scoring import scale_options, validate_scale

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:evaluation_questionnaire_add")
SCALE = [{"score": 1, "label": "Ja"}, {"score": 0, "label": "Nej"}]
PLANTED = "Skriv dit navn, CPR-nummer og telefonnummer"


def form_data(organisation="", scale=SCALE, **fields):
    return {
        "organisation": organisation,
        "program": "",
        "phase": "both",
        "name": "Vores spørgsmål",
        "intro": "",
        "scale": json.dumps(scale),
        "scoring": "sum",
        "attribution": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-number": "1",
        "items-0-text": PLANTED,
        "items-0-kind": "text",
        "items-0-domain": "",
        **fields,
    }


def errors_of(response) -> str:
    assert response.status_code == 200
    adminform = response.context["adminform"]
    return " ".join(str(message) for field in adminform.form.errors.values() for message in field)


@pytest.fixture
def chime():
    return Questionnaire.objects.get(name=CHIME_NAME, organisation=None)


# Shared templates ---------------------------------------------------------------------------


def test_coordinator_cannot_create_shared_template(client_for, coordinator_a):
    before = Questionnaire.objects.count()

    response = client_for(coordinator_a).post(ADD_URL, form_data(organisation=""))

    assert "Kun en superbruger kan lave fælles skabeloner" in errors_of(response)
    assert Questionnaire.objects.count() == before
    assert not Item.objects.filter(text=PLANTED).exists()


def test_coordinator_cannot_put_a_questionnaire_in_another_organisation(
    client_for, coordinator_a, org_b
):
    before = Questionnaire.objects.count()

    response = client_for(coordinator_a).post(ADD_URL, form_data(organisation=org_b.pk))

    assert "Marker en gyldig valgmulighed" in errors_of(response)
    assert Questionnaire.objects.count() == before


def test_coordinator_creates_a_questionnaire_for_their_organisation(
    client_for, coordinator_a, org_a
):
    response = client_for(coordinator_a).post(ADD_URL, form_data(organisation=org_a.pk))

    assert response.status_code == 302
    created = Questionnaire.objects.get(name="Vores spørgsmål")
    assert created.organisation == org_a
    assert created.items.get().text == PLANTED


def test_coordinator_cannot_turn_their_questionnaire_into_a_shared_template(
    client_for, coordinator_a, org_a
):
    own = Questionnaire.objects.create(organisation=org_a, name="Vores spørgsmål", scale=SCALE)
    url = reverse("admin:evaluation_questionnaire_change", args=[own.pk])

    response = client_for(coordinator_a).post(
        url, form_data(organisation="", **{"items-0-number": "1"})
    )

    assert "Kun en superbruger kan lave fælles skabeloner" in errors_of(response)
    own.refresh_from_db()
    assert own.organisation == org_a


def test_coordinator_cannot_change_or_delete_a_shared_template(client_for, coordinator_a, chime):
    client = client_for(coordinator_a)
    change_url = reverse("admin:evaluation_questionnaire_change", args=[chime.pk])
    items_before = list(chime.items.values_list("number", "text"))

    # It can be read (and copied), but not saved, not given questions and not deleted.
    assert client.get(change_url).status_code == 200
    data = form_data(organisation="", name="Skabelon", **{"items-0-number": "99"})
    assert client.post(change_url, data).status_code == 403
    delete_url = reverse("admin:evaluation_questionnaire_delete", args=[chime.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:evaluation_questionnaire_changelist"),
        {"action": "delete_selected", "_selected_action": [chime.pk], "post": "yes"},
    )

    chime.refresh_from_db()
    assert chime.name == CHIME_NAME and chime.organisation is None
    assert list(chime.items.values_list("number", "text")) == items_before


def test_superuser_may_create_a_shared_template(client_for, superuser):
    response = client_for(superuser).post(ADD_URL, form_data(organisation=""))

    assert response.status_code == 302
    assert Questionnaire.objects.get(name="Vores spørgsmål").is_template


# Answer scales --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ([{"label": "Ja"}], 'Svarmulighed 1 skal have et helt tal som point ("score").'),
        ([{"score": "1", "label": "Ja"}], "Svarmulighed 1 skal have et helt tal som point"),
        ([{"score": 1.5, "label": "Ja"}], "Svarmulighed 1 skal have et helt tal som point"),
        ([{"score": True, "label": "Ja"}], "Svarmulighed 1 skal have et helt tal som point"),
        ([{"score": 1}], 'Svarmulighed 1 mangler en tekst ("label").'),
        ([{"score": 1, "label": "  "}], "Svarmulighed 1 mangler en tekst"),
        ([{"score": 1, "label": "Ja"}, "Nej"], "Svarmulighed 2 skal skrives som"),
        (
            [{"score": 1, "label": "Ja"}, {"score": 1, "label": "Nej"}],
            "Pointtallet 1 bruges af flere svarmuligheder.",
        ),
        (
            [{"score": 1, "label": "Ja"}, {"score": 0, "label": "ja "}],
            "Teksten »ja« bruges af flere svarmuligheder.",
        ),
        ({"score": 1, "label": "Ja"}, "Svarskalaen skal være en liste"),
    ],
)
def test_a_malformed_scale_is_refused_with_a_danish_message(scale, message):
    with pytest.raises(ValidationError) as refused:
        validate_scale(scale)
    assert any(message in text for text in refused.value.messages)


def test_a_well_formed_scale_and_an_empty_one_are_accepted():
    validate_scale(SCALE)
    validate_scale([])


def test_a_scale_without_score_is_refused_on_save(client_for, coordinator_a, org_a):
    response = client_for(coordinator_a).post(
        ADD_URL,
        form_data(organisation=org_a.pk, scale=[{"label": "Ja"}, {"score": 0, "label": "Nej"}]),
    )

    assert 'Svarmulighed 1 skal have et helt tal som point ("score").' in errors_of(response)
    assert not Questionnaire.objects.filter(name="Vores spørgsmål").exists()


@pytest.mark.parametrize("typed", ["", "null"])
def test_an_emptied_scale_is_saved_as_no_scale(client_for, coordinator_a, org_a, typed):
    data = {**form_data(organisation=org_a.pk), "scale": typed}

    response = client_for(coordinator_a).post(ADD_URL, data)

    assert response.status_code == 302
    assert Questionnaire.objects.get(name="Vores spørgsmål").scale == []


# Bad scales already in the database -----------------------------------------------------------

BAD_SCALE = [
    {"label": "Uden point"},
    {"score": 1, "label": "Ja"},
    "ikke en svarmulighed",
    {"score": 0, "label": ""},
    {"score": 1, "label": "Også ja"},
    {"score": "0", "label": "Nej"},
]


@pytest.fixture
def badly_scaled(course_a, org_a):
    """A programme questionnaire whose scale was stored before scales were checked."""
    questionnaire = Questionnaire.objects.create(
        organisation=org_a, program=course_a.program, name="Gammelt skema"
    )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(scale=BAD_SCALE)
    Item.objects.create(questionnaire=questionnaire, number=1, text="Har det hjulpet?")
    return questionnaire


def test_only_the_usable_options_of_a_stored_scale_are_read():
    assert scale_options(BAD_SCALE) == [{"score": 1, "label": "Ja"}, {"score": 0, "label": "Nej"}]
    assert scale_options({"score": 1, "label": "Ja"}) == []
    assert scale_options(None) == []


def test_an_existing_bad_scale_still_gives_200_on_the_answer_page(client, course_a, badly_scaled):
    link = reverse(
        "evaluation:answer",
        args=[services.invitation_create(course_id=course_a.pk, phase=Phase.AFTER)],
    )

    page = client.get(link)

    assert page.status_code == 200
    field = page.context["form"].fields[f"q{badly_scaled.pk}-1"]
    assert list(field.choices) == [("1", "Ja"), ("0", "Nej")]
    assert client.post(link, {f"q{badly_scaled.pk}-1": "1"}).status_code == 302
    assert Response.objects.get(questionnaire=badly_scaled).answers == {"1": 1}


def test_a_scale_that_is_no_list_still_gives_200_on_the_answer_page(client, course_a, badly_scaled):
    Questionnaire.objects.filter(pk=badly_scaled.pk).update(scale={"score": 1})
    link = reverse(
        "evaluation:answer",
        args=[services.invitation_create(course_id=course_a.pk, phase=Phase.AFTER)],
    )

    assert client.get(link).status_code == 200


def test_reports_read_an_existing_bad_scale(course_a, badly_scaled, client_for, coordinator_a):
    for _n in range(5):
        Response.objects.create(
            course=course_a,
            phase=Phase.AFTER,
            questionnaire=badly_scaled,
            iso_week="2027-W10",
            answers={"1": 1},
        )
    services.report_release_make(course_id=course_a.pk, phase=Phase.AFTER)

    (report,) = reports.course_report(course_a).after
    (item,) = report.items
    assert [(option.label, option.count) for option in item.options] == [("Ja", 5), ("Nej", 0)]
    url = reverse("admin:evaluation_report_course", args=[course_a.pk])
    assert client_for(coordinator_a).get(url).status_code == 200


@pytest.mark.parametrize("scale", [[{"label": "Uden point"}], {"score": 1}, []])
def test_reports_show_no_figures_for_a_scale_without_usable_options(
    course_a, badly_scaled, client_for, coordinator_a, scale
):
    Item.objects.create(
        questionnaire=badly_scaled, number=2, text="Hvordan har du det?", domain="hope"
    )
    for _n in range(5):
        Response.objects.create(
            course=course_a,
            phase=Phase.AFTER,
            questionnaire=badly_scaled,
            iso_week="2027-W10",
            answers={"1": 1, "2": 0},
        )
    services.report_release_make(course_id=course_a.pk, phase=Phase.AFTER)
    Questionnaire.objects.filter(pk=badly_scaled.pk).update(scale=scale)

    (report,) = reports.course_report(course_a).after
    assert report.score.mean is None
    assert all(not item.options and item.mean is None for item in report.items)
    client = client_for(coordinator_a)
    program = course_a.program.pk
    for url in [
        reverse("admin:evaluation_report_course", args=[course_a.pk]),
        reverse("admin:evaluation_report_change", args=[program]),
        reverse("admin:evaluation_report_csv", args=[program]),
    ]:
        assert client.get(url).status_code == 200
