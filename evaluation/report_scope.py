"""What a report shows its reader: the courses it draws on and whether figures derived from
attendance appear.

Every report page, PDF and CSV (evaluation.admin.ReportAdmin) asks `report_scope` once and
hands the answer to the reports (evaluation.reports) and the programme figures
(participants.figures), so totals are computed from the courses shown and nothing else.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from groups.models import Course, Program
from peerprogram.permissions import Purpose, may, report_course_filter


def shows_attendance(user: Any, program: Program) -> bool:
    """Attendance, and every figure derived from it (attendance rate, dropout, completion),
    is shown to the programme's own coordinators, and to partners only where the programme
    shares attendance ("Vi rapporterer ikke tilbage vedr. fremmøde" otherwise).

    Asked of the programme's own organisation: a coordinator elsewhere who partners with this
    one is a partner here.
    """
    return may(user, Purpose.COORDINATE, program.organisation_id) or bool(
        program.share_attendance_with_partners
    )


@dataclass(frozen=True)
class ReportScope:
    #: A filter on Course (None: every course of the programme).
    course_filter: Q | None
    shows_attendance: bool

    def courses(self, program: Program) -> QuerySet[Course]:
        courses = Course.objects.filter(program=program)
        return courses if self.course_filter is None else courses.filter(self.course_filter)

    def includes(self, course: Course) -> bool:
        return (
            self.course_filter is None or self.courses(course.program).filter(pk=course.pk).exists()
        )


def report_scope(user: Any, program: Program) -> ReportScope:
    return ReportScope(
        course_filter=report_course_filter(user, program.organisation_id),
        shows_attendance=shows_attendance(user, program),
    )
