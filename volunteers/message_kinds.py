"""The volunteers app's message kinds (peerprogram.outbox.kinds): what a facilitator is told
about their courses, their log-in, the declaration and an accompaniment, and the notices
that tell an organisation's coordinators about the facilitator side.

A facilitator (peer) gets an e-mail, and an SMS only if they asked for one. Peers have no
language of their own, so they are written to in Danish. Coordinators get e-mail only
(`CoordinatorNotice`), each notice linking to the page where the case is resolved.
"""

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from groups.message_kinds import AboutCourse
from groups.models import Course, Program, Session
from groups.workspace.pages import course_page_url
from participants.models import Participant
from peerprogram.models import Organisation
from peerprogram.outbox.kinds import Audience, CoordinatorNotice, MessageKind
from peerprogram.outbox.services import Recipient
from volunteers.models import Accompaniment, ContactRequest, Declaration, Peer
from volunteers.selectors import CertificateRunningOut, UnderstaffedCourse


def peer_recipient(peer: Peer) -> Recipient:
    """A facilitator as a recipient: e-mail, and SMS if they asked for it."""
    return Recipient(
        key=f"peer:{peer.pk}",
        name=peer.name,
        email=peer.email,
        phone=peer.phone,
        sms_opt_in=peer.sms_opt_in,
    )


def _participant_recipient(participant: Participant) -> Recipient:
    # A citizen is written to in the language of the form they last filled in.
    language = (
        participant.registrations.order_by("-created_at", "-pk")
        .values_list("language", flat=True)
        .first()
    )
    return Recipient(
        key=f"participant:{participant.pk}",
        name=participant.name,
        email=participant.email,
        phone=participant.phone,
        sms_opt_in=participant.sms_opt_in,
        language=language or settings.LANGUAGE_CODE,
    )


def _portal_url() -> str:
    return settings.SITE_URL + reverse("volunteers:schedule")


# --- To facilitators ---------------------------------------------------------------------------


@dataclasses.dataclass(kw_only=True)
class FacilitatorAssigned(AboutCourse, MessageKind):
    """A facilitator is put on a course: which, where, and the first session ahead for them
    (for a substitute, the session they stand in for and are on the course from)."""

    kind = "facilitator_assigned"
    audience = Audience.PEER

    course: Course
    peer: Peer
    substitute_for: Session | None = None

    def recipients(self) -> Iterable[Recipient]:
        return [peer_recipient(self.peer)]

    def _first_session(self) -> Session | None:
        return self.substitute_for or (
            self.course.sessions.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
            .order_by("starts_at", "number")
            .first()
        )

    def context(self) -> dict[str, Any]:
        session = self._first_session()
        return {
            "program": self.course.program.name,
            "course": self.course.title,
            "place": session.place if session else self.course.place,
            "address": self.course.address,
            "number": session.number if session else None,
            "starts_at": session.starts_at if session else None,
            "substitute": self.substitute_for is not None,
            "portal_url": _portal_url(),
        }


@dataclasses.dataclass(kw_only=True)
class FacilitatorUnassigned(AboutCourse, MessageKind):
    """A facilitator is taken off a course."""

    kind = "facilitator_unassigned"
    audience = Audience.PEER

    course: Course
    peer: Peer

    def recipients(self) -> Iterable[Recipient]:
        return [peer_recipient(self.peer)]

    def context(self) -> dict[str, Any]:
        return {
            "program": self.course.program.name,
            "course": self.course.title,
            "portal_url": _portal_url(),
        }


