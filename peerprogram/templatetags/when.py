"""Dates and times as people write them in the page's or message's language.

    {% load when %}{{ session.starts_at|when }}   tirsdag den 9. marts kl. 17.30
                                                  Tuesday 9 March at 17:30
    {{ starts_at|when_year }}  … with the year;  {{ day|weekday }}  tirsdag den 9. marts
    {{ starts_at|clock }}  17.30 / 17:30;         {{ starts_at|short_when }}  9/3 kl. 17.30 …

Times are shown in Copenhagen time. Formats per language are here, in one place.
"""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

register = template.Library()

FORMATS = {
    "da": {
        "when": r"l \d\e\n j. F \k\l. H.i",
        "when_year": r"l \d\e\n j. F Y \k\l. H.i",
        "weekday": r"l \d\e\n j. F",
        "weekday_year": r"l \d\e\n j. F Y",
        "clock": "H.i",
        "short_when": r"j.n. \k\l. H.i",
    },
    "en": {
        "when": r"l j F \a\t H:i",
        "when_year": r"l j F Y \a\t H:i",
        "weekday": "l j F",
        "weekday_year": "l j F Y",
        "clock": "H:i",
        "short_when": r"j M \a\t H:i",
    },
}


def formatted(value: datetime.date | datetime.datetime | None, style: str) -> str:
    """`value` in `style` for the active language ("" for no value)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (translation.get_language() or "da").split("-")[0]
    return date_format(value, FORMATS.get(language, FORMATS["da"])[style])


@register.filter
def when(value):
    return formatted(value, "when")


@register.filter
def when_year(value):
    return formatted(value, "when_year")


@register.filter
def weekday(value):
    return formatted(value, "weekday")


@register.filter
def weekday_year(value):
    return formatted(value, "weekday_year")


@register.filter
def clock(value):
    return formatted(value, "clock")


@register.filter
def short_when(value):
    return formatted(value, "short_when")
