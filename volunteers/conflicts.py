"""When a course's facilitators are already booked elsewhere.

A facilitator is booked for every planned session of every course they are assigned to
(`CourseFacilitator`), cancelled courses aside. A session of their course cannot move onto a
time that overlaps one of those sessions of another course: they cannot be in two places at
once. (Overlaps within the same course are the course's own business; groups warns about two
sessions of a course on one day.)
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Course, Session
from peerprogram.dates import written
from volunteers.models import CourseFacilitator


def facilitator_booking_conflicts(
    *, session: Session, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> list[str]:
    """One Danish sentence per facilitator of `session`'s course and other course session
    they facilitate between `starts_at` and `ends_at`, in one query."""
    on_this_course = CourseFacilitator.objects.filter(course_id=session.course_id).values("peer_id")
    # One filter() call, so the session conditions and the values read the same joined rows.
    clashes = (
        CourseFacilitator.objects.filter(
            peer_id__in=on_this_course,
            course__sessions__status=Session.Status.PLANNED,
            course__sessions__starts_at__lt=ends_at,
            course__sessions__ends_at__gt=starts_at,
        )
        .exclude(course_id=session.course_id)
        .exclude(course__status=Course.Status.CANCELLED)
        .values(
            "peer__name",
            "course__title",
            "course__sessions__number",
            "course__sessions__starts_at",
            "course__sessions__ends_at",
        )
        .order_by("peer__name", "course__sessions__starts_at")
    )
    return [
        _(
            "%(name)s er allerede facilitator på %(course)s, gang %(number)s, "
            "%(when)s–%(end)s, som overlapper det nye tidspunkt."
        )
        % {
            "name": clash["peer__name"],
            "course": clash["course__title"],
            "number": clash["course__sessions__number"],
            "when": written(clash["course__sessions__starts_at"], "when_year"),
            "end": timezone.localtime(clash["course__sessions__ends_at"]).strftime("%H.%M"),
        }
        for clash in clashes
    ]
