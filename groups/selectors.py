"""Reads for programmes, courses and sessions that need more than a one-line query."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from groups.models import Course, Program, Session

SESSIONS_THIS_WEEK_LIMIT = 50


def sessions_this_week_for_user(user, *, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (
        Session.objects.for_user(user)
        .in_week_of(today)
        .select_related("course__program", "theme")
        .order_by("starts_at")[:SESSIONS_THIS_WEEK_LIMIT]
    )


def public_programs():
    """Programmes with the courses a citizen can look at (open for registration or running)."""
    visible = Course.objects.filter(
        status__in=[Course.Status.OPEN, Course.Status.RUNNING]
    ).annotate(
        planned_sessions=Count("sessions", filter=Q(sessions__status=Session.Status.PLANNED))
    )
    return (
        Program.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("courses", queryset=visible.order_by("first_date"), to_attr="visible_courses")
        )
        .order_by("organisation__name", "name")
    )
