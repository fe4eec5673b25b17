from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from groups.models import Course
from volunteers.models import CourseFacilitator, Peer, StatusChange
from volunteers.qualification import assignment_problems


@transaction.atomic
def facilitator_assign(*, course: Course, peer: Peer) -> CourseFacilitator:
    problems = assignment_problems(peer, course)
    if problems:
        raise ValidationError(problems)
    assignment, _created = CourseFacilitator.objects.get_or_create(course=course, peer=peer)
    return assignment


@transaction.atomic
def peer_set_status(*, peer: Peer, status: str, user=None) -> Peer:
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
