"""Whether a course has the facilitators its programme requires, kind by kind.

A programme requires a number of volunteer peers and a number of professionals
(`Program.required_peers`, `Program.required_professionals`). A course's staffing is met when
each kind is met on its own: extra peers never make up for a missing professional. A
facilitator counts when assigned to the course with a working status
(`Peer.WORKING_STATUSES`); one on pause or stopped leaves a place to fill.

`course_staffing` is the one answer, used by the course admin's column, the understaffed
notice and the selector `courses_understaffed` for the workspace.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.models import Course
from volunteers.models import Peer


@dataclass(frozen=True)
class KindStaffing:
    """One kind of facilitator on a course: how many are required and assigned."""

    kind: Peer.Kind
    required: int
    assigned: int

    @property
    def missing(self) -> int:
        return max(self.required - self.assigned, 0)


@dataclass(frozen=True)
class Staffing:
    peers: KindStaffing
    professionals: KindStaffing

    @property
    def kinds(self) -> tuple[KindStaffing, KindStaffing]:
        return (self.professionals, self.peers)

    @property
    def is_met(self) -> bool:
        return all(kind.missing == 0 for kind in self.kinds)

    @property
    def assigned(self) -> int:
        return sum(kind.assigned for kind in self.kinds)

    @property
    def required(self) -> int:
        return sum(kind.required for kind in self.kinds)

    def missing_text(self) -> str:
        """E.g. "mangler 2 fagprofessionelle og 1 peer"; empty when the staffing is met."""
        parts = []
        if missing := self.professionals.missing:
            parts.append(
                ngettext("%(count)d fagprofessionel", "%(count)d fagprofessionelle", missing)
                % {"count": missing}
            )
        if missing := self.peers.missing:
            parts.append(
                ngettext("%(count)d peer", "%(count)d peers", missing) % {"count": missing}
            )
        if len(parts) == 2:
            return _("mangler %(first)s og %(second)s") % {"first": parts[0], "second": parts[1]}
        return _("mangler %(kinds)s") % {"kinds": parts[0]} if parts else ""


def _working_of(kind: Peer.Kind) -> Q:
    return Q(facilitators__peer__kind=kind, facilitators__peer__status__in=Peer.WORKING_STATUSES)


def with_staffing(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Count each course's working facilitators by kind, for `course_staffing` on a list."""
    return courses.annotate(
        staffed_peers=Count("facilitators", filter=_working_of(Peer.Kind.PEER), distinct=True),
        staffed_professionals=Count(
            "facilitators", filter=_working_of(Peer.Kind.PROFESSIONAL), distinct=True
        ),
    )


def course_staffing(course: Course) -> Staffing:
    """Required, assigned and missing facilitators of each kind on `course`.

    A course from `with_staffing` is answered from its counts; any other is counted here.
    """
    if not hasattr(course, "staffed_peers"):
        course = with_staffing(Course.objects.filter(pk=course.pk)).select_related("program").get()
    program = course.program
    return Staffing(
        peers=KindStaffing(Peer.Kind.PEER, program.required_peers, course.staffed_peers),
        professionals=KindStaffing(
            Peer.Kind.PROFESSIONAL, program.required_professionals, course.staffed_professionals
        ),
    )
