"""Attendance: who came to a session. One write path for the peer portal and the workspace.

The figures and the dropout rule (participants.figures) read these rows, so recording and
correcting both update the one row per session and registration.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Course, Session
from participants.models import Attendance, Registration


def attendance_registrations(session: Session) -> QuerySet[Registration]:
    """Whose attendance is recorded for a session: the accepted registrations of its course."""
    return Registration.objects.filter(
        course_id=session.course_id, status=Registration.Status.ACCEPTED
    )


@transaction.atomic
def attendance_record(*, session: Session, marks: dict[int, str], user: Any) -> int:
    """Store attendance for the session's accepted registrations, replacing what was recorded
    before; other ids, and statuses that are not Attendance's, are ignored. Returns how many
    marks were stored."""
    allowed = set(attendance_registrations(session).values_list("pk", flat=True))
    saved = 0
    for registration_id, status in marks.items():
        if registration_id in allowed and status in Attendance.Status.values:
            Attendance.objects.update_or_create(
                session=session,
                registration_id=registration_id,
                defaults={"status": status, "recorded_by": user},
            )
            saved += 1
    return saved


def attendance_correct(
    *,
    session: Session,
    marks: dict[int, str],
    user: Any,
    now: datetime.datetime | None = None,
) -> int:
    """A coordinator records or corrects attendance of a session that has been held: one that
    has started and is not cancelled. Anything else is refused (ValidationError) and nothing is
    stored."""
    now = now or timezone.now()
    if session.is_cancelled:
        raise ValidationError(_("Gangen er aflyst, så der er intet fremmøde at registrere."))
    if session.starts_at > now:
        raise ValidationError(
            _("Gangen er ikke begyndt endnu. Fremmøde kan registreres, når den er holdt.")
        )
    return attendance_record(session=session, marks=marks, user=user)


def held_sessions(*, course: Course, now: datetime.datetime | None = None) -> list[Session]:
    """The course's held sessions (started by `now`, not cancelled, as participants.figures
    counts them), each with `recorded`, how many attendance marks it has: one query."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(course=course, starts_at__lte=now)
        .exclude(status=Session.Status.CANCELLED)
        .annotate(recorded=Count("attendance"))
        .order_by("starts_at", "number")
    )
