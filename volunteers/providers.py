"""Facilitators as recipients of reminders and as names in the course manual."""

from collections import defaultdict

from volunteers.models import CourseFacilitator
from volunteers.notices import peer_recipient


def session_facilitators(sessions):
    """The facilitators of each session's course, in one query however many sessions."""
    by_course = defaultdict(list)
    for assignment in CourseFacilitator.objects.filter(
        course_id__in={session.course_id for session in sessions}
    ).select_related("peer"):
        by_course[assignment.course_id].append(peer_recipient(assignment.peer))
    return {session.pk: by_course[session.course_id] for session in sessions}


def course_facilitators(course):
    # An anonymised facilitator is left out of the manual rather than shown as "Anonymiseret".
    return [
        {"name": assignment.peer.name, "role": assignment.peer.get_kind_display()}
        for assignment in course.facilitators.filter(peer__anonymised_at__isnull=True)
        .select_related("peer")
        .order_by("peer__name")
    ]
