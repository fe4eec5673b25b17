"""Facilitators as recipients of reminders and as names in the course manual."""

from collections import defaultdict

from peerprogram.notifications import Recipient
from volunteers.models import CourseFacilitator


def _recipient(peer) -> Recipient:
    return Recipient(
        key=f"peer:{peer.pk}",
        name=peer.name,
        email=peer.email,
        phone=peer.phone,
        sms_opt_in=peer.sms_opt_in,
    )


def session_facilitators(sessions):
    """The facilitators of each session's course, in one query however many sessions."""
    by_course = defaultdict(list)
    for assignment in CourseFacilitator.objects.filter(
        course_id__in={session.course_id for session in sessions}
    ).select_related("peer"):
        by_course[assignment.course_id].append(_recipient(assignment.peer))
    return {session.pk: by_course[session.course_id] for session in sessions}


def course_facilitators(course):
    return [
        {"name": assignment.peer.name, "role": assignment.peer.get_kind_display()}
        for assignment in course.facilitators.select_related("peer").order_by("peer__name")
    ]
