from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from groups import manuals
from groups.models import RenderedDocument
from participants import attendance
from participants.models import Attendance
from peerprogram.audit import trail
from peerprogram.models import Organisation
from peerprogram.permissions import public, signed_in
from peerprogram.privacy.retention import policy_for
from peerprogram.public_forms import (
    previous_submission,
    submission_digest,
    submission_remember,
    within_hourly_limit,
)
from peerprogram.ratelimit import client_ip
from volunteers import bridging, portal
from volunteers.forms import ConcernForm, ContactRequestForm, PeerApplicationForm
from volunteers.models import ContactRequest, Peer, SessionResponse


@signed_in
def schedule(request):
    peer = portal.peer_for_user(request.user)
    upcoming, past = portal.schedule(peer)
    return render(
        request,
        "volunteers/schedule.html",
        {
            "peer": peer,
            "next_session": next((s for s in upcoming if not s.is_cancelled), None),
            "courses": portal.schedule_by_course(upcoming),
            "past": past[:20],
            "organisation": peer.organisation,
        },
    )


@signed_in
def session_detail(request, pk):
    peer = portal.peer_for_user(request.user)
    session = portal.own_session(peer, pk)
    may_see = portal.may_see_participants(peer, session.course)
    if request.method == "POST" and "attendance" in request.POST:
        if not may_see:
            raise Http404
        marks = {
            int(key.removeprefix("attendance-")): value
            for key, value in request.POST.items()
            if key.startswith("attendance-") and key.removeprefix("attendance-").isdigit()
        }
        try:
            saved = attendance.attendance_correct(session=session, marks=marks, user=request.user)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, _("Fremmødet er gemt (%(count)d).") % {"count": saved})
        return redirect("volunteers:session", pk=session.pk)
    concern_form = None
    if portal.concerns_apply(session):
        concern_form = ConcernForm(request.POST if "concern" in request.POST else None)
        if concern_form.is_valid():
            portal.concern_record(peer=peer, session=session, **concern_form.cleaned_data)
            messages.success(
                request, _("Underretningen er registreret. Kun koordinatorerne kan se den.")
            )
            return redirect("volunteers:session", pk=session.pk)
    response = session.facilitator_responses.filter(peer=peer).first()
    if may_see:
        # The page names the course's participants: one view of its registrations.
        trail.record(
            user=request.user, action=trail.VIEW, obj=session.course, detail="fremmødeliste"
        )
    return render(
        request,
        "volunteers/session.html",
        {
            "peer": peer,
            "session": session,
            "organisation": peer.organisation,
            "may_see_participants": may_see,
            "rows": portal.attendance_rows(session) if may_see else [],
            "attendance_choices": Attendance.Status.choices,
            "response": response,
            "is_upcoming": session.ends_at > timezone.now(),
            "has_started": session.starts_at <= timezone.now() and not session.is_cancelled,
            "concern_form": concern_form,
            "co_facilitators": [
                a.peer for a in session.course.facilitators.all() if a.peer_id != peer.pk
            ],
        },
    )


@signed_in
@require_POST
def session_answer(request, pk):
    peer = portal.peer_for_user(request.user)
    session = portal.own_session(peer, pk)
    answer = request.POST.get("answer")
    if answer not in SessionResponse.Answer.values:
        raise Http404
    told = portal.session_answer(peer=peer, session=session, answer=answer)
    if answer != SessionResponse.Answer.DECLINED or told is None:
        messages.success(request, _("Tak for svaret."))
    elif told:
        messages.success(request, _("Tak. Koordinatoren har fået besked."))
    else:
        messages.warning(
            request,
            _(
                "Dit afbud er gemt, men vi kunne ikke give koordinatoren besked automatisk. "
                "Ring eller skriv til din koordinator, så gangen kan dækkes."
            ),
        )
    return redirect("volunteers:session", pk=session.pk)


@signed_in
def course_manual(request, pk):
    peer = portal.peer_for_user(request.user)
    assignment = peer.assignments.select_related("course__program__organisation").filter(
        course_id=pk
    )
    if not assignment.exists():
        raise Http404
    course = assignment.get().course
    pdf = manuals.document_pdf(RenderedDocument.Kind.COURSE_MANUAL, course)
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="manual-{pk}.pdf"'},
    )


