import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Course, Session
from peerprogram.permissions import may_see_certificate_outcome
from volunteers.facilitators import substitute_problems
from volunteers.models import ChildCertificate, CourseFacilitator, Peer, StatusChange
from volunteers.notices import facilitator_assigned_notify, facilitator_unassigned_notify
from volunteers.qualification import (
    ASSESSED_OUTCOMES,
    add_months,
    assignment_problems,
    certificate_problems,
)


@transaction.atomic
def facilitator_assign(
    *, course: Course, peer: Peer, substitute_for: Session | None = None
) -> CourseFacilitator:
    """Assign a facilitator to a course, if they qualify for it (volunteers.qualification),
    and tell them (volunteers.notices). A substitute for a session someone declined must also
    be free at its time (volunteers.facilitators); they are assigned to the course, the only
    assignment there is, and told they are on it from that session. Assigning someone who is
    already on the course changes nothing and tells nobody."""
    problems = assignment_problems(peer, course)
    if substitute_for is not None:
        if substitute_for.course_id != course.pk:
            raise ValidationError(_("Gangen hører ikke til forløbet."))
        problems += substitute_problems(peer, substitute_for)
    if problems:
        raise ValidationError(problems)
    assignment, created = CourseFacilitator.objects.get_or_create(course=course, peer=peer)
    if created:
        facilitator_assigned_notify(course=course, peer=peer, substitute_for=substitute_for)
    return assignment


@transaction.atomic
def facilitator_reassign(*, assignment: CourseFacilitator, peer: Peer) -> CourseFacilitator:
    """Put another facilitator in an assignment's place, if they qualify for the course; the
    one taken off and the one put on are both told."""
    assignment = CourseFacilitator.objects.select_for_update().get(pk=assignment.pk)
    if peer.pk == assignment.peer_id:
        return assignment
    if problems := assignment_problems(peer, assignment.course):
        raise ValidationError(problems)
    previous = assignment.peer
    assignment.peer = peer
    try:
        with transaction.atomic():
            assignment.save(update_fields=["peer"])
    except IntegrityError as error:
        raise ValidationError(
            [_("%(name)s er allerede facilitator på forløbet.") % {"name": peer.name}]
        ) from error
    facilitator_unassigned_notify(course=assignment.course, peer=previous)
    facilitator_assigned_notify(course=assignment.course, peer=peer)
    return assignment


@transaction.atomic
def facilitator_unassign(*, assignment: CourseFacilitator) -> None:
    """Take a facilitator off a course and tell them; their answers to its sessions stay as
    given."""
    course, peer = assignment.course, assignment.peer
    assignment.delete()
    facilitator_unassigned_notify(course=course, peer=peer)


@transaction.atomic
def peer_set_status(*, peer: Peer, status: str, user: User | None = None) -> Peer:
    """Change a peer's status and record who changed it when (retention counts from "stopped")."""
    if peer.status != status:
        StatusChange.objects.create(
            peer=peer,
            from_status=peer.status,
            to_status=status,
            changed_by=user,
            changed_at=timezone.now(),
        )
        peer.status = status
        peer.save(update_fields=["status"])
    return peer


@transaction.atomic
def child_certificate_record(
    *, certificate: ChildCertificate, user: User, today: datetime.date | None = None
) -> ChildCertificate:
    """Save a børneattest's dates and consent. A changed outcome is an assessment: only users
    with the permission make one, it is stamped with who and when, and an approval gets its
    renewal date from the setting unless one is given."""
    previous: str = ChildCertificate.Outcome.PENDING
    if certificate.pk is not None:
        previous = (
            ChildCertificate.objects.select_for_update()
            .values_list("outcome", flat=True)
            .get(pk=certificate.pk)
        )
    problems = certificate_problems(
        outcome=certificate.outcome,
        previous_outcome=previous,
        received_on=certificate.received_on,
        may_assess=may_see_certificate_outcome(user),
    )
    if problems:
        raise ValidationError(problems)
    if certificate.outcome != previous and certificate.outcome in ASSESSED_OUTCOMES:
        certificate.assessed_by = user
        certificate.assessed_on = today or timezone.localdate()
        if certificate.outcome == ChildCertificate.Outcome.APPROVED and not certificate.renew_by:
            certificate.renew_by = add_months(
                certificate.assessed_on, settings.CHILD_CERTIFICATE_RENEWAL_MONTHS
            )
    certificate.save()
    return certificate
