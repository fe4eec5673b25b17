"""What the coordinator's workspace reads about the facilitators of a course: who is on it,
whether they may facilitate it and what they answered for the sessions ahead; who may be
picked; and who may stand in for someone who declined a session.

Whether someone may facilitate a course is volunteers.qualification's rule
(`assignment_problems`), read here for many people at once. Standing in adds one condition,
being free at the session's time (`substitute_problems`). A substitute is assigned to the
course, like every facilitator: the data model knows only course-level assignment
(`CourseFacilitator`), so they are told they are on the course "from" that session.

The pool the pickers list: the organisation's facilitators in training, trained, active or on
pause (applicants and stopped facilitators are not a choice, anonymised ones are gone), each
with every reason why they may not be assigned; those who may come first.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.models import Course, Session
from volunteers.models import CourseFacilitator, Peer, SessionResponse
from volunteers.qualification import assignment_problems_by_peer
from volunteers.selectors import PLANNED_COURSE_STATUSES
from volunteers.staffing import Staffing, course_staffing

POOL_STATUSES = (
    Peer.Status.IN_TRAINING,
    Peer.Status.TRAINED,
    Peer.Status.ACTIVE,
    Peer.Status.PAUSED,
)


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@dataclass(frozen=True)
class SessionAnswer:
    """A facilitator's answer to one session: "confirmed", "declined" or "" (no answer)."""

    session: Session
    answer: str

    @property
    def declined(self) -> bool:
        return self.answer == SessionResponse.Answer.DECLINED

    @property
    def label(self) -> str:
        if not self.answer:
            return _("Intet svar")
        return str(SessionResponse.Answer(self.answer).label)


@dataclass(frozen=True)
class AssignedFacilitator:
    assignment: CourseFacilitator
    problems: list[str]  # why they may not facilitate the course now; empty if they may
    answers: list[SessionAnswer]  # one per session ahead, in order


@dataclass(frozen=True)
class CourseFacilitators:
    staffing: Staffing
    facilitators: list[AssignedFacilitator]


def _pool(organisation_id: int) -> QuerySet[Peer]:
    return (
        Peer.objects.filter(
            organisation_id=organisation_id,
            status__in=POOL_STATUSES,
            anonymised_at__isnull=True,
        )
        .prefetch_related("signatures", "certificates")
        .order_by("name", "pk")
    )


def course_facilitators(
    course: Course, *, now: datetime.datetime | None = None
) -> CourseFacilitators:
    """The course's facilitators with their kind, qualification and their answer to each
    planned session still ahead, and the staffing by kind, in a fixed number of queries
    however many facilitators and sessions."""
    now = now or timezone.now()
    assignments = list(
        course.facilitators.select_related("peer")
        .prefetch_related("peer__signatures", "peer__certificates")
        .order_by("peer__kind", "peer__name", "pk")
    )
    problems = assignment_problems_by_peer([a.peer for a in assignments], course)
    sessions = list(
        course.sessions.filter(status=Session.Status.PLANNED, ends_at__gte=now).order_by(
            "starts_at", "number"
        )
    )
    answers = dict(
        ((peer_id, session_id), answer)
        for peer_id, session_id, answer in SessionResponse.objects.filter(
            session__in=sessions, peer__in=[a.peer_id for a in assignments]
        ).values_list("peer_id", "session_id", "answer")
    )
    return CourseFacilitators(
        staffing=course_staffing(course),
        facilitators=[
            AssignedFacilitator(
                assignment=assignment,
                problems=problems[assignment.peer_id],
                answers=[
                    SessionAnswer(session, answers.get((assignment.peer_id, session.pk), ""))
                    for session in sessions
                ],
            )
            for assignment in assignments
        ],
    )


@dataclass(frozen=True)
class Candidate:
    peer: Peer
    problems: list[str]  # empty: may be assigned


def _sorted(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (bool(c.problems), c.peer.name, c.peer.pk))


def facilitator_candidates(course: Course) -> list[Candidate]:
    """The pool of the course's organisation not yet on the course, each with every reason
    why they may not be assigned to it (`assignment_problems`); those who may first."""
    peers = list(_pool(course.program.organisation_id).exclude(assignments__course=course))
    problems = assignment_problems_by_peer(peers, course)
    return _sorted([Candidate(peer, problems[peer.pk]) for peer in peers])


def _busy_reasons(session: Session, peer_ids: list[int]) -> dict[int, list[str]]:
    """Why each of these people is not free at `session`'s time: a planned session of
    another planned or running course of theirs overlaps it, or they declined it."""
    reasons: dict[int, list[str]] = defaultdict(list)
    overlapping = (
        Session.objects.filter(
            course__facilitators__peer_id__in=peer_ids,
            course__status__in=PLANNED_COURSE_STATUSES,
            status=Session.Status.PLANNED,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(course_id=session.course_id)
        .values_list("course__facilitators__peer_id", "course__title", "starts_at")
        .order_by("starts_at")
    )
    for peer_id, title, starts_at in overlapping:
        reasons[peer_id].append(
            _("Har en gang på %(course)s på samme tid (%(when)s).")
            % {"course": title, "when": _when(starts_at)}
        )
    for peer_id in SessionResponse.objects.filter(
        session=session, peer_id__in=peer_ids, answer=SessionResponse.Answer.DECLINED
    ).values_list("peer_id", flat=True):
        reasons[peer_id].append(_("Har meldt afbud til denne gang."))
    return reasons


def session_problems(session: Session, *, now: datetime.datetime | None = None) -> list[str]:
    """Why nobody can stand in for `session` (cancelled, or already begun); empty if they can."""
    now = now or timezone.now()
    if session.is_cancelled:
        return [_("Gangen er aflyst.")]
    if session.starts_at <= now:
        return [_("Gangen er allerede begyndt eller holdt.")]
    return []


def substitute_problems(
    peer: Peer, session: Session, *, now: datetime.datetime | None = None
) -> list[str]:
    """Why `peer` may not stand in for `session` beyond the course's own rule
    (`assignment_problems`): the session is cancelled or begun, or they are not free then."""
    return session_problems(session, now=now) + _busy_reasons(session, [peer.pk]).get(peer.pk, [])


def substitute_candidates(session: Session) -> list[Candidate]:
    """Who may stand in for `session`: the pool of its organisation not on the course, each
    with every reason why not (the course's rule, then being free at that time); those who
    may first. A fixed number of queries however many people."""
    course = session.course
    peers = list(_pool(course.program.organisation_id).exclude(assignments__course=course))
    problems = assignment_problems_by_peer(peers, course)
    busy = _busy_reasons(session, [peer.pk for peer in peers])
    return _sorted([Candidate(peer, problems[peer.pk] + busy.get(peer.pk, [])) for peer in peers])


def session_decliners(session: Session) -> QuerySet[SessionResponse]:
    """The facilitators who declined `session`."""
    return (
        SessionResponse.objects.filter(session=session, answer=SessionResponse.Answer.DECLINED)
        .select_related("peer")
        .order_by("peer__name")
    )
