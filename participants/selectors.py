"""Reads for the public pages, and the lists coordinators work from."""

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Course, Program, Session
from participants.eligibility import age_on
from participants.models import Attendance, ContactLogEntry, Registration
from peerprogram.models import OutboxMessage
from peerprogram.municipalities import MUNICIPALITY_CHOICES


def _with_seats(courses: QuerySet[Course]) -> QuerySet[Course]:
    taken = (
        Registration.objects.holding_a_seat()
        .filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return courses.annotate(seats_taken=Coalesce(Subquery(taken), 0)).annotate(
        seats_left=F("capacity") - F("seats_taken")
    )


def courses_taking_registrations(
    *,
    program: int | str | None = None,
    municipality: str | None = None,
    audience: str | None = None,
) -> QuerySet[Course]:
    courses = _with_seats(
        Course.objects.taking_registrations().select_related("program__organisation")
    ).order_by("program__name", "first_date", "pk")
    if program:
        courses = courses.filter(program_id=program)
    if municipality:
        courses = courses.filter(municipality=municipality)
    if audience:
        courses = courses.filter(program__audience=audience)
    return courses


def filter_choices() -> tuple[QuerySet[Program], list[tuple[str, str]]]:
    """Programmes and municipalities (code, name) that have a course taking registrations
    now."""
    open_courses = Course.objects.taking_registrations()
    programs = Program.objects.filter(courses__in=open_courses).distinct().order_by("name")
    held_in = set(open_courses.values_list("municipality", flat=True))
    municipalities = [(code, name) for code, name in MUNICIPALITY_CHOICES if code in held_in]
    return programs, municipalities


def public_course(pk: int | str) -> Course:
    """A course citizens may look at (not drafts), with its sessions and free seats."""
    return (
        _with_seats(Course.objects.exclude(status=Course.Status.DRAFT).with_intake_deadline())
        .select_related("program__organisation")
        .prefetch_related(
            "program__organisation__help_contacts",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("theme").order_by("number"),
            ),
        )
        .get(pk=pk)
    )


def course_to_register(pk: int | str) -> Course:
    """A course citizens may look at, with its programme and organisation: what a
    registration needs (the public page's seats and sessions are read only when shown)."""
    return (
        Course.objects.exclude(status=Course.Status.DRAFT)
        .select_related("program__organisation")
        .get(pk=pk)
    )


def next_course_taking_registrations(*, course: Course) -> Course | None:
    """The programme's next other course that takes registrations now, earliest start first:
    where someone goes when this course's intake has closed."""
    return (
        Course.objects.filter(program_id=course.program_id)
        .exclude(pk=course.pk)
        .taking_registrations()
        .order_by("first_date", "pk")
        .first()
    )


# Other courses a refusal offers: a few to choose from, not a catalogue.
OTHER_COURSES_SHOWN = 3


def courses_fitting_instead(
    *, course: Course, birth_date: datetime.date, now: datetime.datetime | None = None
) -> list[Course]:
    """Other courses of `course`'s organisation that take registrations now and whose ages
    (the programme's, narrowed by the course's own) fit someone born on `birth_date` on the
    course's first day: what a refusal offers instead. Earliest start first, at most
    OTHER_COURSES_SHOWN."""
    candidates = (
        Course.objects.filter(program__organisation_id=course.program.organisation_id)
        .exclude(pk=course.pk)
        .taking_registrations(now=now)
        .select_related("program")
        .order_by("first_date", "pk")
    )
    fitting = []
    for candidate in candidates:
        age = age_on(birth_date, candidate.first_date)
        lows = [a for a in (candidate.program.min_age, candidate.min_age) if a is not None]
        highs = [a for a in (candidate.program.max_age, candidate.max_age) if a is not None]
        if all(age >= low for low in lows) and all(age <= high for high in highs):
            fitting.append(candidate)
        if len(fitting) == OTHER_COURSES_SHOWN:
            break
    return fitting


def registrations_awaiting_custody(*, organisation_ids: Iterable[int]) -> QuerySet[Registration]:
    """Children's registrations whose custody holders have not all confirmed yet, the seat held
    soonest to run out first: for a coordinator to call before the seat goes to the waitlist.
    A family's parent registration waits with its child and is not listed apart."""
    return (
        Registration.objects.filter(
            course__program__organisation_id__in=list(organisation_ids),
            status=Registration.Status.AWAITING_CUSTODY,
            registered_with__isnull=True,
        )
        .select_related("participant", "course__program")
        .order_by("hold_until", "pk")
    )


def course_registrations(
    *, course: Course, now: datetime.datetime | None = None
) -> QuerySet[Registration]:
    """Every registration of the course with its person and `attended` (present at how many
    held sessions: started by `now` and not cancelled, as participants.figures counts them),
    for the workspace's course page: accepted and waiting first, the waitlist in order."""
    now = now or timezone.now()
    present_at_held = Q(
        attendance__status=Attendance.Status.PRESENT,
        attendance__session__starts_at__lte=now,
    ) & ~Q(attendance__session__status=Session.Status.CANCELLED)
    return (
        Registration.objects.filter(course=course)
        .select_related("participant")
        .annotate(attended=Count("attendance", filter=present_at_held))
        .order_by("status", "waitlist_position", "created_at", "pk")
    )


def registrations_needing_conversation(
    *, organisation_ids: Iterable[int]
) -> QuerySet[Registration]:
    """Registrations waiting for a coordinator's conversation (an answer was "ved ikke" or
    missing), oldest first: they stay here until someone decides."""
    return Registration.objects.filter(
        course__program__organisation_id__in=list(organisation_ids),
        status=Registration.Status.NEEDS_REVIEW,
    ).order_by("created_at", "pk")


def registrants_unreachable(*, organisation_ids: Iterable[int]) -> QuerySet[Registration]:
    """Live registrations whose person no channel reaches: of the messages about the
    registration (peerprogram's outbox rows related to it, on whichever channels the person
    gave), at least one failed and none was sent, is on its way, or may have arrived
    (uncertain). Someone nobody has written to yet is not listed; a message that gets
    through later (sent again, or on the other channel) takes them off the list."""
    about = OutboxMessage.objects.filter(
        related_type=ContentType.objects.get_for_model(Registration), related_id=OuterRef("pk")
    )
    return (
        Registration.objects.filter(
            course__program__organisation_id__in=list(organisation_ids),
            status__in=Registration.LIVE,
        )
        .filter(Exists(about.filter(status=OutboxMessage.Status.FAILED)))
        .exclude(
            Exists(
                about.exclude(
                    status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.DISCARDED]
                )
            )
        )
        .order_by("created_at", "pk")
    )


def with_last_touch(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """`registrations` with what the workspace needs to say who touched each last: the
    person, the course, the decider and the contact log with its writers (two queries in all,
    however many rows)."""
    return registrations.select_related("participant", "course", "decided_by").prefetch_related(
        Prefetch(
            "contact_log",
            queryset=ContactLogEntry.objects.select_related("user").order_by("-created_at", "-pk"),
        )
    )
