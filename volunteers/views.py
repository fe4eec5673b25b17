from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groups import manuals
from groups.models import RenderedDocument
from participants.models import Attendance
from peerprogram.audit import trail
from peerprogram.permissions import public, signed_in
from volunteers import portal
from volunteers.forms import ConcernForm
from volunteers.models import SessionResponse


@signed_in
def schedule(request):
    peer = portal.peer_for_user(request.user)
    upcoming, past = portal.schedule(peer)
    return render(
        request,
        "volunteers/schedule.html",
        {"peer": peer, "upcoming": upcoming, "past": past[:20], "organisation": peer.organisation},
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
        saved = portal.attendance_record(session=session, marks=marks, user=request.user)
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
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            portal.calendar_token_revoke(peer=peer)
            messages.success(request, _("Kalenderadressen virker ikke længere."))
            return redirect("volunteers:calendar")
        token = portal.calendar_token_renew(peer=peer)
        # Shown once, right now; only its hash is kept.
        feed_url = settings.SITE_URL + reverse("volunteers:feed", kwargs={"token": token})
        return render(
            request,
            "volunteers/calendar.html",
            {"peer": peer, "organisation": peer.organisation, "feed_url": feed_url},
        )
    return render(
        request,
        "volunteers/calendar.html",
        {"peer": peer, "organisation": peer.organisation, "feed_url": ""},
    )


@public
def feed(request, token):
    peer = portal.peer_for_calendar_token(token)
    return HttpResponse(
        portal.calendar_feed(peer, site_url=settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
