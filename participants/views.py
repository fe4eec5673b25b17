import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups import page_versions
from groups.models import Course, Program
from participants import selectors, services, status_links
from participants.eligibility import Outcome, course_rules, describe_rules, evaluate
from participants.forms import RegistrationForm, StatusLinkRequestForm, jsonable
from participants.models import Registration
from peerprogram import page_cache
from peerprogram.page_cache import Built
from peerprogram.permissions import Purpose, may_somewhere, public
from peerprogram.privacy.retention import policy_for
from peerprogram.public_forms import submission_digest, within_hourly_limit
from peerprogram.ratelimit import client_ip

logger = logging.getLogger(__name__)


# Courses on one page of the public list, so that it costs the same however many there are.
COURSES_PER_PAGE = 20
COURSE_FILTERS = ("program", "municipality", "audience")


@public
def course_list(request):
    return page_cache.page(
        request,
        versions=page_cache.organisation_versions(),
        build=lambda: _course_list(request),
        filters=(*COURSE_FILTERS, "side"),
    )


def _course_list(request) -> Built:
    programs, municipalities = selectors.filter_choices()
    chosen = {
        "program": request.GET.get("program", "")[:12],
        "municipality": request.GET.get("municipality", "")[:3],
        "audience": request.GET.get("audience", "")[:20],
    }
    program_id = chosen["program"] if chosen["program"].isdigit() else None
    courses = selectors.courses_taking_registrations(
        program=program_id,
        municipality=chosen["municipality"] or None,
        audience=chosen["audience"] if chosen["audience"] in Program.Audience.values else None,
    )
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("side"))
    filters = request.GET.copy()
    filters.pop("side", None)
    now = timezone.now()
    response = render(
        request,
        "participants/course_list.html",
        {
            "page": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number)),
            "courses": list(page),
            "page_query": filters.urlencode(),
            "programs": programs,
            "municipalities": municipalities,
            "audiences": Program.Audience.choices,
            "chosen": chosen,
            "filtered": any(chosen.values()),
        },
    )
    keep_until = page_versions.next_active_session_start(now=now) or now + page_cache.MAX_AGE
    return Built(response, keep_until)


def _course_or_404(pk):
    try:
        return selectors.public_course(pk)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


@public
def course_detail(request, pk):
    return page_cache.page(
        request,
        versions=page_versions.course_versions(pk),
        build=lambda: _course_detail(request, pk),
    )


def _course_detail(request, pk) -> Built:
    course = _course_or_404(pk)
    now = timezone.now()
    is_open = course.takes_registrations(now=now)
    response = render(
        request,
        "participants/course_detail.html",
        {
            "course": course,
            "organisation": course.program.organisation,
            "open": is_open,
            # Intake closed at a session's start (not a cancelled or a finished course).
            "intake_closed": (
                not is_open and Course.objects.filter(pk=course.pk).intake_closed(now=now).exists()
            ),
            "next_course": (
                None if is_open else selectors.next_course_taking_registrations(course=course)
            ),
            "rules": describe_rules(course.program.eligibility_rules, course=course),
            "now": now,
            "seats_left": max(course.capacity - course.seats_taken, 0),
        },
    )
    # A closed course's page points to the programme's next course, whose changes it does
    # not follow: rendered for each visit.
    keep_until = page_versions.next_session_start(course.sessions.all(), now=now)
    return Built(response, keep_until if is_open else None)


def _registered_by(request):
    return request.user if may_somewhere(request.user, Purpose.REFER) else None


@public
@never_cache
@require_http_methods(["GET", "POST"])
def register(request, pk):
    if request.method == "GET":
        return page_cache.page(
            request,
            versions=page_versions.course_versions(pk),
            build=lambda: _registration_form(request, pk),
        )
    return _register(request, pk)


