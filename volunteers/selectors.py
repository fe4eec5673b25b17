"""Lists of facilitator work for coordinators: declines and missing answers, courses short of
a kind of facilitator, børneattester running out before the courses they are needed for,
contact requests and applications nobody has handled. The notices and the workspace's work
queue read these, so what coordinators are e-mailed and what "I dag" shows is one rule."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from groups.models import Course, Session
from volunteers.models import (
    ChildCertificate,
    ContactRequest,
    CourseFacilitator,
    Peer,
    PeerApplication,
    SessionResponse,
)
from volunteers.qualification import (
    certificate_valid_until,
    latest_certificate,
    needs_child_certificate,
)
from volunteers.staffing import Staffing, course_staffing, with_staffing

# Courses still ahead or under way: facilitators are planned for these.
PLANNED_COURSE_STATUSES = (Course.Status.DRAFT, *Course.ACTIVE)
PLANNED = Q(sessions__status=Session.Status.PLANNED)


# How far ahead a course short of a kind of facilitator is a warning: the e-mail to
# coordinators and the work queue both read `courses_understaffed`, which applies it.
UNDERSTAFFED_WARNING_DAYS = 7
# A facilitator who has not answered a session starting this soon is a work item.
ANSWER_MISSING_HOURS = 72


@dataclass(frozen=True)
class UnderstaffedCourse:
    course: Course
    staffing: Staffing
    starts_at: datetime.datetime  # the course's first planned session
    next_at: datetime.datetime  # its next planned session, within the warning window


def courses_understaffed(
    *, organisation_ids: Iterable[int], now: datetime.datetime
) -> list[UnderstaffedCourse]:
    """Open and running courses of the organisations with a planned session within
    `UNDERSTAFFED_WARNING_DAYS` after `now` whose staffing is not met (volunteers.staffing),
    soonest first. For a course not yet begun that session is its first."""
    ahead = PLANNED & Q(sessions__starts_at__gt=now)
    courses = (
        with_staffing(
            Course.objects.filter(
                program__organisation_id__in=list(organisation_ids),
                status__in=Course.ACTIVE,
            )
        )
        .annotate(
            starts_at=Min("sessions__starts_at", filter=PLANNED),
            next_at=Min("sessions__starts_at", filter=ahead),
        )
        .filter(next_at__lte=now + datetime.timedelta(days=UNDERSTAFFED_WARNING_DAYS))
        .select_related("program__organisation")
        .order_by("next_at", "pk")
    )
    found = []
    for course in courses:
        staffing = course_staffing(course)
        if not staffing.is_met:
            found.append(UnderstaffedCourse(course, staffing, course.starts_at, course.next_at))
    return found


def _sessions_ahead(organisation_ids: Iterable[int], now: datetime.datetime) -> Q:
    """Planned sessions after `now` of the organisations' open and running courses, seen
    from a facilitator's answer."""
    return Q(
        session__course__program__organisation_id__in=list(organisation_ids),
        session__course__status__in=Course.ACTIVE,
        session__status=Session.Status.PLANNED,
        session__starts_at__gt=now,
    )


def session_declines_open(
    *, organisation_ids: Iterable[int], now: datetime.datetime
) -> QuerySet[SessionResponse]:
    """Facilitators still on a course who declined one of its sessions ahead, soonest first.

    A decline is covered, and so left out, once someone of the same kind who works and has
    not declined that session was put on the course after it (a substitute)."""
    still_assigned = CourseFacilitator.objects.filter(
        peer=OuterRef("peer"), course=OuterRef("session__course")
    )
    declined_too = SessionResponse.objects.filter(
        peer=OuterRef("peer"),
        session=OuterRef(OuterRef("session")),
        answer=SessionResponse.Answer.DECLINED,
    )
    substitute = (
        CourseFacilitator.objects.filter(
            course=OuterRef("session__course"),
            peer__kind=OuterRef("peer__kind"),
            peer__status__in=Peer.WORKING_STATUSES,
            assigned_at__gte=OuterRef("answered_at"),
        )
        .exclude(peer=OuterRef("peer"))
        .filter(~Exists(declined_too))
    )
    return (
        SessionResponse.objects.filter(
            _sessions_ahead(organisation_ids, now), answer=SessionResponse.Answer.DECLINED
        )
        .filter(Exists(still_assigned), ~Exists(substitute))
        .select_related("peer", "session__course__program")
        .order_by("session__starts_at", "peer__name", "pk")
    )


@dataclass(frozen=True)
class AnswerMissing:
    peer: Peer
    session: Session


def session_answers_missing(
    *, organisation_ids: Iterable[int], now: datetime.datetime
) -> list[AnswerMissing]:
    """Working facilitators who have not answered a planned session of their course that
    starts within `ANSWER_MISSING_HOURS`, soonest first; three queries however many."""
    sessions = list(
        Session.objects.filter(
            course__program__organisation_id__in=list(organisation_ids),
            course__status__in=Course.ACTIVE,
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=ANSWER_MISSING_HOURS),
        )
        .select_related("course__program")
        .order_by("starts_at", "pk")
    )
    facilitators: dict[int, list[Peer]] = {}
    for assignment in (
        CourseFacilitator.objects.filter(
            course__in={session.course_id for session in sessions},
            peer__status__in=Peer.WORKING_STATUSES,
        )
        .select_related("peer")
        .order_by("peer__name", "pk")
    ):
        facilitators.setdefault(assignment.course_id, []).append(assignment.peer)
    answered = set(
        SessionResponse.objects.filter(session__in=sessions).values_list("peer_id", "session_id")
    )
    return [
        AnswerMissing(peer, session)
        for session in sessions
        for peer in facilitators.get(session.course_id, [])
        if (peer.pk, session.pk) not in answered
    ]


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


def peer_applications_open(*, organisation_ids: Iterable[int]) -> QuerySet[PeerApplication]:
    """Applications from the "Bliv frivillig peer" form whose applicant nobody has moved on
    from "Ansøger" yet (to training, or stopped), oldest first."""
    return (
        PeerApplication.objects.filter(
            peer__organisation_id__in=list(organisation_ids),
            peer__status=Peer.Status.APPLICANT,
            peer__anonymised_at__isnull=True,
        )
        .select_related("peer")
        .order_by("applied_at", "pk")
    )
