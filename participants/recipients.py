"""Participants as recipients of session reminders and notices (registered in apps.py)."""

from collections import defaultdict

from participants.models import Registration
from participants.services import registration_recipient


def accepted_participants(sessions):
    """Everyone with a seat on the sessions' courses, in one query however many sessions."""
    registrations = Registration.objects.filter(
        course_id__in={session.course_id for session in sessions},
        status=Registration.Status.ACCEPTED,
    ).select_related("participant")
    by_course = defaultdict(list)
    for registration in registrations:
        by_course[registration.course_id].append(registration_recipient(registration))
    return {session.pk: by_course[session.course_id] for session in sessions}
