"""The facilitator side of the work queue on "I dag" (answered in volunteers.receivers).

Each item reads the selector the matching e-mail to coordinators reads (volunteers.notices,
volunteers.portal, volunteers.bridging), so a coordinator without an e-mail address sees the
same cases here. Each counts and lists in a constant number of queries.
"""

import datetime
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.workspace.pages import course_page_url
from peerprogram import hooks
from peerprogram.audit.models import AuditEntry
from peerprogram.workspace.queue import staff_name
from volunteers import selectors
from volunteers.accompaniment import ENDING_NOTICE_DAYS, accompaniments_ending
from volunteers.models import Accompaniment, ChildCertificate, ContactRequest, Peer
from volunteers.notices import CERTIFICATE_WARNING_DAYS


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _last_touches(
    model: type[Model], pks: Sequence[int]
) -> dict[int, tuple[str, datetime.datetime]]:
    """Who last created or changed each object, and when, from the audit trail: one query
    for the objects shown. Objects nobody signed in has touched are left out."""
    content_type = ContentType.objects.get_for_model(model)
    changes = AuditEntry.objects.filter(
        content_type=content_type,
        action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
        actor__isnull=False,
    )
    latest = changes.filter(object_id=OuterRef("object_id")).order_by("-timestamp", "-pk")
    entries = changes.filter(
        object_id__in=list(pks), pk=Subquery(latest.values("pk")[:1])
    ).select_related("actor")
    return {
        entry.object_id: (
            staff_name(entry.actor),
            entry.timestamp,
        )
        for entry in entries
    }


def session_declines(*, organisation_ids: list[int], now: datetime.datetime) -> hooks.WorkItem:
    """Facilitators who declined a session ahead (coordinators are e-mailed "session_declined")."""
    declines = selectors.session_declines_open(organisation_ids=organisation_ids, now=now)
    rows = [
        hooks.WorkRow(
            text=_("%(name)s kan ikke %(when)s")
            % {"name": decline.peer.name, "when": _when(decline.session.starts_at)},
            url=course_page_url(decline.session.course_id, "facilitators"),
            detail=_("%(program)s, %(course)s, gang %(number)s")
            % {
                "program": decline.session.course.program.name,
                "course": decline.session.course.title,
                "number": decline.session.number,
            },
            touched_by=decline.peer.name,
            touched_at=decline.answered_at,
        )
        for decline in declines[: hooks.WORK_ROWS_SHOWN]
    ]
    return hooks.WorkItem(
        key="session_declines",
        title=_("Afbud fra facilitatorer"),
        count=declines.count(),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når en afløser af samme slags er sat på forløbet, facilitatoren "
            "svarer “Kommer” eller tages af forløbet, eller gangen er holdt eller aflyst."
        ),
        order=20,
    )


def session_answers_missing(
    *, organisation_ids: list[int], now: datetime.datetime
) -> hooks.WorkItem:
    """Facilitators who have not answered a session that starts within 72 hours."""
    missing = selectors.session_answers_missing(organisation_ids=organisation_ids, now=now)
    rows = [
        hooks.WorkRow(
            text=_("%(name)s har ikke svaret på %(when)s")
            % {"name": row.peer.name, "when": _when(row.session.starts_at)},
            url=course_page_url(row.session.course_id, "facilitators"),
            detail=_("%(program)s, %(course)s, gang %(number)s")
            % {
                "program": row.session.course.program.name,
                "course": row.session.course.title,
                "number": row.session.number,
            },
        )
        for row in missing[: hooks.WORK_ROWS_SHOWN]
    ]
    return hooks.WorkItem(
        key="session_answers_missing",
        title=_("Facilitatorer der ikke har svaret (gange inden for %(hours)s timer)")
        % {"hours": selectors.ANSWER_MISSING_HOURS},
        count=len(missing),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når facilitatoren har svaret i portalen, er taget af forløbet, eller "
            "gangen er begyndt eller aflyst."
        ),
        order=25,
    )