def _registration_form(request, pk) -> Built:
    """The empty form (GET); kept for the next visitor until the course's next session."""
    course = _course_or_404(pk)
    context = _form_context(course)
    if not course.takes_registrations():
        return Built(_registration_closed(request, context), None)
    context["form"] = RegistrationForm(course=course, registered_by=_registered_by(request))
    response = render(request, "participants/register.html", context)
    return Built(
        response, page_versions.next_session_start(course.sessions.all(), now=timezone.now())
    )


def _form_context(course) -> dict:
    organisation = course.program.organisation
    return {
        "course": course,
        "organisation": organisation,
        # Read only when a page is shown, not for a registration that goes through.
        "policy": SimpleLazyObject(lambda: policy_for(organisation)),
    }


def _register(request, pk):
    """A registration sent (POST). The service checks intake under the course's lock; any
    other answer checks it first, so a course that has closed says so rather than what was
    wrong with the form."""
    try:
        course = selectors.course_to_register(pk)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    context = _form_context(course)
    response = _register_or_refuse(request, course, context)
    if response.status_code not in (302, 410) and not course.takes_registrations():
        return _registration_closed(request, context)
    return response


def _register_or_refuse(request, course, context):
    form = RegistrationForm(request.POST, course=course, registered_by=_registered_by(request))
    context["form"] = form

    # Every post counts against the sender's address; only a valid one against the course, so
    # junk from many addresses cannot shut the course for everyone else.
    if not within_hourly_limit(f"ip:{client_ip(request)}", settings.REGISTRATION_LIMIT_PER_IP_HOUR):
        return _rate_limited(request, context, "address")
    if not form.is_valid():
        return render(request, "participants/register.html", context, status=400)
    submission = _submission_digest(course, form)
    if _already_registered_here(request, course, submission):
        return redirect("participants:registered", pk=course.pk)
    if not within_hourly_limit(f"course:{course.pk}", settings.REGISTRATION_LIMIT_PER_COURSE_HOUR):
        return _rate_limited(request, context, "course")

    result = evaluate(
        course_rules(course.program.eligibility_rules, course=course),
        form.answers(),
        course_start=course.first_date,
    )
    if result.outcome == Outcome.NOT_ELIGIBLE:
        # Nothing about the person is stored; the answers stay in the form.
        context["not_eligible"] = result
        return render(request, "participants/register.html", context)

    request_data = form.registration_request()
    try:
        registration = services.registration_submit(
            course=course,
            request=request_data,
            needs_review=result.outcome == Outcome.NEEDS_CONVERSATION,
            eligibility=result.as_dict(),
        )
    except services.RegistrationClosed:
        return _registration_closed(request, context)
    request.session["registration_outcome"] = {
        "course": course.pk,
        "with_parent": bool(form.cleaned_data.get("parent_joins")),
        "registration": registration.pk,
        "submission": submission,
    }
    return redirect("participants:registered", pk=course.pk)


def _registration_closed(request, context):
    """Closed (410), with what to do instead: the programme's next open course, if any, and
    whom to ask."""
    context["next_course"] = selectors.next_course_taking_registrations(course=context["course"])
    return render(request, "participants/registration_closed.html", context, status=410)


def _rate_limited(request, context, which: str):
    """The form again, filled in, saying whose limit was reached ("address" or "course")."""
    context["rate_limited"] = which
    return render(request, "participants/register.html", context, status=429)


def _submission_digest(course, form: RegistrationForm) -> str:
    """A keyed hash of everything the form says, so the session holds no personal data."""
    return submission_digest(
        "participants.registration-submission", [course.pk, jsonable(form.cleaned_data)]
    )


def _already_registered_here(request, course, submission: str) -> bool:
    """A double click or a resent form from the same browser session gets the first
    registration's answer again. Only the session that made a registration can match it, so
    nobody learns anything about a registration they did not make."""
    outcome = request.session.get("registration_outcome") or {}
    return (
        outcome.get("course") == course.pk
        and outcome.get("submission") == submission
        and Registration.objects.filter(
            pk=outcome.get("registration"), status__in=Registration.LIVE
        ).exists()
    )


