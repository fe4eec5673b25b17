"""Danish phone numbers: the one check for every form and model field that holds one.

A number is typed as eight digits, optionally after +45, spaces anywhere, and accepted once
`phonenumbers` agrees that it is a valid Danish number; it is stored in E.164 (+4520304050),
so the same number is always the same text (lookups, SMS gateways, duplicates). Only ASCII
digits count: `phonenumbers` reads Arabic-Indic or fullwidth digits as 0–9, and such a
number would reach the SMS gateway as typed, so the format is checked before it is parsed.
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


def _is_danish_number(value: str) -> bool:
    if not _NUMBER.fullmatch(value.replace(" ", "")):
        return False
    number = _parsed(value)
    return (
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "DK"
    )


def _is_danish_short_number(value: str) -> bool:
    if not _SHORT_NUMBER.fullmatch(value.replace(" ", "")):
        return False
    number = _parsed(value)
    return number is not None and phonenumbers.is_valid_short_number_for_region(number, "DK")


def validate_danish_phone(value: str) -> None:
    """A person's or an office's number: +45 and 8 digits; short numbers are refused."""
    if not _is_danish_number(value):
        raise ValidationError(
            _("Skriv et dansk telefonnummer med 8 cifre, fx 20 30 40 50 eller +45 20 30 40 50.")
        )


def validate_danish_help_phone(value: str) -> None:
    """A help line shown to citizens in crisis: a Danish number or a short number (112)."""
    if not (_is_danish_number(value) or _is_danish_short_number(value)):
        raise ValidationError(
            _(
                "Skriv et dansk telefonnummer med 8 cifre, evt. med +45, "
                "eller et kort nummer som 112."
            )
        )


def readable_phone(value: str) -> str:
    """A Danish number as people read it, "20 30 40 50"; other numbers (112) as they are."""
    digits = (value or "").replace(" ", "")
    if not _NUMBER.fullmatch(digits):
        return value or ""
    number = digits.removeprefix("+45")
    return " ".join(number[i : i + 2] for i in range(0, 8, 2))


def danish_phone_e164(value: str) -> str:
    """A valid Danish number in E.164 (+4520304050); anything else unchanged (blank, a short
    help-line number, or a value the validators will refuse)."""
    if not value or not _is_danish_number(value):
        return value
    number = _parsed(value)
    assert number is not None  # _is_danish_number parsed it
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class DanishPhoneFormField(forms.CharField):
    """A phone field for a form: a phone keyboard, and the number cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("validators", [validate_danish_phone])
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return danish_phone_e164(super().clean(value))


class DanishPhoneField(models.CharField):
    """A model field for a Danish number: whatever saves it (a form, the admin, a service),
    it is stored in E.164."""

    def pre_save(self, model_instance, add):
        value = danish_phone_e164(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DanishPhoneFormField, **kwargs})
