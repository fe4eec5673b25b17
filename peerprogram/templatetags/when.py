"""Dates and times as people write them in the page's or message's language.

    {% load when %}{{ session.starts_at|when }}   tirsdag den 9. marts kl. 17.30
                                                  Tuesday 9 March at 17:30
    {{ starts_at|when_year }}  … with the year;  {{ day|weekday }}  tirsdag den 9. marts
    {{ starts_at|clock }}  17.30 / 17:30;         {{ starts_at|short_when }}  9/3 kl. 17.30 …

Times are shown in Copenhagen time; the formats are peerprogram.dates'.
"""

from django import template

from peerprogram.dates import written

register = template.Library()


@register.filter
def when(value):
    return written(value, "when")


@register.filter
def when_year(value):
    return written(value, "when_year")


@register.filter
def weekday(value):
    return written(value, "weekday")


@register.filter
def weekday_year(value):
    return written(value, "weekday_year")


@register.filter
def clock(value):
    return written(value, "clock")


@register.filter
def short_when(value):
    return written(value, "short_when")
