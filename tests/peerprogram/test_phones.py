import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.forms import modelform_factory
from django.template import Context, Template
from django.urls import reverse

from participants.models import Participant
from peerprogram.models import HelpContact
from peerprogram.phones import (
    danish_phone_e164,
    phone_display,
    phone_normalised,
    stored_phones_normalise,
    validate_danish_help_phone,
    validate_danish_phone,
)
from tests.factories import ParticipantFactory


@pytest.mark.parametrize("phone", ["20 30 40 50", "+45 20304050", "20304050", "70 20 12 01"])
def test_a_danish_number_is_accepted(phone):
    validate_danish_phone(phone)
    validate_danish_help_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "٢٠٣٠٤٠٥٠",  # Arabic-Indic digits, which phonenumbers itself reads as 20304050
        "２０３０４０５０",  # fullwidth digits
        "+45 ２０３０４０５０",
        "۲۰۳۰۴۰۵۰",  # Persian digits
        "12 34 56 78",  # eight digits that are no Danish number
        "+46 70 20 12 01",
        "0045 20304050",
        "20-30-40-50",
        "2030405",
    ],
)
def test_anything_else_is_refused_with_a_danish_message(phone):
    for validate in (validate_danish_phone, validate_danish_help_phone):
        with pytest.raises(ValidationError, match="dansk telefonnummer"):
            validate(phone)


@pytest.mark.parametrize("phone", ["112", "1813", "116 111", "114"])
def test_a_short_number_is_a_help_line_but_never_a_persons_number(phone):
    validate_danish_help_phone(phone)
    with pytest.raises(ValidationError, match="dansk telefonnummer"):
        validate_danish_phone(phone)


@pytest.mark.parametrize("phone", ["١١٢", "１８１３", "+45 112"])
def test_a_short_number_in_other_digits_is_refused_too(phone):
    with pytest.raises(ValidationError):
        validate_danish_help_phone(phone)


def test_every_phone_field_uses_the_one_danish_check():
    phone_fields = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.name.endswith("phone") and hasattr(field, "validators")
    ]
    assert len(phone_fields) >= 6
    for model, field in phone_fields:
        checks = [
            v for v in field.validators if v in (validate_danish_phone, validate_danish_help_phone)
        ]
        assert checks, f"{model.__name__}.{field.name}"


def test_numbers_are_shown_as_people_read_them():
    from peerprogram.templatetags.phones import phone, tel

    assert phone("+4520304050") == "20 30 40 50"
    assert phone("20 30 40 50") == "20 30 40 50"
    assert phone("1813") == "1813"
    assert tel("20 30 40 50") == "+4520304050"
    assert tel("112") == "112"


@pytest.mark.parametrize("typed", ["20 30 40 50", "+45 20304050", "20304050", "+4520304050"])
def test_a_persons_number_is_stored_in_e164_however_it_was_typed(typed):
    assert danish_phone_e164(typed) == "+4520304050"
    assert phone_normalised(typed) == "+4520304050"


def test_e164_refuses_what_the_check_refuses():
    with pytest.raises(ValidationError, match="dansk telefonnummer"):
        danish_phone_e164("112")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+4520304050", "20 30 40 50"),
        ("+4570201201", "70 20 12 01"),
        ("112", "112"),
        ("116111", "116 111"),
        ("", ""),
        ("ikke et nummer", "ikke et nummer"),
    ],
)
def test_numbers_are_shown_as_people_write_them(stored, shown):
    assert phone_display(stored) == shown
    assert Template("{% load phones %}{{ number|phone }}").render(Context({"number": stored})) == (
        shown
    )


@pytest.mark.django_db
def test_every_write_path_stores_e164_and_a_help_line_keeps_its_short_number(org_a):
    participant = ParticipantFactory(organisation=org_a, phone="20 30 40 50")
    short = HelpContact.objects.create(organisation=org_a, label="Alarm", phone="1 1 2")
    long = HelpContact.objects.create(organisation=org_a, label="Linje", phone="70 20 12 01")
    assert participant.phone == "+4520304050"  # the saved object too, not only its row

    participant.refresh_from_db(), short.refresh_from_db(), long.refresh_from_db()
    assert (participant.phone, short.phone, long.phone) == ("+4520304050", "112", "+4570201201")
    assert Participant.objects.filter(phone="20 30 40 50").get() == participant


@pytest.mark.django_db
def test_the_conversion_rewrites_stored_numbers_and_leaves_what_does_not_parse(org_a):
    typed = ParticipantFactory(organisation=org_a)
    odd = ParticipantFactory(organisation=org_a)
    # As stored before numbers were normalised: written past the field.
    Participant.objects.filter(pk=typed.pk).update(phone=Value("+45 20 30 40 50"))
    Participant.objects.filter(pk=odd.pk).update(phone=Value("20-30-40-50"))

    assert stored_phones_normalise(Participant, ["phone"]) == 1

    assert Participant.objects.get(pk=typed.pk).phone == "+4520304050"
    assert Participant.objects.get(pk=odd.pk).phone == "20-30-40-50"
    assert stored_phones_normalise(Participant, ["phone"]) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["20 30 40 50", "+45 20 30 40 50", "20304050"])
def test_the_admin_finds_a_person_by_their_number_however_it_is_typed(
    client_for, coordinator_a, org_a, term
):
    ParticipantFactory(organisation=org_a, name="Nummer Nielsen", phone="20304050")
    ParticipantFactory(organisation=org_a, name="Anden Andersen", phone="20304051")

    page = client_for(coordinator_a).get(
        reverse("admin:participants_participant_changelist"), {"q": term}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Nummer Nielsen" in html and "Anden Andersen" not in html


@pytest.mark.django_db
def test_a_form_shows_a_stored_number_readably_and_saves_it_in_e164(org_a):
    form_class = modelform_factory(Participant, fields=["phone"])
    participant = ParticipantFactory(organisation=org_a, phone="+4520304050")

    assert 'value="20 30 40 50"' in str(form_class(instance=participant)["phone"])
    unchanged = form_class({"phone": "20 30 40 50"}, instance=participant)
    assert unchanged.is_valid() and not unchanged.has_changed()
    assert unchanged.cleaned_data["phone"] == "+4520304050"
