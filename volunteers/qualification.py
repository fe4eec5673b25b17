"""Who may facilitate a course: the rule coordinators rely on, in one place.

A facilitator may be assigned only when trained or active (volunteer peers), has signed the
organisation's current confidentiality declaration, and — where participants can be under 15 —
holds an approved børneattest that has not expired. Professionals follow the same declaration
and børneattest rules.

Who may meet a citizen one to one (accompaniment, a matched contact request, bridging):
`peer_problems`, called by volunteers/accompaniment.py and volunteers/bridging.py.
"""

import datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.models import Course, Program
from peerprogram.privacy.retention import add_months
from volunteers.models import ChildCertificate, Declaration, Peer

QUALIFIED_PEER_STATUSES = (Peer.Status.TRAINED, Peer.Status.ACTIVE)
ASSESSED_OUTCOMES = (ChildCertificate.Outcome.APPROVED, ChildCertificate.Outcome.NOT_APPROVED)


def current_declaration(organisation, *, today=None) -> Declaration | None:
    today = today or datetime.date.today()
    return (
        Declaration.objects.filter(organisation=organisation, published_on__lte=today)
        .order_by("-published_on", "-pk")
        .first()
    )


def has_signed(peer: Peer, declaration: Declaration | None) -> bool:
    return declaration is not None and peer.signatures.filter(declaration=declaration).exists()


def needs_child_certificate(program: Program) -> bool:
    if program.min_age is None:
        # No age given: a children's or youth programme may still have children under 15.
        return program.audience in (Program.Audience.CHILDREN_AND_YOUTH, Program.Audience.YOUTH)
    return program.min_age < settings.CHILD_CERTIFICATE_UNDER_AGE


def certificate_valid_until(certificate: ChildCertificate) -> datetime.date | None:
    if certificate.outcome != ChildCertificate.Outcome.APPROVED:
        return None
    if certificate.renew_by:
        return certificate.renew_by
    assessed = certificate.assessed_on or certificate.received_on or certificate.requested_on
    return add_months(assessed, settings.CHILD_CERTIFICATE_RENEWAL_MONTHS)


def certificate_problem(peer: Peer, today: datetime.date) -> str | None:
    certificates = list(peer.certificates.all())
    if not certificates:
        return _("%(name)s har ingen børneattest.") % {"name": peer.name}
    decided = [
        c
        for c in certificates
        if c.outcome in (ChildCertificate.Outcome.APPROVED, ChildCertificate.Outcome.NOT_APPROVED)
    ]
    # The latest decision counts: a newer "not approved" outweighs an older approval.
    latest = max(decided, key=lambda c: (c.assessed_on or c.requested_on, c.pk), default=None)
    if latest is None or latest.outcome != ChildCertificate.Outcome.APPROVED:
        return _("%(name)s har ingen godkendt børneattest.") % {"name": peer.name}
    valid_until = certificate_valid_until(latest)
    if valid_until < today:
        return _("Børneattesten for %(name)s udløb %(date)s og skal fornyes.") % {
            "name": peer.name,
            "date": date_format(valid_until, "SHORT_DATE_FORMAT"),
        }
    return None


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


def assignment_problems(peer: Peer, course: Course, *, today=None) -> list[str]:
    """Every reason, in plain Danish, why `peer` may not facilitate `course`; empty if none."""
    today = today or datetime.date.today()
    program = course.program
    problems = []
    if peer.organisation_id != program.organisation_id:
        problems.append(
            _("%(name)s hører til en anden organisation end forløbet.") % {"name": peer.name}
        )
    if peer.status in (Peer.Status.PAUSED, Peer.Status.STOPPED):
        problems.append(
            _("%(name)s er ikke aktiv (status: %(status)s).")
            % {"name": peer.name, "status": peer.get_status_display().lower()}
        )
    elif peer.kind == Peer.Kind.PEER and peer.status not in QUALIFIED_PEER_STATUSES:
        problems.append(
            _("%(name)s er ikke uddannet endnu (status: %(status)s).")
            % {"name": peer.name, "status": peer.get_status_display().lower()}
        )
    declaration = current_declaration(program.organisation, today=today)
    if declaration is None:
        problems.append(_("Organisationen har ingen tavshedserklæring endnu."))
    elif not has_signed(peer, declaration):
        problems.append(
            _("%(name)s har ikke underskrevet den gældende tavshedserklæring (%(version)s).")
            % {"name": peer.name, "version": declaration.version}
        )
    if needs_child_certificate(program) and (problem := certificate_problem(peer, today)):
        problems.append(problem)
    return problems


def peer_problems(peer: Peer, organisation, *, accompanying: bool, today=None) -> list[str]:
    """Why `peer` may not meet a citizen of `organisation` one to one; empty if they may."""
    if peer.organisation_id != organisation.pk:
        return [_("%(name)s hører til en anden organisation.") % {"name": peer.name}]
    problems = []
    if accompanying and not peer.accompanies:
        problems.append(
            _("%(name)s giver ikke følgeskab. Sæt flueben i “giver følgeskab” hos peeren først.")
            % {"name": peer.name}
        )
    if peer.status not in QUALIFIED_PEER_STATUSES:
        problems.append(
            _("%(name)s er ikke uddannet eller aktiv (status: %(status)s).")
            % {"name": peer.name, "status": peer.get_status_display().lower()}
        )
    declaration = current_declaration(organisation, today=today)
    if declaration is None:
        problems.append(_("Organisationen har ingen tavshedserklæring endnu."))
    elif not has_signed(peer, declaration):
        problems.append(
            _("%(name)s har ikke underskrevet den gældende tavshedserklæring (%(version)s).")
            % {"name": peer.name, "version": declaration.version}
        )
    return problems
