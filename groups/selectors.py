"""Reads for programmes, courses and sessions that need more than a one-line query."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from groups.models import Course, Session

SESSIONS_THIS_WEEK_LIMIT = 50


def sessions_this_week_for_user(
    user: Any, *, today: datetime.date | None = None
) -> QuerySet[Session]:
    today = today or timezone.localdate()
    return (
        Session.objects.for_user(user)
        .in_week_of(today)
        .select_related("course__program", "theme")
        .order_by("starts_at")[:SESSIONS_THIS_WEEK_LIMIT]
    )


def sessions_between(
    *, organisation_ids: list[int], start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Session]:
    """Sessions of the organisations' courses (not cancelled courses) from `start` to `end`,
    with their course, programme and theme, in time order."""
    return (
        Session.objects.filter(
            course__program__organisation_id__in=organisation_ids,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(course__status=Course.Status.CANCELLED)
        .select_related("course__program", "theme")
        .order_by("starts_at", "pk")
    )