def courses_understaffed(*, organisation_ids: list[int], now: datetime.datetime) -> hooks.WorkItem:
    """Courses short of a kind of facilitator within the warning window of the e-mail
    "course_understaffed" (the same selector)."""
    found = selectors.courses_understaffed(organisation_ids=organisation_ids, now=now)
    rows = [
        hooks.WorkRow(
            text=_("%(program)s, %(course)s: %(missing)s")
            % {
                "program": row.course.program.name,
                "course": row.course.title,
                "missing": row.staffing.missing_text(),
            },
            url=course_page_url(row.course.pk, "facilitators"),
            detail=_("%(when)s · %(assigned)s af %(required)s tildelt")
            % {
                "when": (
                    _("Første gang %(when)s") % {"when": _when(row.starts_at)}
                    if row.starts_at == row.next_at
                    else _("I gang, næste gang %(when)s") % {"when": _when(row.next_at)}
                ),
                "assigned": row.staffing.assigned,
                "required": row.staffing.required,
            },
        )
        for row in found[: hooks.WORK_ROWS_SHOWN]
    ]
    return hooks.WorkItem(
        key="courses_understaffed",
        title=_("Forløb der mangler facilitatorer (gange inden for %(days)s dage)")
        % {"days": selectors.UNDERSTAFFED_WARNING_DAYS},
        count=len(found),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når hver slags facilitator er dækket: ekstra peers dækker ikke en "
            "manglende fagprofessionel."
        ),
        order=30,
    )


def certificates_running_out(
    *, organisation_ids: list[int], today: datetime.date
) -> hooks.WorkItem:
    """Børneattester that run out before a course the facilitator is needed for, or soon
    (the e-mail "certificate_due", the same selector and window)."""
    found = selectors.certificates_running_out(
        organisation_ids=organisation_ids, today=today, within_days=CERTIFICATE_WARNING_DAYS
    )
    shown = found[: hooks.WORK_ROWS_SHOWN]
    touches = _last_touches(ChildCertificate, [row.certificate.pk for row in shown])
    rows = []
    for row in shown:
        if row.courses:
            detail = _("Skal dække: %(courses)s") % {
                "courses": ", ".join(
                    _("%(course)s (til %(day)s)")
                    % {"course": need.course.title, "day": _day(need.last_session_day)}
                    for need in row.courses
                )
            }
        else:
            detail = _("Udløber inden for %(days)s dage") % {"days": CERTIFICATE_WARNING_DAYS}
        touched_by, touched_at = touches.get(row.certificate.pk, ("", None))
        rows.append(
            hooks.WorkRow(
                text=_("%(name)s: børneattesten gælder til %(day)s")
                % {"name": row.peer.name, "day": _day(row.valid_until)},
                url=reverse("admin:volunteers_peer_change", args=[row.peer.pk]),
                detail=detail,
                touched_by=touched_by,
                touched_at=touched_at,
            )
        )
    return hooks.WorkItem(
        key="certificates_running_out",
        title=_("Børneattester der udløber"),
        count=len(found),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når en ny godkendt børneattest er registreret, facilitatoren er taget "
            "af forløbene, eller forløbene er slut."
        ),
        order=50,
    )


def accompaniments_ending_soon(
    *, organisation_ids: list[int], today: datetime.date
) -> hooks.WorkItem:
    """Accompaniments ending within 14 days (the rule the notice to peer and citizen uses)."""
    ending = accompaniments_ending(
        accompaniments=Accompaniment.objects.filter(peer__organisation_id__in=organisation_ids),
        today=today,
    )
    shown = list(ending.select_related("peer", "participant", "program")[: hooks.WORK_ROWS_SHOWN])
    touches = _last_touches(Accompaniment, [accompaniment.pk for accompaniment in shown])
    rows = []
    for accompaniment in shown:
        touched_by, touched_at = touches.get(accompaniment.pk, ("", None))
        rows.append(
            hooks.WorkRow(
                text=_("%(peer)s og %(citizen)s: slutter %(day)s")
                % {
                    "peer": accompaniment.peer.name,
                    "citizen": accompaniment.participant.name,
                    "day": _day(accompaniment.planned_end_on),
                },
                url=reverse("admin:volunteers_accompaniment_change", args=[accompaniment.pk]),
                detail=accompaniment.program.name,
                touched_by=touched_by,
                touched_at=touched_at,
            )
        )
    return hooks.WorkItem(
        key="accompaniments_ending",
        title=_("Følgeskaber der slutter inden for %(days)s dage") % {"days": ENDING_NOTICE_DAYS},
        count=ending.count(),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når følgeskabet er afsluttet eller den planlagte slutdato er flyttet."
        ),
        order=60,
    )


