"""The attendance sheet: it lists participants, so it lives here, drawn with groups' PDF helper.
Rendered on request and never stored, because it names people."""

from django.http import HttpResponse
from django.utils.timezone import localtime

from groups.models import Course, Session
from participants.models import Registration
from peerprogram.audit import trail
from peerprogram.printing import render_pdf


def attendance_sheet_pdf(course: Course) -> bytes:
    first_names = sorted(
        registration.participant.name.split()[0]
        for registration in course.registrations.filter(
            status=Registration.Status.ACCEPTED
        ).select_related("participant")
    )
    sessions = [
        {"number": session.number, "date_short": localtime(session.starts_at).strftime("%d.%m.")}
        for session in course.sessions.filter(status=Session.Status.PLANNED).order_by("number")
    ]
    pdf, _pages = render_pdf(
        "pdf/attendance_sheet.html",
        {
            "course": course,
            "program": course.program,
            "organisation": course.program.organisation,
            "sessions": sessions,
            "rows": first_names,
        },
    )
    return pdf


def attendance_sheet_response(*, course: Course, user) -> HttpResponse:
    """The attendance sheet to print, for the admin and the workspace alike. It names every
    participant, so handing it out is recorded as one view of the course's attendance list."""
    trail.record(user=user, action=trail.VIEW, obj=course, detail="fremmødeliste")
    return HttpResponse(
        attendance_sheet_pdf(course),
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="fremmoede-{course.pk}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
