"""The workspace's pages about facilitators: the picker for a course, taking someone off,
and finding a substitute for a session someone declined. Each asks the policy about the
object at hand and changes state only through volunteers.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from groups.models import Course, Session
from groups.workspace.pages import course_for_coordinator, course_page_url, session_for_coordinator
from peerprogram.permissions import Purpose, coordinator_page, get_object_for_user
from volunteers import facilitators, services
from volunteers.models import CourseFacilitator, Peer
from volunteers.notices import peer_reachable
from volunteers.staffing import course_staffing
from volunteers.workspace.forms import FacilitatorPickForm, UnassignForm


def _told(peer: Peer, done: str) -> str:
    if peer_reachable(peer):
        return _("%(done)s %(name)s får besked.") % {"done": done, "name": peer.name}
    return _("%(done)s %(name)s kan ikke få besked: ingen e-mail eller SMS.") % {
        "done": done,
        "name": peer.name,
    }


def _assign(request, form, *, course: Course, substitute_for: Session | None = None) -> bool:
    """Assign the picked person through the service; its refusal goes on the form."""
    if not form.is_valid():
        return False
    peer = form.cleaned_data["peer"]
    try:
        services.facilitator_assign(course=course, peer=peer, substitute_for=substitute_for)
    except ValidationError as refused:
        form.add_error("peer", refused)
        return False
    if substitute_for is None:
        done = _("%(name)s er sat på forløbet.") % {"name": peer.name}
    else:
        done = _("%(name)s er sat på forløbet som afløser fra %(when)s.") % {
            "name": peer.name,
            "when": date_format(localtime(substitute_for.starts_at), "SHORT_DATETIME_FORMAT"),
        }
    messages.success(request, _told(peer, done))
    return True


@coordinator_page
def facilitator_assign(request, pk):
    """Everyone in the organisation's pool with whether they may facilitate the course and
    why not; POST assigns one (from here or the picker on the course page)."""
    course = course_for_coordinator(request.user, pk)
    candidates = facilitators.facilitator_candidates(course)
    form = FacilitatorPickForm(
        request.POST if request.method == "POST" else None, course=course, candidates=candidates
    )
    if request.method == "POST" and _assign(request, form, course=course):
        return redirect(course_page_url(course.pk, "facilitators"))
    context = {
        "course": course,
        "candidates": candidates,
        "staffing": course_staffing(course),
        "form": form,
        "active_nav": "courses",
    }
    return render(request, "volunteers/workspace/facilitator_assign.html", context)


@coordinator_page
def facilitator_unassign(request, pk):
    """Take a facilitator off a course, once confirmed; they are told."""
    assignment = get_object_for_user(
        CourseFacilitator.objects.select_related("peer", "course__program__organisation"),
        request.user,
        Purpose.COORDINATE,
        pk=pk,
    )
    course, peer = assignment.course, assignment.peer
    form = UnassignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.facilitator_unassign(assignment=assignment)
        done = _("%(name)s er taget af forløbet.") % {"name": peer.name}
        messages.success(request, _told(peer, done))
        return redirect(course_page_url(course.pk, "facilitators"))
    context = {"assignment": assignment, "course": course, "form": form, "active_nav": "courses"}
    return render(request, "volunteers/workspace/facilitator_unassign.html", context)


@coordinator_page
def substitute(request, pk):
    """Who may stand in for a session: qualified for the course and free at its time, each
    other person with the reason; POST assigns one to the course (who is told)."""
    session = session_for_coordinator(request.user, pk)
    course = session.course
    candidates = facilitators.substitute_candidates(session)
    form = FacilitatorPickForm(
        request.POST if request.method == "POST" else None, course=course, candidates=candidates
    )
    if request.method == "POST" and _assign(request, form, course=course, substitute_for=session):
        return redirect(course_page_url(course.pk, "facilitators"))
    context = {
        "session": session,
        "course": course,
        "decliners": facilitators.session_decliners(session),
        "closed": facilitators.session_problems(session),
        "candidates": candidates,
        "form": form,
        "active_nav": "courses",
    }
    return render(request, "volunteers/workspace/substitute.html", context)
