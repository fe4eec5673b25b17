"""Danish phone numbers: the one check, the one stored form and the one way to show them.

A person's or an office's number is accepted as typed — eight digits, optionally after +45,
spaces anywhere — once `phonenumbers` agrees that it is a valid Danish number, and it is
stored in E.164 (`+4520304050`) whichever way it was typed, so it is found and compared as
one value. Only ASCII digits count: `phonenumbers` reads Arabic-Indic or fullwidth digits as
0–9, and such a number would reach the SMS gateway as typed, so the format is checked before
the number is parsed.

A help line may also be a short number (112, 1813, 116 111); that is stored as its digits.
Pages show numbers grouped as Danes write them (`phone_display`, the `phone` filter).
"""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_NUMBER = re.compile(r"(\+45)?[0-9]{8}")
# 112, 1813, 116 111: emergency and help lines, never a person's own number.
_SHORT_NUMBER = re.compile(r"1[0-9]{2,5}")


def _parsed(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException:
        return None


def _danish_number(value: str) -> phonenumbers.PhoneNumber | None:
    if not _NUMBER.fullmatch(value.replace(" ", "")):
        return None
    number = _parsed(value)
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "DK"
    ):
        return None
    return number


def _is_danish_short_number(value: str) -> bool:
    if not _SHORT_NUMBER.fullmatch(value.replace(" ", "")):
        return False
    number = _parsed(value)
    return number is not None and phonenumbers.is_valid_short_number_for_region(number, "DK")


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_danish_phone(value: str) -> None:
    """A person's or an office's number: +45 and 8 digits; short numbers are refused."""
    if _danish_number(value) is None:
        raise ValidationError(
            _("Skriv et dansk telefonnummer med 8 cifre, fx 20 30 40 50 eller +45 20 30 40 50.")
        )


def validate_danish_help_phone(value: str) -> None:
    """A help line shown to citizens in crisis: a Danish number or a short number (112)."""
    if not (_danish_number(value) is not None or _is_danish_short_number(value)):
        raise ValidationError(
            _(
                "Skriv et dansk telefonnummer med 8 cifre, evt. med +45, "
                "eller et kort nummer som 112."
            )
        )


def danish_phone_e164(value: str) -> str:
    """A person's or an office's number as stored: `+4520304050`. Raises the Danish
    ValidationError of `validate_danish_phone` for anything else."""
    validate_danish_phone(value)
    number = _danish_number(value)
    assert number is not None  # noqa: S101 - validated just above
    return _e164(number)


def phone_normalised(value: str) -> str:
    """What is stored for `value`: a Danish number in E.164, a short number as its digits,
    anything else (empty, or a value no check has passed) unchanged."""
    number = _danish_number(value or "")
    if number is not None:
        return _e164(number)
    if _is_danish_short_number(value or ""):
        return value.replace(" ", "")
    return value


def phone_search_value(term: str) -> str | None:
    """The stored form of a search term that is a Danish number ("20 30 40 50"), else None."""
    number = _danish_number(term.strip())
    return _e164(number) if number is not None else None


def phone_display(value: str) -> str:
    """A stored number as people read it: `20 30 40 50` (Danish numbers without +45),
    `116 111`; anything that is no Danish number is shown as it is."""
    number = _danish_number(value or "")
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if _is_danish_short_number(value or "") and len(value.replace(" ", "")) == 6:
        digits = value.replace(" ", "")
        return f"{digits[:3]} {digits[3:]}"
    return value


class DanishPhoneFormField(forms.CharField):
    """A form's phone field: checked by `validate` and cleaned to the stored form."""

    def __init__(self, *, validate=validate_danish_phone, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.validate_number = validate
        # A phone's keyboard with digits and +.
        self.widget.attrs.setdefault("inputmode", "tel")

    def prepare_value(self, value):
        # A stored number is edited as people write it; saving makes it E.164 again.
        return phone_display(value) if isinstance(value, str) else value

    def has_changed(self, initial, data):
        return phone_normalised(initial or "") != phone_normalised(self.to_python(data) or "")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        self.validate_number(value)
        return phone_normalised(value)


class DanishPhoneField(models.CharField):
    """A model's phone field: validated (a person's number, or with `help_line` also a short
    number) and saved in its stored form by every path, forms or code, so nothing stores a
    number as typed."""

    def __init__(self, *args, help_line: bool = False, **kwargs):
        self.help_line = help_line
        kwargs.setdefault("max_length", 20)
        kwargs["validators"] = [validate_danish_help_phone if help_line else validate_danish_phone]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.help_line:
            kwargs["help_line"] = True
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # The saved object holds what the row holds, so code that goes on to use it (a
        # message to the number just saved) sends to the stored form.
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = phone_normalised(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return phone_normalised(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        validate = validate_danish_help_phone if self.help_line else validate_danish_phone
        return super().formfield(
            **{"form_class": DanishPhoneFormField, "validate": validate, **kwargs}
        )


def stored_phones_normalise(model: type[models.Model], field_names: list[str]) -> int:
    """Rewrite the numbers stored in `field_names` of `model` (a migration's historical model
    too) in their stored form (`phone_normalised`); a value that does not parse stays as it
    is. Returns how many rows changed."""
    changed = 0
    for row in model._default_manager.only("pk", *field_names).iterator():
        values = {
            name: phone_normalised(getattr(row, name))
            for name in field_names
            if getattr(row, name) and phone_normalised(getattr(row, name)) != getattr(row, name)
        }
        if values:
            model._default_manager.filter(pk=row.pk).update(**values)
            changed += 1
    return changed