@public
def registered(request, pk):
    course = _course_or_404(pk)
    outcome = request.session.get("registration_outcome")
    if not outcome or outcome.get("course") != course.pk:
        return redirect("participants:course", pk=course.pk)
    registration = Registration.objects.filter(
        pk=outcome.get("registration"), course=course
    ).first()
    if registration is None:
        return redirect("participants:course", pk=course.pk)
    return render(
        request,
        "participants/registered.html",
        {
            "course": course,
            "organisation": course.program.organisation,
            "registration": registration,
            "with_parent": outcome.get("with_parent", False),
        },
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def status(request, token):
    state, registration = status_links.status_link_state(token=token)
    if registration is None:
        return render(
            request,
            "participants/status_unknown.html",
            {"link_form": StatusLinkRequestForm()},
            status=404,
        )
    if state == status_links.StatusLinkState.ENDED:
        # Also right after a withdrawal through this link: the message above says so.
        return render(
            request,
            "participants/status_ended.html",
            {"organisation": registration.course.program.organisation},
            status=410,
        )
    if request.method == "POST" and request.POST.get("withdraw") == "confirmed":
        services.registration_withdraw(registration=registration)
        messages.success(request, _("Du er nu frameldt. Tak fordi du gav besked."))
        return redirect(reverse("participants:status", kwargs={"token": token}))
    return render(
        request,
        "participants/status.html",
        {
            "registration": registration,
            "course": registration.course,
            "organisation": registration.course.program.organisation,
            "family": services.registration_family(registration),
            "can_withdraw": registration.status in Registration.LIVE,
            "confirm_withdraw": request.method == "POST",
            "link_form": StatusLinkRequestForm(),
        },
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def status_link_request(request):
    """Send me a new link. Whether the contact is known or not, the answer is the same
    redirect to the same page; only a known one gets a message (participants.status_links)."""
    form = StatusLinkRequestForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "GET":
        return render(request, "participants/status_link_request.html", context)
    if not within_hourly_limit(
        f"status-link:ip:{client_ip(request)}", settings.STATUS_LINK_LIMIT_PER_IP_HOUR
    ):
        return _link_request_limited(request, context)
    if not form.is_valid():
        return render(request, "participants/status_link_request.html", context, status=400)
    if not status_links.status_link_contact_allowed(contact=form.cleaned_data["contact"]):
        return _link_request_limited(request, context)
    status_links.status_links_renew(**form.lookup())
    return redirect("participants:status_link_sent")


def _link_request_limited(request, context):
    context["rate_limited"] = True
    return render(request, "participants/status_link_request.html", context, status=429)


@public
def status_link_sent(request):
    return render(request, "participants/status_link_sent.html")


CUSTODY_PAGES = {
    services.CustodyLink.OPEN: ("participants/custody_confirm.html", 200),
    services.CustodyLink.CONFIRMED: ("participants/custody_done.html", 200),
    services.CustodyLink.WAITING: ("participants/custody_done.html", 200),
    services.CustodyLink.ALREADY: ("participants/custody_done.html", 200),
    services.CustodyLink.EXPIRED: ("participants/custody_released.html", 410),
}


@public
@never_cache
@require_http_methods(["GET", "POST"])
def custody(request, pk, token):
    """A custody holder's one-time link: GET shows what they confirm, the button POSTs."""
    if request.method == "POST":
        state, confirmation = services.custody_confirm(registration_pk=pk, token=token)
    else:
        state, confirmation = services.custody_link_state(registration_pk=pk, token=token)
    if confirmation is None or state == services.CustodyLink.UNKNOWN:
        # Unknown, mistyped or another registration's link: the same page, nothing told.
        return render(request, "participants/status_unknown.html", status=404)
    registration = confirmation.registration
    template, status_code = CUSTODY_PAGES[state]
    return render(
        request,
        template,
        {
            "state": state,
            "registration": registration,
            "course": registration.course,
            "organisation": registration.course.program.organisation,
            "family": services.registration_family(registration),
        },
        status=status_code,
    )
