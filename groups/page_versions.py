"""What a course's public pages were built from, for peerprogram.page_cache: the course's
version, bumped with every change to its seats, sessions or texts, and the moment time alone
changes its pages (the next session start)."""

import datetime
from collections.abc import Iterable

from django.db.models import F, Min

from groups.models import Course, Program, Session
from peerprogram import page_cache


def courses_changed(course_ids: Iterable[int]) -> None:
    """The courses' public pages changed (a seat taken or freed, a session moved, a text
    edited): their versions and their organisations' course versions go up."""
    ids = list(course_ids)
    Course.objects.filter(pk__in=ids).update(public_version=F("public_version") + 1)
    page_cache.organisations_courses_changed(
        Program.objects.filter(courses__pk__in=ids).values("organisation_id")
    )


def course_removed(course: Course) -> None:
    """A course was deleted: its organisation's list of courses changed."""
    page_cache.organisations_courses_changed(
        Program.objects.filter(pk=course.program_id).values("organisation_id")
    )


def programs_changed(program_ids: Iterable[int]) -> None:
    """A programme's or its themes' texts changed: they show on every page of its courses."""
    page_cache.organisations_changed(
        Program.objects.filter(pk__in=list(program_ids)).values_list("organisation_id", flat=True)
    )


def course_versions(pk: int | str) -> tuple[int, int] | None:
    """The course's version and its organisation's (texts and contacts), in one query; None
    when citizens may not see the course."""
    return (
        Course.objects.filter(pk=pk)
        .exclude(status=Course.Status.DRAFT)
        .values_list("public_version", "program__organisation__public_version")
        .first()
    )


def next_session_start(
    sessions: Iterable[Session], *, now: datetime.datetime
) -> datetime.datetime | None:
    """When the first of `sessions` that has not started yet starts: a course's pages change
    then (the session is held, intake may close)."""
    return min((s.starts_at for s in sessions if s.starts_at > now), default=None)


def next_active_session_start(*, now: datetime.datetime) -> datetime.datetime | None:
    """The next session start of any open or running course: the list of courses taking
    registrations changes no sooner by time alone."""
    return Session.objects.filter(course__status__in=Course.ACTIVE, starts_at__gt=now).aggregate(
        first=Min("starts_at")
    )["first"]
