"""Danish phone numbers: the one check for every form and model field that holds one.

A number is stored as typed — eight digits, optionally after +45, spaces anywhere — once
`phonenumbers` agrees that it is a valid Danish number. Only ASCII digits count:
`phonenumbers` reads Arabic-Indic or fullwidth digits as 0–9, and such a number would reach
the SMS gateway as typed, so the format is checked before the number is parsed.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
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