def contact_requests_open(*, organisation_ids: list[int]) -> hooks.WorkItem:
    """Citizens' contact requests nobody has answered (the e-mail "contact_request_new")."""
    requests = selectors.contact_requests_open(organisation_ids=organisation_ids)
    shown = list(requests[: hooks.WORK_ROWS_SHOWN])
    touches = _last_touches(ContactRequest, [request.pk for request in shown])
    rows = []
    for request in shown:
        # Nobody signed in has touched a new request: its sender did, through the form.
        touched_by, touched_at = touches.get(
            request.pk, (_("borgeren via formularen"), request.created_at)
        )
        rows.append(
            hooks.WorkRow(
                text=_("%(name)s ønsker %(wish)s")
                % {"name": request.first_name, "wish": request.get_wish_display().lower()},
                url=reverse("admin:volunteers_contactrequest_change", args=[request.pk]),
                detail=_("Modtaget %(when)s") % {"when": _when(request.created_at)},
                touched_by=touched_by,
                touched_at=touched_at,
            )
        )
    return hooks.WorkItem(
        key="contact_requests_open",
        title=_("Kontaktforespørgsler der ikke er besvaret"),
        count=requests.count(),
        rows=rows,
        resolved_when=_("Forsvinder, når forespørgslen er matchet med en peer eller afsluttet."),
        order=40,
    )


def peer_applications_open(*, organisation_ids: list[int]) -> hooks.WorkItem:
    """Applications to be a volunteer peer nobody has handled (the e-mail
    "peer_application_new")."""
    applications = selectors.peer_applications_open(organisation_ids=organisation_ids)
    shown = list(applications[: hooks.WORK_ROWS_SHOWN])
    touches = _last_touches(Peer, [application.peer_id for application in shown])
    rows = []
    for application in shown:
        touched_by, touched_at = touches.get(
            application.peer_id, (_("ansøgeren via formularen"), application.applied_at)
        )
        rows.append(
            hooks.WorkRow(
                text=application.peer.name,
                url=reverse("admin:volunteers_peer_change", args=[application.peer_id]),
                detail=_("Ansøgte %(when)s") % {"when": _when(application.applied_at)},
                touched_by=touched_by,
                touched_at=touched_at,
            )
        )
    return hooks.WorkItem(
        key="peer_applications_open",
        title=_("Ansøgninger som frivillig peer"),
        count=applications.count(),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når ansøgeren har fået en anden status end “Ansøger”, fx “Under "
            "uddannelse” eller “Stoppet”."
        ),
        order=70,
    )


def work_items(*, organisation_ids: list[int], now: datetime.datetime) -> list[hooks.WorkItem]:
    """Every facilitator work item of the organisations."""
    today = timezone.localdate(now)
    return [
        session_declines(organisation_ids=organisation_ids, now=now),
        session_answers_missing(organisation_ids=organisation_ids, now=now),
        courses_understaffed(organisation_ids=organisation_ids, now=now),
        contact_requests_open(organisation_ids=organisation_ids),
        certificates_running_out(organisation_ids=organisation_ids, today=today),
        accompaniments_ending_soon(organisation_ids=organisation_ids, today=today),
        peer_applications_open(organisation_ids=organisation_ids),
    ]
