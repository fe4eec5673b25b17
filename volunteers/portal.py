"""Reads and writes behind the peer portal: a facilitator's own sessions, attendance,
answers and the personal calendar feed."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event

from groups.audience import ADULT_AGE, course_involves_children_under
from groups.models import Course, Program, Session
from participants.attendance import attendance_registrations
from participants.models import Registration
from peerprogram.tokens import token_hash
from volunteers.message_kinds import SessionDeclined
from volunteers.models import Concern, CourseFacilitator, Peer, SessionResponse
from volunteers.qualification import assignment_problems


def peer_for_user(user) -> Peer:
    """The facilitator behind a log-in. The portal is for working facilitators only
    (`Peer.objects.working()`): anyone else who is signed in is refused (403, by the rule of
    peerprogram.permissions)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Peer.objects.working().select_related("organisation").get(user=user)
    except Peer.DoesNotExist as missing:
        raise PermissionDenied from missing


def _own_sessions(peer: Peer):
    return Session.objects.filter(course__facilitators__peer=peer)


def schedule(peer: Peer, *, now=None):
    """(upcoming, past) sessions with everything the schedule shows, in a fixed number of
    queries however many sessions there are."""
    now = now or timezone.now()
    sessions = (
        _own_sessions(peer)
        .select_related("course__program", "theme")
        .annotate(
            registered=Count(
                "course__registrations",
                filter=Q(course__registrations__status=Registration.Status.ACCEPTED),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "course__facilitators",
                queryset=CourseFacilitator.objects.select_related("peer").order_by("peer__name"),
            ),
            Prefetch(
                "facilitator_responses",
                queryset=SessionResponse.objects.filter(peer=peer),
                to_attr="my_responses",
            ),
        )
        .order_by("starts_at")
    )
    sessions = list(sessions)
    _mark_clashes(sessions)
    upcoming = [s for s in sessions if s.ends_at >= now]
    past = [s for s in sessions if s.ends_at < now][::-1]
    return upcoming, past


def _mark_clashes(sessions: list[Session]) -> None:
    """Mark each session that overlaps another of the peer's (not cancelled): `clashes` lists
    the others, so the schedule can flag a double booking."""
    live = [s for s in sessions if not s.is_cancelled]
    for session in sessions:
        session.clashes = [
            other
            for other in live
            if other.pk != session.pk
            and not session.is_cancelled
            and other.starts_at < session.ends_at
            and session.starts_at < other.ends_at
        ]


def schedule_by_course(sessions: list[Session]) -> list[dict]:
    """Upcoming sessions grouped by course, courses in the order of their next session."""
    groups: dict[int, dict] = {}
    for session in sessions:
        groups.setdefault(session.course_id, {"course": session.course, "sessions": []})[
            "sessions"
        ].append(session)
    return list(groups.values())


def own_session(peer: Peer, pk: int) -> Session:
    try:
        return (
            _own_sessions(peer)
            .select_related("course__program__organisation", "theme")
            .prefetch_related("course__facilitators__peer")
            .get(pk=pk)
        )
    except Session.DoesNotExist as missing:
        raise Http404 from missing


def may_see_participants(peer: Peer, course: Course) -> bool:
    """A facilitator sees a course's participants only while they may facilitate it
    (volunteers.qualification): the current declaration signed and, with children under 15,
    a børneattest that lasts the course."""
    return not assignment_problems(peer, course)


def attendance_rows(session: Session) -> list[dict]:
    registrations = attendance_registrations(session).select_related("participant")
    marked = {a.registration_id: a.status for a in session.attendance.all()}
    return sorted(
        (
            {
                "registration": registration.pk,
                "first_name": registration.participant.name.split()[0],
                "status": marked.get(registration.pk, ""),
            }
            for registration in registrations
        ),
        key=lambda row: row["first_name"],
    )


@transaction.atomic
def session_answer(*, peer: Peer, session: Session, answer: str) -> int | None:
    """Record a facilitator's answer; a (new) decline is told to the coordinators. Returns how
    many messages told them (None when the answer was given before), so the peer is never
    promised a message nobody gets."""
    previous = SessionResponse.objects.filter(peer=peer, session=session).first()
    if previous is not None and previous.answer == answer:
        return None
    SessionResponse.objects.update_or_create(
        peer=peer, session=session, defaults={"answer": answer}
    )
    if answer != SessionResponse.Answer.DECLINED:
        return 0
    return SessionDeclined(session=session, peer=peer).send()


def calendar_token(peer: Peer) -> str:
    """The peer's feed token for the current version: derived from the site's secret key,
    never stored (only its hash is)."""
    return salted_hmac(
        "volunteers.calendar-feed",
        f"{peer.pk}:{peer.calendar_token_version}",
        algorithm="sha256",
    ).hexdigest()


def calendar_feed_url(peer: Peer, *, site_url: str) -> str:
    """The address of the peer's working feed, to show them again; "" when they have none
    (never made, turned off, or made before addresses could be shown again)."""
    token = calendar_token(peer)
    if not peer.calendar_token_hash or token_hash(token) != peer.calendar_token_hash:
        return ""
    return site_url + reverse("volunteers:feed", kwargs={"token": token})


def calendar_token_renew(*, peer: Peer) -> str:
    """A new secret feed address; the old one stops working. Only the hash is stored."""
    peer.calendar_token_version += 1
    token = calendar_token(peer)
    peer.calendar_token_hash = token_hash(token)
    peer.save(update_fields=["calendar_token_hash", "calendar_token_version"])
    return token


def calendar_token_revoke(*, peer: Peer) -> None:
    """Stop the secret feed address from working."""
    peer.calendar_token_hash = ""
    peer.save(update_fields=["calendar_token_hash"])


def peer_for_calendar_token(token: str) -> Peer:
    if not token:
        raise Http404
    try:
        return Peer.objects.working().get(calendar_token_hash=token_hash(token))
    except Peer.DoesNotExist as missing:
        raise Http404 from missing


def calendar_feed(peer: Peer, *, site_url: str) -> bytes:
    """One event per session, with a stable UID; moved sessions carry a higher SEQUENCE and
    cancelled ones STATUS:CANCELLED, so calendar apps update rather than duplicate."""
    calendar = Calendar()
    calendar.add("prodid", "-//Peer-forløb//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Peer-forløb: {peer.name}")
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    host = site_url.split("://", 1)[-1].split("/", 1)[0]
    for session in _own_sessions(peer).select_related("course__program", "theme"):
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("sequence", session.version - 1)
        # The course, not only the programme: two courses of one programme are told apart.
        event.add("summary", f"{session.course.title}: gang {session.number}")
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("dtstamp", timezone.now())
        event.add("location", session.place)
        page = site_url + reverse("volunteers:session", args=[session.pk])
        event.add("url", page)
        theme = f"{session.theme.title}\n\n" if session.theme else ""
        event.add("description", f"{theme}{page}")
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def concerns_apply(session: Session) -> bool:
    """Where a facilitator may have to pass on a concern about a child: a course with children,
    or a parent group (the parents' children)."""
    course = session.course
    return course.program.audience == Program.Audience.PARENTS or course_involves_children_under(
        course, ADULT_AGE
    )


def concern_record(
    *,
    peer: Peer,
    session: Session,
    passed_on: datetime.date,
    passed_to: str,
    receipt_on: datetime.date | None = None,
) -> Concern:
    """Record that a facilitator passed a concern about a child to the municipality."""
    return Concern.objects.create(
        session=session,
        reported_by=peer,
        passed_on=passed_on,
        passed_to=passed_to,
        receipt_on=receipt_on,
    )