@dataclasses.dataclass(kw_only=True)
class PeerInvitation(MessageKind):
    """A facilitator's log-in to the peer portal: their username and a link to choose a
    password, made at delivery (the "password_reset" secret provider)."""

    kind = "peer_invitation"
    audience = Audience.PEER
    secret_provider = "password_reset"  # noqa: S105 - a provider name

    peer: Peer

    def organisation(self) -> Organisation:
        return self.peer.organisation

    def related(self) -> Any:
        return self.peer.user

    def recipients(self) -> Iterable[Recipient]:
        return [peer_recipient(self.peer)]

    def context(self) -> dict[str, Any]:
        # peer_invite gives the facilitator a log-in before inviting them.
        return {
            "username": self.peer.user.get_username(),
            "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }


@dataclasses.dataclass(kw_only=True)
class DeclarationNew(MessageKind):
    """Every working facilitator of the organisation is asked to sign a new version of the
    confidentiality declaration, once per version."""

    kind = "declaration_new"
    audience = Audience.PEER

    declaration: Declaration

    def organisation(self) -> Organisation:
        return self.declaration.organisation

    def related(self) -> Declaration:
        return self.declaration

    def recipients(self) -> Iterable[Recipient]:
        peers = Peer.objects.working().filter(organisation=self.declaration.organisation)
        return [peer_recipient(peer) for peer in peers]

    def context(self) -> dict[str, Any]:
        return {
            "version": self.declaration.version,
            "published_on": self.declaration.published_on,
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        return f"{self.kind}:{self.declaration.pk}:{recipient.key}"


@dataclasses.dataclass(kw_only=True)
class AccompanimentEnding(MessageKind):
    """An ongoing accompaniment ends within 14 days: the peer (`for_peer`) and the citizen
    are each told, once for each planned end."""

    kind = "accompaniment_ending"
    audience = Audience.PEER

    accompaniment: Accompaniment
    for_peer: bool

    def organisation(self) -> Organisation:
        return self.accompaniment.peer.organisation

    def program(self) -> Program:
        return self.accompaniment.program

    def related(self) -> Accompaniment:
        return self.accompaniment

    def recipients(self) -> Iterable[Recipient]:
        if self.for_peer:
            return [peer_recipient(self.accompaniment.peer)]
        participant = self.accompaniment.participant
        if not (participant.email or participant.phone):
            return []
        return [_participant_recipient(participant)]

    def context(self) -> dict[str, Any]:
        participant = self.accompaniment.participant
        return {
            "for_peer": self.for_peer,
            "program": self.accompaniment.program.name,
            "planned_end": self.accompaniment.planned_end_on,
            "peer_name": self.accompaniment.peer.name,
            # First name only: the peer knows who it is, and the outbox keeps the text.
            "citizen_first_name": participant.name.split()[0] if participant.name else "",
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        accompaniment = self.accompaniment
        return f"{self.kind}:{accompaniment.pk}:{accompaniment.planned_end_on}:{recipient.key}"


# --- To coordinators ---------------------------------------------------------------------------


@dataclasses.dataclass(kw_only=True)
class SessionDeclined(AboutCourse, CoordinatorNotice):
    """A facilitator declined a session: find a substitute on the session's substitute page."""

    kind = "session_declined"

    session: Session
    peer: Peer

    @property
    def course(self) -> Course:
        return self.session.course

    def related(self) -> Session:
        return self.session

    def context(self) -> dict[str, Any]:
        return {
            "peer": self.peer.name,
            "program": self.course.program.name,
            "course": self.course.title,
            "number": self.session.number,
            "starts_at": self.session.starts_at,
            "substitute_url": settings.SITE_URL
            + reverse("workspace:substitute", args=[self.session.pk]),
        }


@dataclasses.dataclass(kw_only=True)
class CertificateDue(CoordinatorNotice):
    """A facilitator's børneattest runs out soon or before the last session of a course it is
    needed for (`certificates_running_out`), told once per certificate and end date."""

    kind = "certificate_due"

    row: CertificateRunningOut

    def organisation(self) -> Organisation:
        return self.row.peer.organisation

    def related(self) -> Peer:
        return self.row.peer

    def context(self) -> dict[str, Any]:
        return {
            "peer": self.row.peer.name,
            "until": self.row.valid_until,
            "courses": [
                {
                    "program": need.course.program.name,
                    "course": need.course.title,
                    "last_session_day": need.last_session_day,
                }
                for need in self.row.courses
            ],
            "peer_url": settings.SITE_URL
            + reverse("admin:volunteers_peer_change", args=[self.row.peer.pk]),
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        row = self.row
        return f"{self.kind}:{row.certificate.pk}:{row.valid_until}:{recipient.key}"


@dataclasses.dataclass(kw_only=True)
class CourseUnderstaffed(AboutCourse, CoordinatorNotice):
    """A course with a session within the warning window lacks a kind of facilitator
    (`courses_understaffed`, the rule the work queue shows too), told once per start."""

    kind = "course_understaffed"

    row: UnderstaffedCourse

    @property
    def course(self) -> Course:
        return self.row.course

    def context(self) -> dict[str, Any]:
        staffing = self.row.staffing
        return {
            "program": self.course.program.name,
            "course": self.course.title,
            "starts_at": self.row.starts_at,
            "next_at": self.row.next_at,
            "assigned": staffing.assigned,
            "required": staffing.required,
            "missing_peers": staffing.peers.missing,
            "missing_professionals": staffing.professionals.missing,
            "course_url": settings.SITE_URL + course_page_url(self.course.pk, "facilitators"),
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        return f"{self.kind}:{self.course.pk}:{self.row.starts_at:%Y%m%d}:{recipient.key}"


@dataclasses.dataclass(kw_only=True)
class ContactRequestNew(CoordinatorNotice):
    """A citizen asked to be contacted by a peer: what they wish for, without their name or
    contact details (those stay in the request)."""

    kind = "contact_request_new"

    contact_request: ContactRequest

    def organisation(self) -> Organisation:
        return self.contact_request.organisation

    def related(self) -> ContactRequest:
        return self.contact_request

    def context(self) -> dict[str, Any]:
        return {
            "organisation": self.contact_request.organisation.name,
            "wish": self.contact_request.wish,
            "url": settings.SITE_URL
            + reverse("admin:volunteers_contactrequest_change", args=[self.contact_request.pk]),
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        return f"{self.kind}:{self.contact_request.pk}:{recipient.key}"


@dataclasses.dataclass(kw_only=True)
class PeerApplicationNew(CoordinatorNotice):
    """Someone applied to be a volunteer peer: without their name or what they wrote (those
    stay in the application)."""

    kind = "peer_application_new"

    peer: Peer

    def organisation(self) -> Organisation:
        return self.peer.organisation

    def related(self) -> Peer:
        return self.peer

    def context(self) -> dict[str, Any]:
        return {
            "organisation": self.peer.organisation.name,
            "url": settings.SITE_URL + reverse("admin:volunteers_peer_change", args=[self.peer.pk]),
        }

    def dedupe_key(self, recipient: Recipient) -> str:
        return f"{self.kind}:{self.peer.pk}:{recipient.key}"
