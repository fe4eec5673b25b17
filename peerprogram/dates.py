"""Dates and times as people write them in the active language: the one place the formats
are defined, for templates ({% load when %}) and for text written in Python alike.

    written(starts_at, "when")        tirsdag den 9. marts kl. 17.30 / Tuesday 9 March at 17:30
    written(starts_at, "when_year")   … with the year;  "weekday", "weekday_year", "clock",
    "short_when"

Times are shown in Copenhagen time.
"""

import datetime

from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

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


def written(value: datetime.date | datetime.datetime | None, style: str) -> str:
    """`value` in `style` for the active language ("" for no value)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (translation.get_language() or "da").split("-")[0]
    return date_format(value, FORMATS.get(language, FORMATS["da"])[style])
