"""What every app's workspace pages about a course share: the course or session at hand for
a coordinator (through the policy: 404 outside the user's organisations, 403 without the
role), and the address of the course page or one of its sections. participants and volunteers
call these for their actions on a course."""

from typing import Any

from django.urls import reverse

from groups.models import Course, Session
from peerprogram.permissions import Purpose, get_object_for_user


def course_for_coordinator(user: Any, pk: Any) -> Course:
    return get_object_for_user(
        Course.objects.select_related("program__organisation"), user, Purpose.COORDINATE, pk=pk
    )


def session_for_coordinator(user: Any, pk: Any) -> Session:
    return get_object_for_user(
        Session.objects.select_related("course__program__organisation", "theme"),
        user,
        Purpose.COORDINATE,
        pk=pk,
    )


def course_page_url(course_id: int, section: str = "") -> str:
    """The workspace's course page, at one of its sections (a `Section.key`) if given."""
    url = reverse("workspace:course", args=[course_id])
    return f"{url}#section-{section}" if section else url
