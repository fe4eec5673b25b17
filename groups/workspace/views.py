"""The workspace's course list and course page."""

from django.shortcuts import render
from django.utils import timezone

from groups.models import Course
from peerprogram import hooks
from peerprogram.permissions import (
    Purpose,
    coordinated_organisation_ids,
    coordinator_page,
    get_object_for_user,
)

# Courses a coordinator works on; finished and cancelled ones are one click away.
WORKING_STATUSES = [Course.Status.DRAFT, *Course.ACTIVE]


@coordinator_page
def course_list(request):
    show_ended = request.GET.get("vis") == "alle"
    courses = (
        Course.objects.filter(
            program__organisation_id__in=coordinated_organisation_ids(request.user)
        )
        .select_related("program__organisation")
        .order_by("-first_date", "title", "pk")
    )
    if not show_ended:
        courses = courses.filter(status__in=WORKING_STATUSES)
    context = {"courses": courses, "show_ended": show_ended, "active_nav": "courses"}
    return render(request, "groups/workspace/course_list.html", context)


def course_for_page(request, pk) -> Course:
    """The course at `pk` if the user may coordinate it (404 outside their organisations)."""
    return get_object_for_user(
        Course.objects.select_related("program__organisation"),
        request.user,
        Purpose.COORDINATE,
        pk=pk,
    )


@coordinator_page
def course_detail(request, pk):
    """The course's cockpit: sessions here, the rest from the apps that own it."""
    course = course_for_page(request, pk)
    sessions = course.sessions.select_related("theme").order_by("starts_at", "number")
    sections = sorted(
        (
            section
            for answer in hooks.answers(hooks.course_sections, course=course, request=request)
            for section in answer
        ),
        key=lambda section: (section.order, section.key),
    )
    context = {
        "course": course,
        "sessions": sessions,
        "sections": sections,
        "now": timezone.now(),
        "active_nav": "courses",
    }
    return render(request, "groups/workspace/course.html", context)
