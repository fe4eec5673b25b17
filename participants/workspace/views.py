"""The workspace's registration page: the person, their answers in plain Danish, the
contact log, and the decisions with a preview of the message the person gets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from groups.models import Course
from participants import contact_log, services
from participants.eligibility import age_on, answers_described
from participants.models import Registration
from participants.workspace.decisions import DECISIONS, available_decisions
from participants.workspace.registration_forms import ContactLogForm, DecisionForm
from peerprogram.audit import trail
from peerprogram.municipalities import is_municipality, municipality_name
from peerprogram.permissions import Purpose, coordinator_page, get_object_for_user
from peerprogram.workspace.queue import staff_name

OUTCOMES = {
    "eligible": gettext_lazy("Passer til målgruppen"),
    "needs_conversation": gettext_lazy("Skal tales med"),
    "not_eligible": gettext_lazy("Passer ikke til målgruppen"),
}


def registration_for_page(request, pk) -> Registration:
    """The registration at `pk` if the user may coordinate it (404 outside their
    organisations, 403 for another role)."""
    return get_object_for_user(
        Registration.objects.select_related(
            "participant", "course__program__organisation", "registered_by", "decided_by"
        ),
        request.user,
        Purpose.COORDINATE,
        pk=pk,
    )


def _viewed(request, registration: Registration) -> None:
    """The audit entries the admin writes when the registration and the person are opened."""
    trail.record(user=request.user, action=trail.VIEW, obj=registration)
    trail.record(user=request.user, action=trail.VIEW, obj=registration.participant)


@coordinator_page
@require_http_methods(["GET", "POST"])
def registration_detail(request, pk):
    """The registration page; a POST writes in its contact log."""
    registration = registration_for_page(request, pk)
    form = ContactLogForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_log.contact_log_add(
                registration=registration, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kontakten er skrevet i loggen."))
            return redirect("workspace:registration", pk=registration.pk)
    _viewed(request, registration)
    participant = registration.participant
    contact_entries = list(registration.contact_log.select_related("user"))
    for entry in contact_entries:
        entry.written_by = staff_name(entry.user)
    result = registration.eligibility_result or {}
    context = {
        "registration": registration,
        "participant": participant,
        "course": registration.course,
        "age": age_on(participant.birth_date, timezone.localdate()),
        "municipality": municipality_name(participant.municipality)
        if is_municipality(participant.municipality)
        else "",
        "answers": answers_described(registration.eligibility_answers or {}),
        "outcome": OUTCOMES.get(result.get("outcome", ""), ""),
        "reasons": result.get("reasons", []),
        "open_questions": result.get("open_questions", []),
        "family": [
            member
            for member in services.registration_family(registration)
            if member != registration
        ],
        "custody_confirmations": registration.custody_confirmations.order_by("holder"),
        "contact_log": contact_entries,
        "registered_by": staff_name(registration.registered_by)
        if registration.registered_by_id
        else _("borgeren selv"),
        "decided_by": staff_name(registration.decided_by),
        "contact_form": form,
        "decisions": available_decisions(registration),
        "active_nav": "courses",
    }
    return render(request, "participants/workspace/registration.html", context)


def _move_targets(request, registration: Registration) -> QuerySet[Course]:
    """The programme's other courses that take registrations now, in the organisations the
    user coordinates (the policy asked about the target's organisation, not only the
    registration's)."""
    return (
        Course.objects.for_user(request.user)
        .filter(program_id=registration.course.program_id)
        .exclude(pk=registration.course_id)
        .taking_registrations()
        .order_by("first_date", "title", "pk")
    )


@coordinator_page
@require_http_methods(["GET", "POST"])
def registration_decision(request, pk, decision):
    """A decision in three steps: the form (internal note, message to the citizen, for a
    move the course), the preview of exactly what the person gets, then "Send og gem". A
    decision that cannot take effect comes back with the reason, the form filled in."""
    if decision not in DECISIONS:
        raise Http404
    registration = registration_for_page(request, pk)
    status, title = DECISIONS[decision]
    courses = _move_targets(request, registration) if status is None else None
    step = request.POST.get("step", "") if request.method == "POST" else ""
    data = request.POST if step else None
    form = DecisionForm(data, courses=courses)
    previews = None
    if step in ("preview", "confirm") and form.is_valid():
        target = form.cleaned_data.get("course")
        try:
            if step == "confirm":
                _decide(request, registration, status, target, form.cleaned_data)
                messages.success(
                    request,
                    _("Beslutningen er gemt, og %(name)s får besked.")
                    % {"name": registration.participant.name},
                )
                return redirect("workspace:registration", pk=registration.pk)
            previews = services.registration_decision_preview(
                registration=registration,
                status=status or "",
                message=form.cleaned_data["message"],
                course=target,
            )
        except ValidationError as error:
            form.add_error(None, error)
    _viewed(request, registration)
    context = {
        "registration": registration,
        "course": registration.course,
        "decision": decision,
        "title": title,
        "form": form,
        "confirm_form": DecisionForm(request.POST, courses=courses, confirming=True)
        if previews is not None
        else None,
        "previews": previews,
        "active_nav": "courses",
    }
    return render(request, "participants/workspace/registration_decision.html", context)


def _decide(request, registration, status, target, data) -> None:
    if status is None:
        services.registration_move(
            registration=registration,
            course=target,
            user=request.user,
            note=data["note"],
            message=data["message"],
        )
    else:
        services.registration_decide(
            registration=registration,
            status=status,
            user=request.user,
            note=data["note"],
            message=data["message"],
        )
