"""Lists of facilitator work for coordinators: courses short of a kind of facilitator, and
børneattester running out before the courses they are needed for. The notices and the
workspace read these."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from groups.models import Course, Session
from volunteers.models import ChildCertificate, ContactRequest, CourseFacilitator, Peer
from volunteers.qualification import (
    certificate_valid_until,
    latest_certificate,
    needs_child_certificate,
)
from volunteers.staffing import Staffing, course_staffing, with_staffing

# Courses still ahead or under way: facilitators are planned for these.
PLANNED_COURSE_STATUSES = (Course.Status.DRAFT, *Course.ACTIVE)
PLANNED = Q(sessions__status=Session.Status.PLANNED)


@dataclass(frozen=True)
class UnderstaffedCourse:
    course: Course
    staffing: Staffing
    starts_at: datetime.datetime  # the course's first planned session


def courses_understaffed(
    *, organisation_ids: Iterable[int], today: datetime.date
) -> list[UnderstaffedCourse]:
    """Open and running courses of the organisations with a planned session from `today` on
    whose staffing is not met (volunteers.staffing), soonest first."""
    tz = timezone.get_current_timezone()
    start_of_today = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    courses = (
        with_staffing(
            Course.objects.filter(
                program__organisation_id__in=list(organisation_ids),
                status__in=Course.ACTIVE,
            )
        )
        .annotate(
            starts_at=Min("sessions__starts_at", filter=PLANNED),
            ends_at=Max("sessions__starts_at", filter=PLANNED),
        )
        .filter(ends_at__gte=start_of_today)
        .select_related("program__organisation")
        .order_by("starts_at", "pk")
    )
    found = []
    for course in courses:
        staffing = course_staffing(course)
        if not staffing.is_met:
            found.append(UnderstaffedCourse(course, staffing, course.starts_at))
    return found


@dataclass(frozen=True)
class CourseNeed:
    """A course the facilitator needs a børneattest for, up to its last planned session."""

    course: Course
    last_session_day: datetime.date


@dataclass(frozen=True)
class CertificateRunningOut:
    peer: Peer
    certificate: ChildCertificate
    valid_until: datetime.date
    # The courses whose last session comes after the børneattest runs out; empty when it is
    # listed only for running out soon.
    courses: list[CourseNeed]


def certificates_running_out(
    *, organisation_ids: Iterable[int], today: datetime.date, within_days: int
) -> list[CertificateRunningOut]:
    """Working facilitators of the organisations whose approved børneattest runs out before
    the last planned session of a course they are assigned to and need it for
    (volunteers.qualification), or within `within_days` days from `today`; soonest first.
    An expired one stays listed while such a course is still ahead."""
    assignments = (
        CourseFacilitator.objects.filter(course__status__in=PLANNED_COURSE_STATUSES)
        .select_related("course__program")
        .annotate(
            last_session=Max(
                "course__sessions__starts_at",
                filter=Q(course__sessions__status=Session.Status.PLANNED),
            )
        )
    )
    peers = (
        Peer.objects.working()
        .filter(organisation_id__in=list(organisation_ids))
        .prefetch_related(
            "certificates", Prefetch("assignments", queryset=assignments, to_attr="planned")
        )
    )
    soon = today + datetime.timedelta(days=within_days)
    found = []
    for peer in peers:
        certificate = latest_certificate(peer)
        valid_until = certificate_valid_until(certificate) if certificate else None
        if certificate is None or valid_until is None:
            continue
        courses = [
            CourseNeed(assignment.course, last_day)
            for assignment in peer.planned
            if assignment.last_session is not None
            and (last_day := timezone.localdate(assignment.last_session)) >= today
            and valid_until < last_day
            and needs_child_certificate(peer, assignment.course, on=last_day)
        ]
        if courses or today <= valid_until <= soon:
            courses.sort(key=lambda need: need.last_session_day)
            found.append(CertificateRunningOut(peer, certificate, valid_until, courses))
    found.sort(key=lambda row: (row.valid_until, row.peer.name, row.peer.pk))
    return found


def contact_requests_open(*, organisation_ids: Iterable[int]) -> QuerySet[ContactRequest]:
    """Citizens' "Kontakt en peer" requests nobody has matched or closed yet, oldest first."""
    return (
        ContactRequest.objects.filter(
            organisation_id__in=list(organisation_ids), status=ContactRequest.Status.NEW
        )
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
