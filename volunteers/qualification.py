"""Who may facilitate: the rule coordinators rely on, in one place, for peers and
professionals alike.

- `may_facilitate`: may meet participants of an organisation at all — of the organisation,
  a working status (`Peer.WORKING_STATUSES`: trained or active; an applicant, someone in
  training, on pause or stopped may not) and the organisation's current confidentiality
  declaration signed. Contact requests, accompaniment and bridging ask this (`peer_problems`
  adds "gives accompaniment"), and lists use `Peer.objects.working()` for the status part.
- `assignment_problems`: may facilitate a given course — `may_facilitate`, and where the
  course involves children under 15 (groups.audience) and the facilitator is 15 or over, an
  approved børneattest valid today and up to the course's last planned session. The course
  admin, the assignment services, the portal (who sees participants), the session reminders
  (`qualified_assignments`) and the demo ask this.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.audience import course_involves_children_under
from groups.models import Course, Session
from peerprogram.privacy.retention import add_months
from volunteers.models import ChildCertificate, CourseFacilitator, Declaration, Peer

ASSESSED_OUTCOMES = (ChildCertificate.Outcome.APPROVED, ChildCertificate.Outcome.NOT_APPROVED)
# Facilitators from this age need a børneattest for children under 15 (the law's age, too).
CERTIFICATE_FROM_AGE = 15


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def current_declaration(organisation, *, today=None) -> Declaration | None:
    today = today or timezone.localdate()
    return (
        Declaration.objects.filter(organisation=organisation, published_on__lte=today)
        .order_by("-published_on", "-pk")
        .first()
    )


def has_signed(peer: Peer, declaration: Declaration | None) -> bool:
    # Reads the signatures as loaded, so a list that prefetched them asks no more queries.
    return declaration is not None and any(
        signature.declaration_id == declaration.pk for signature in peer.signatures.all()
    )


def _working_problems(peer: Peer, declaration: Declaration | None) -> list[str]:
    """The status and the declaration: the part of the rule every entry point shares."""
    problems = []
    if peer.status in (Peer.Status.PAUSED, Peer.Status.STOPPED):
        problems.append(
            _("%(name)s er ikke aktiv (status: %(status)s).")
            % {"name": peer.name, "status": peer.get_status_display().lower()}
        )
    elif peer.status not in Peer.WORKING_STATUSES:
        problems.append(
            _("%(name)s er ikke uddannet endnu (status: %(status)s).")
            % {"name": peer.name, "status": peer.get_status_display().lower()}
        )
    if declaration is None:
        problems.append(_("Organisationen har ingen tavshedserklæring endnu."))
    elif not has_signed(peer, declaration):
        problems.append(
            _("%(name)s har ikke underskrevet den gældende tavshedserklæring (%(version)s).")
            % {"name": peer.name, "version": declaration.version}
        )
    return problems


def may_facilitate(peer: Peer, *, organisation, today: datetime.date | None = None) -> list[str]:
    """Every reason, in plain Danish, why `peer` may not meet participants of
    `organisation`; empty if they may."""
    if peer.organisation_id != organisation.pk:
        return [_("%(name)s hører til en anden organisation.") % {"name": peer.name}]
    return _working_problems(peer, current_declaration(organisation, today=today))


def peer_problems(peer: Peer, organisation, *, accompanying: bool, today=None) -> list[str]:
    """Why `peer` may not meet a citizen of `organisation` one to one (a contact request,
    accompaniment, bridging): `may_facilitate`, and for accompaniment, giving it."""
    problems = may_facilitate(peer, organisation=organisation, today=today)
    if accompanying and not peer.accompanies and peer.organisation_id == organisation.pk:
        problems.insert(
            0,
            _("%(name)s giver ikke følgeskab. Sæt flueben i “giver følgeskab” hos peeren først.")
            % {"name": peer.name},
        )
    return problems


def needs_child_certificate(peer: Peer, course: Course, *, on: datetime.date) -> bool:
    """Whether `peer` needs a børneattest to facilitate `course` on the day `on`.

    Only where the course involves children under 15, and only from the facilitator's 15th
    year: with the birth year alone, someone who turns 15 during that year counts as 15, so
    nobody is let through on a birthday we do not know. No birth year: an adult.
    """
    if not course_involves_children_under(course, settings.CHILD_CERTIFICATE_UNDER_AGE):
        return False
    return peer.birth_year is None or on.year - peer.birth_year >= CERTIFICATE_FROM_AGE


def certificate_valid_until(certificate: ChildCertificate) -> datetime.date | None:
    if certificate.outcome != ChildCertificate.Outcome.APPROVED:
        return None
    if certificate.renew_by:
        return certificate.renew_by
    assessed = certificate.assessed_on or certificate.received_on or certificate.requested_on
    return add_months(assessed, settings.CHILD_CERTIFICATE_RENEWAL_MONTHS)


def latest_certificate(peer: Peer) -> ChildCertificate | None:
    """The peer's latest decided børneattest, approved or not: a newer "not approved"
    outweighs an older approval, and a renewal still under way does not hide the approval
    before it."""
    decided = [c for c in peer.certificates.all() if c.outcome in ASSESSED_OUTCOMES]
    return max(decided, key=lambda c: (c.assessed_on or c.requested_on, c.pk), default=None)


def certificate_problem(
    peer: Peer, *, today: datetime.date, last_session_day: datetime.date | None = None
) -> str | None:
    """Why the peer's børneattest does not cover today and the course up to its last planned
    session (`last_session_day`); None when it does."""
    if not peer.certificates.all():
        return _("%(name)s har ingen børneattest.") % {"name": peer.name}
    latest = latest_certificate(peer)
    valid_until = certificate_valid_until(latest) if latest else None
    if valid_until is None:
        return _("%(name)s har ingen godkendt børneattest.") % {"name": peer.name}
    if valid_until < today:
        return _("Børneattesten for %(name)s udløb %(date)s og skal fornyes.") % {
            "name": peer.name,
            "date": _day(valid_until),
        }
    if last_session_day is not None and valid_until < last_session_day:
        return _(
            "Børneattesten for %(name)s udløber %(until)s, før forløbets sidste gang "
            "%(last)s, og skal fornyes først."
        ) % {"name": peer.name, "until": _day(valid_until), "last": _day(last_session_day)}
    return None


def course_last_session_day(course: Course) -> datetime.date | None:
    """The day of the course's last session that is not cancelled; None before planning."""
    last = course.sessions.filter(status=Session.Status.PLANNED).aggregate(Max("starts_at"))
    return timezone.localdate(last["starts_at__max"]) if last["starts_at__max"] else None


