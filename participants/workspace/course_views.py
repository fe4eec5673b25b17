"""The course page's actions on participants in the workspace: register a citizen who phoned
or walked in, record or correct attendance, message the course, print the roster and the
attendance sheet. Each view asks the policy about the course first (404 for another
organisation's) and changes state only through a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups.workspace.pages import course_for_coordinator, course_page_url, session_for_coordinator
from participants import attendance, course_messages, staff_registration
from participants.forms import jsonable
from participants.models import Registration
from participants.printables import attendance_sheet_response
from participants.services import RegistrationClosed
from participants.workspace.course_forms import (
    AttendanceForm,
    CourseMessageForm,
    StaffRegistrationForm,
)
from peerprogram.audit import trail
from peerprogram.permissions import coordinator_page
from peerprogram.public_forms import submission_digest


def _registered_message(registration: Registration) -> str:
    name = registration.participant.name
    Status = Registration.Status
    if registration.status == Status.AWAITING_CUSTODY:
        return _(
            "%(name)s har fået en plads, som holdes, til forældremyndigheden har bekræftet "
            "tilmeldingen via det link, de har fået tilsendt."
        ) % {"name": name}
    if registration.status == Status.WAITLISTED:
        return _("%(name)s er tilmeldt og står på venteliste som nr. %(position)s.") % {
            "name": name,
            "position": registration.waitlist_position,
        }
    if registration.status == Status.NEEDS_REVIEW:
        return _("%(name)s er tilmeldt. Tilmeldingen skal vurderes: et svar var »ved ikke«.") % {
            "name": name
        }
    return _("%(name)s er tilmeldt og har fået en plads.") % {"name": name}


STAFF_REGISTRATION_KEY = "staff_registration"


def _registered_here(request, submission: str) -> Registration | None:
    """The registration this browser session made from the very same form, while it lives:
    a keyed hash of the form is kept, so the session holds no personal data."""
    earlier = request.session.get(STAFF_REGISTRATION_KEY) or {}
    if earlier.get("submission") != submission:
        return None
    return (
        Registration.objects.select_related("participant")
        .filter(pk=earlier.get("registration"), status__in=Registration.LIVE)
        .first()
    )


@coordinator_page
@never_cache
@require_http_methods(["GET", "POST"])
def course_register(request, pk):
    """Register a citizen who phoned or walked in, by the public form's rules."""
    course = course_for_coordinator(request.user, pk)
    form = StaffRegistrationForm(
        request.POST if request.method == "POST" else None,
        course=course,
        registered_by=request.user,
    )
    context = {"course": course, "form": form, "active_nav": "courses"}
    if request.method == "GET":
        context["takes_registrations"] = course.takes_registrations()
        return render(request, "participants/workspace/staff_register.html", context)
    if form.is_valid():
        submission = submission_digest(
            "participants.staff-registration", [course.pk, jsonable(form.cleaned_data)]
        )
        earlier = _registered_here(request, submission)
        if earlier is not None:
            # A double click or a resent form: the first registration stands, nothing new.
            messages.info(request, _registered_message(earlier))
            return redirect("workspace:registration", pk=earlier.pk)
        try:
            registration = staff_registration.staff_registration_submit(
                course=course,
                request=form.registration_request(),
                answers=form.answers(),
                user=request.user,
            )
        except staff_registration.NotEligible as refused:
            context["not_eligible"] = refused.result
        except RegistrationClosed:
            form.add_error(None, _("Forløbet tager ikke imod tilmeldinger nu."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[STAFF_REGISTRATION_KEY] = {
                "submission": submission,
                "registration": registration.pk,
            }
            messages.success(request, _registered_message(registration))
            # On to the person's page: the contact log and the decision are there.
            return redirect("workspace:registration", pk=registration.pk)
    context["takes_registrations"] = course.takes_registrations()
    return render(request, "participants/workspace/staff_register.html", context, status=400)


@coordinator_page
@never_cache
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    """Record or correct who came to a session that has been held."""
    session = session_for_coordinator(request.user, pk)
    course = session.course
    form = AttendanceForm(request.POST if request.method == "POST" else None, session=session)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = attendance.attendance_correct(
                    session=session, marks=form.marks(), user=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, _("Fremmødet er gemt (%(count)d).") % {"count": saved})
                return redirect("workspace:session_attendance", pk=session.pk)
        else:
            status = 400
    held = not session.is_cancelled and session.starts_at <= timezone.now()
    if held:
        # The page names the course's participants: a view of the course, as the admin records.
        trail.record(user=request.user, action=trail.VIEW, obj=course, detail="fremmødeliste")
    context = {
        "course": course,
        "session": session,
        "form": form,
        "held": held,
        "active_nav": "courses",
    }
    return render(request, "participants/workspace/attendance_session.html", context, status=status)


@coordinator_page
@never_cache
@require_http_methods(["GET", "POST"])
def course_message(request, pk):
    """Write a message to the course, see exactly what goes out and to whom, then send."""
    course = course_for_coordinator(request.user, pk)
    context: dict = {
        "course": course,
        "starters": course_messages.STARTERS,
        "active_nav": "courses",
    }
    if request.method == "GET":
        starter = request.GET.get("skabelon", "")[:40]
        context["form"] = CourseMessageForm(
            initial={"to_participants": True, "body": course_messages.starter_body(starter)}
        )
        return render(request, "participants/workspace/message_compose.html", context)
    form = context["form"] = CourseMessageForm(request.POST)
    if form.is_valid() and "edit" not in request.POST:
        chosen = form.recipients_and_body()
        try:
            if "send" in request.POST:
                reached = course_messages.course_message_send(
                    course=course, user=request.user, **chosen
                )
            else:
                recipients, previews = course_messages.course_message_preview(
                    course=course, **chosen
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "send" in request.POST:
                messages.success(
                    request, _("Beskeden er sendt til %(count)d personer.") % {"count": reached}
                )
                return redirect(course_page_url(course.pk, "messages"))
            context.update(
                recipients=recipients,
                email=next((m for m in previews if m.channel == "email"), None),
                sms=next((m for m in previews if m.channel == "sms"), None),
                emails=sum(m.channel == "email" for m in previews),
                sms_count=sum(m.channel == "sms" for m in previews),
            )
            return render(request, "participants/workspace/message_preview.html", context)
    status = 400 if form.errors else 200
    return render(request, "participants/workspace/message_compose.html", context, status=status)


ROSTER_STATUSES = [*Registration.SEATED, Registration.Status.AWAITING_CUSTODY]


@coordinator_page
@never_cache
def course_roster(request, pk):
    """The roster to print: everyone with a seat on the course, with contact and status."""
    course = course_for_coordinator(request.user, pk)
    registrations = (
        Registration.objects.filter(course=course, status__in=ROSTER_STATUSES)
        .select_related("participant")
        .order_by("participant__name", "pk")
    )
    trail.record(user=request.user, action=trail.VIEW, obj=course, detail="deltagerliste")
    context = {
        "course": course,
        "registrations": registrations,
        "printed_at": timezone.now(),
        "active_nav": "courses",
    }
    return render(request, "participants/workspace/course_roster.html", context)


@coordinator_page
@never_cache
def course_attendance_sheet(request, pk):
    """The attendance sheet to print (participants.printables), as the admin gives it."""
    course = course_for_coordinator(request.user, pk)
    return attendance_sheet_response(course=course, user=request.user)