@signed_in
@never_cache
def calendar(request):
    peer = portal.peer_for_user(request.user)
    feed_url = portal.calendar_feed_url(peer, site_url=settings.SITE_URL)
    confirm_error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        # Replacing or turning off a working address breaks the subscriptions that use it:
        # the peer confirms that first.
        has_address = bool(peer.calendar_token_hash)
        if has_address and action in ("renew", "revoke") and not request.POST.get("confirm"):
            confirm_error = _(
                "Sæt kryds i feltet for at bekræfte. Din nuværende adresse virker stadig."
            )
        elif action == "revoke":
            portal.calendar_token_revoke(peer=peer)
            messages.success(request, _("Kalenderadressen virker ikke længere."))
            return redirect("volunteers:calendar")
        elif action == "renew":
            portal.calendar_token_renew(peer=peer)
            messages.success(
                request, _("Din nye kalenderadresse er klar. Abonnér på den i din kalender.")
            )
            return redirect("volunteers:calendar")
    return render(
        request,
        "volunteers/calendar.html",
        {
            "peer": peer,
            "organisation": peer.organisation,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1] if feed_url else "",
            "confirm_error": confirm_error,
        },
        status=400 if confirm_error else 200,
    )


@public
def feed(request, token):
    peer = portal.peer_for_calendar_token(token)
    return HttpResponse(
        portal.calendar_feed(peer, site_url=settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


# Ud i Livet's way in: the public "Kontakt en peer" and "Bliv frivillig peer" forms. They share
# the registration form's protections (peerprogram.public_forms): a honeypot, an hourly limit
# per address on every post and per organisation on valid ones (so junk from many addresses
# cannot shut the form for everyone), and a double submit from the same browser session that
# gives the first answer again instead of a second row.


def _public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.prefetch_related("help_contacts"), slug=slug)


def _public_form(request, slug, *, form_class, template, namespace, sent, stored_exists, store):
    organisation = _public_organisation(slug)
    form = form_class(request.POST if request.method == "POST" else None, organisation=organisation)
    context = {"organisation": organisation, "form": form, "policy": policy_for(organisation)}

    def again(status: int, **extra):
        # The form as it was filled in: nothing is lost.
        return render(request, template, {**context, **extra}, status=status)

    if request.method == "GET":
        return again(200)
    if not within_hourly_limit(f"ip:{client_ip(request)}", settings.REGISTRATION_LIMIT_PER_IP_HOUR):
        return again(429, rate_limited=True)
    if not form.is_valid():
        return again(400)
    digest = submission_digest(namespace, [organisation.pk, form.cleaned_data])
    earlier = previous_submission(request, namespace, digest)
    if earlier is not None and stored_exists(earlier):
        return redirect(sent, slug=organisation.slug)
    if not within_hourly_limit(
        f"public-forms:{organisation.pk}", settings.PUBLIC_FORM_LIMIT_PER_ORGANISATION_HOUR
    ):
        return again(429, rate_limited=True)
    try:
        stored = store(organisation, form.cleaned_data)
    except ValidationError as refused:
        for field, problems in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return again(400)
    submission_remember(request, namespace, digest, stored.pk)
    return redirect(sent, slug=organisation.slug)


def _sent_page(request, slug, *, namespace, form_url, template):
    organisation = _public_organisation(slug)
    if not request.session.get(namespace):
        return redirect(form_url, slug=organisation.slug)
    return render(request, template, {"organisation": organisation})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def contact_request(request, slug):
    return _public_form(
        request,
        slug,
        form_class=ContactRequestForm,
        template="volunteers/contact_request.html",
        namespace="volunteers.contact-request",
        sent="volunteers:contact_request_sent",
        stored_exists=lambda pk: ContactRequest.objects.filter(pk=pk).exists(),
        store=lambda organisation, data: bridging.contact_request_submit(
            organisation=organisation,
            first_name=data["first_name"],
            phone=data["phone"],
            email=data["email"],
            wish=data["wish"],
        ),
    )


@public
def contact_request_sent(request, slug):
    return _sent_page(
        request,
        slug,
        namespace="volunteers.contact-request",
        form_url="volunteers:contact_request",
        template="volunteers/contact_request_sent.html",
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def peer_application(request, slug):
    return _public_form(
        request,
        slug,
        form_class=PeerApplicationForm,
        template="volunteers/peer_application.html",
        namespace="volunteers.peer-application",
        sent="volunteers:peer_application_sent",
        stored_exists=lambda pk: Peer.objects.filter(pk=pk, anonymised_at__isnull=True).exists(),
        store=lambda organisation, data: bridging.peer_application_submit(
            organisation=organisation,
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            lived_experience=data["lived_experience"],
            availability=data["availability"],
            health_data_consent=data["health_data_consent"],
        ),
    )


@public
def peer_application_sent(request, slug):
    return _sent_page(
        request,
        slug,
        namespace="volunteers.peer-application",
        form_url="volunteers:peer_application",
        template="volunteers/peer_application_sent.html",
    )