def _course_problems(
    peer: Peer,
    course: Course,
    *,
    declaration: Declaration | None,
    last_session_day: datetime.date | None,
    today: datetime.date,
) -> list[str]:
    problems = []
    if peer.organisation_id != course.program.organisation_id:
        problems.append(
            _("%(name)s hører til en anden organisation end forløbet.") % {"name": peer.name}
        )
    problems += _working_problems(peer, declaration)
    needed_on = max(today, last_session_day or today)
    if needs_child_certificate(peer, course, on=needed_on) and (
        problem := certificate_problem(peer, today=today, last_session_day=last_session_day)
    ):
        problems.append(problem)
    return problems


def assignment_problems(
    peer: Peer, course: Course, *, today: datetime.date | None = None
) -> list[str]:
    """Every reason, in plain Danish, why `peer` may not facilitate `course`; empty if none."""
    today = today or timezone.localdate()
    return _course_problems(
        peer,
        course,
        declaration=current_declaration(course.program.organisation, today=today),
        last_session_day=course_last_session_day(course),
        today=today,
    )


def qualified_assignments(
    assignments: QuerySet[CourseFacilitator], *, today: datetime.date | None = None
) -> list[CourseFacilitator]:
    """The assignments whose facilitator may facilitate their course today, by the rule of
    `assignment_problems`, in a fixed number of queries however many there are."""
    today = today or timezone.localdate()
    rows = list(
        assignments.select_related("peer", "course__program")
        .prefetch_related("peer__signatures", "peer__certificates")
        .annotate(
            last_session=Max(
                "course__sessions__starts_at",
                filter=Q(course__sessions__status=Session.Status.PLANNED),
            )
        )
    )
    declarations = current_declarations(
        {row.course.program.organisation_id for row in rows}, today=today
    )
    return [
        row
        for row in rows
        if not _course_problems(
            row.peer,
            row.course,
            declaration=declarations.get(row.course.program.organisation_id),
            last_session_day=timezone.localdate(row.last_session) if row.last_session else None,
            today=today,
        )
    ]


def current_declarations(
    organisation_ids: Iterable[int], *, today: datetime.date
) -> dict[int, Declaration]:
    """The declaration in force for each organisation that has one (`current_declaration`)."""
    found: dict[int, Declaration] = {}
    for declaration in Declaration.objects.filter(
        organisation_id__in=list(organisation_ids), published_on__lte=today
    ).order_by("-published_on", "-pk"):
        found.setdefault(declaration.organisation_id, declaration)
    return found


def certificate_problems(
    *, outcome: str, previous_outcome: str, received_on: datetime.date | None, may_assess: bool
) -> dict[str, list[str]]:
    """Why a børneattest's outcome may not change this way, keyed by field; empty if it may.

    Only users with the permission to see outcomes assess; an attest is assessed once it has
    been received; and an assessed outcome is reduced to approved or not approved for good
    ("needs assessment" is criminal-offence data, GDPR art. 10).
    """
    if outcome == previous_outcome:
        return {}
    if not may_assess:
        return {"outcome": [_("Du har ikke adgang til at vurdere børneattester.")]}
    if outcome != ChildCertificate.Outcome.PENDING and received_on is None:
        return {"received_on": [_("Angiv hvornår børneattesten er modtaget, før den vurderes.")]}
    if previous_outcome in ASSESSED_OUTCOMES and outcome not in ASSESSED_OUTCOMES:
        return {
            "outcome": [_("En vurderet børneattest kan kun stå som godkendt eller ikke godkendt.")]
        }
    return {}


def assignment_problems_by_peer(
    peers: Iterable[Peer], course: Course, *, today: datetime.date | None = None
) -> dict[int, list[str]]:
    """`assignment_problems` for many people and one course, by peer id, in a fixed number
    of queries (give the peers with their signatures and certificates prefetched): the
    workspace's picker and its list of a course's facilitators."""
    today = today or timezone.localdate()
    declaration = current_declaration(course.program.organisation, today=today)
    last_session_day = course_last_session_day(course)
    return {
        peer.pk: _course_problems(
            peer,
            course,
            declaration=declaration,
            last_session_day=last_session_day,
            today=today,
        )
        for peer in peers
    }
