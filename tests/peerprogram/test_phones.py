import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from peerprogram.phones import validate_danish_help_phone, validate_danish_phone


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
