"""The workspace's course list and course page, and moving, cancelling and restoring one of
the course's sessions (checks and a preview of who is told before anything is saved)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import services
from groups.models import Course, Session
from groups.reminders import session_change_audience
from groups.workspace.forms import SessionCancelForm, SessionMoveForm, SessionRestoreForm
from groups.workspace.pages import course_for_coordinator, session_for_coordinator
from peerprogram import hooks
from peerprogram.dates import written
from peerprogram.permissions import (
    coordinated_organisation_ids,
    coordinator_page,
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


@coordinator_page
def course_detail(request, pk):
    """The course's cockpit: sessions here, the rest from the apps that own it."""
    course = course_for_coordinator(request.user, pk)
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


def _back_to_course(session: Session):
    return redirect(
        reverse("workspace:course", args=[session.course_id]) + f"#session-{session.pk}"
    )


def _told(count: int) -> str:
    return ngettext("%(count)d person får besked.", "%(count)d personer får besked.", count) % {
        "count": count
    }


def _session_page(request, session: Session, template: str, **context):
    return render(
        request,
        template,
        {
            "course": session.course,
            "session": session,
            "held": session.starts_at <= timezone.now(),
            "active_nav": "courses",
            **context,
        },
    )


@coordinator_page
def session_move(request, pk):
    """Check a new time for a session, preview who is told, then move it on a second submit
    that confirms exactly what the preview showed (warnings included)."""
    session = session_for_coordinator(request.user, pk)
    form = SessionMoveForm(request.POST if request.method == "POST" else None, session=session)
    preview = request.method == "POST" and form.is_valid()
    if preview and form.confirmed:
        audience = session_change_audience(session=session)
        try:
            services.session_move(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"] or None,
            )
        except ValidationError as refused:  # something changed since the preview
            form.add_error(None, refused)
            preview = False
        else:
            messages.success(
                request,
                " ".join(
                    [
                        _("Gang %(number)s er flyttet til %(when)s.")
                        % {"number": session.number, "when": written(session.starts_at, "when")},
                        _told(len(audience)),
                    ]
                ),
            )
            return _back_to_course(session)
    return _session_page(
        request,
        session,
        "groups/workspace/session_move.html",
        form=form,
        preview=preview,
        new_when=written(form.cleaned_data["starts_at"], "when_year") if preview else "",
        audience=session_change_audience(session=session) if preview else [],
    )


@coordinator_page
def session_cancel(request, pk):
    """Cancel a session with a reason (it goes into the notice), after a confirmation and
    with a preview of who is told."""
    session = session_for_coordinator(request.user, pk)
    form = SessionCancelForm(request.POST if request.method == "POST" else None, session=session)
    audience = session_change_audience(session=session)
    if request.method == "POST" and form.is_valid():
        services.session_cancel(session=session, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            " ".join(
                [_("Gang %(number)s er aflyst.") % {"number": session.number}, _told(len(audience))]
            ),
        )
        return _back_to_course(session)
    return _session_page(
        request, session, "groups/workspace/session_cancel.html", form=form, audience=audience
    )


@coordinator_page
def session_restore(request, pk):
    """Hold a cancelled session after all; those affected are told its time again."""
    session = session_for_coordinator(request.user, pk)
    form = SessionRestoreForm(request.POST if request.method == "POST" else None, session=session)
    if request.method == "POST" and form.is_valid():
        services.session_restore(session=session)
        messages.success(
            request,
            " ".join(
                [
                    _("Gang %(number)s er genoptaget.") % {"number": session.number},
                    _told(len(session_change_audience(session=session))),
                ]
            ),
        )
        return _back_to_course(session)
    return _session_page(
        request,
        session,
        "groups/workspace/session_restore.html",
        form=form,
        audience=session_change_audience(session=session),
    )
