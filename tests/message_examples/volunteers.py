"""Examples of the volunteers app's kinds: what facilitators and coordinators are told."""

import datetime
from zoneinfo import ZoneInfo

from tests.factories import CoordinatorFactory, ParticipantFactory, SessionFactory, UserFactory
from tests.message_examples import example
from tests.message_examples.common import LONG_COURSE, LONG_PLACE, long_course
from tests.volunteers.factories import ChildCertificateFactory, DeclarationFactory, PeerFactory
from volunteers import message_kinds
from volunteers.models import Accompaniment, ContactRequest, Peer
from volunteers.selectors import CertificateRunningOut, CourseNeed, UnderstaffedCourse
from volunteers.staffing import KindStaffing, Staffing

LONG_PEER = "Karen Margrethe Østergaard-Christensen"
LONG_CITIZEN = "Anne-Sofie Lykke Østergaard Jensen"
# A long weekday and month, far enough ahead to be a course's next session.
LONG_WHEN = datetime.datetime(2031, 9, 24, 17, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))


def _course(**kwargs):
    """long_course() with a title as long, without its Danish weekday ("torsdage"), which
    the English date check would take for a date the template wrote."""
    course = long_course(**kwargs)
    course.title = LONG_COURSE.replace("torsdage", "hver uge")
    course.save(update_fields=["title"])
    return course


def _peer(course, **kwargs) -> Peer:
    kwargs.setdefault("name", LONG_PEER)
    return PeerFactory(
        organisation=course.program.organisation,
        phone="+4520304050",
        sms_opt_in=True,
        **kwargs,
    )


def _session(course):
    return SessionFactory(course=course, number=10, starts_at=LONG_WHEN, place=LONG_PLACE)


def _with_coordinator(course):
    CoordinatorFactory(
        email="koordinator@lejre.eksempel.dk", organisations=[course.program.organisation]
    )
    return course


def accompaniment(*, for_peer: bool) -> message_kinds.AccompanimentEnding:
    course = _course()
    program = course.program
    program.offers_accompaniment = True
    program.save(update_fields=["offers_accompaniment"])
    organisation = program.organisation
    return message_kinds.AccompanimentEnding(
        accompaniment=Accompaniment.objects.create(
            peer=_peer(course, accompanies=True),
            participant=ParticipantFactory(
                organisation=organisation,
                name=LONG_CITIZEN,
                phone="+4530405060",
                sms_opt_in=True,
            ),
            program=program,
            starts_on=datetime.date(2031, 3, 24),
            planned_end_on=LONG_WHEN.date(),
        ),
        for_peer=for_peer,
    )


@example("facilitator_assigned")
def facilitator_assigned():
    course = _course()
    _session(course)
    return message_kinds.FacilitatorAssigned(course=course, peer=_peer(course))


@example("facilitator_unassigned")
def facilitator_unassigned():
    course = _course()
    return message_kinds.FacilitatorUnassigned(course=course, peer=_peer(course))


@example("peer_invitation")
def peer_invitation():
    course = _course()
    peer = _peer(course, user=UserFactory(username="karen.margrethe.oestergaard.christensen"))
    return message_kinds.PeerInvitation(peer=peer)


@example("declaration_new")
def declaration_new():
    course = _course()
    organisation = course.program.organisation
    _peer(course)
    return message_kinds.DeclarationNew(
        declaration=DeclarationFactory(organisation=organisation, version="2031-september")
    )


@example("accompaniment_ending")
def accompaniment_ending():
    return accompaniment(for_peer=True)


@example("session_declined")
def session_declined():
    course = _with_coordinator(_course())
    return message_kinds.SessionDeclined(session=_session(course), peer=_peer(course))


@example("certificate_due")
def certificate_due():
    course = _with_coordinator(_course())
    peer = _peer(course)
    certificate = ChildCertificateFactory(peer=peer, renew_by=LONG_WHEN.date())
    return message_kinds.CertificateDue(
        row=CertificateRunningOut(
            peer=peer,
            certificate=certificate,
            valid_until=LONG_WHEN.date(),
            courses=[CourseNeed(course=course, last_session_day=datetime.date(2031, 12, 17))],
        )
    )


@example("course_understaffed")
def course_understaffed():
    course = _with_coordinator(_course())
    return message_kinds.CourseUnderstaffed(
        row=UnderstaffedCourse(
            course=course,
            staffing=Staffing(
                peers=KindStaffing(kind=Peer.Kind.PEER, required=2, assigned=1),
                professionals=KindStaffing(kind=Peer.Kind.PROFESSIONAL, required=1, assigned=0),
            ),
            starts_at=LONG_WHEN,
            next_at=LONG_WHEN,
        )
    )


@example("contact_request_new")
def contact_request_new():
    course = _with_coordinator(_course())
    return message_kinds.ContactRequestNew(
        contact_request=ContactRequest.objects.create(
            organisation=course.program.organisation,
            first_name="Anne-Sofie",
            phone="+4530405060",
            wish=ContactRequest.Wish.ACTIVITY,
        )
    )


@example("peer_application_new")
def peer_application_new():
    course = _with_coordinator(_course())
    return message_kinds.PeerApplicationNew(peer=_peer(course, status=Peer.Status.APPLICANT))
