"""How volunteers answers the hooks of the layers below it (peerprogram.hooks).

Imported once, in VolunteersConfig.ready(); nothing else wires this app to the others.
"""

from collections import defaultdict

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerprogram import hooks
from peerprogram.audit.trail import Tracked
from peerprogram.privacy.retention import RetentionSource
from volunteers import (
    citizen_privacy,
    conflicts,
    course_admin,
    demo,
    facilitators,
    privacy,
    staffing,
    work_items,
)
from volunteers.message_kinds import peer_recipient
from volunteers.models import (
    Accompaniment,
    AccompanimentMeeting,
    Bridging,
    ChildCertificate,
    Concern,
    ContactRequest,
    CourseFacilitator,
    Peer,
)
from volunteers.qualification import qualified_assignments
from volunteers.workspace.forms import FacilitatorPickForm


@receiver(hooks.session_recipients)
def session_facilitators(sender, *, sessions, **kwargs):
    """The facilitators of each session's course who may facilitate it today
    (volunteers.qualification), in a fixed number of queries however many sessions."""
    by_course = defaultdict(list)
    for assignment in qualified_assignments(
        CourseFacilitator.objects.filter(course_id__in={session.course_id for session in sessions})
    ):
        by_course[assignment.course_id].append(peer_recipient(assignment.peer))
    return {session.pk: by_course[session.course_id] for session in sessions}


@receiver(hooks.course_facilitators)
def course_facilitators(sender, *, course, **kwargs):
    """The course's facilitators by name for its manual, anonymised ones left out."""
    # An anonymised facilitator is left out of the manual rather than shown as "Anonymiseret".
    return [
        {"name": assignment.peer.name, "role": assignment.peer.get_kind_display()}
        for assignment in course.facilitators.filter(peer__anonymised_at__isnull=True)
        .select_related("peer")
        .order_by("peer__name")
    ]


@receiver(hooks.course_admin_extensions)
def course_admin_extensions(sender, **kwargs):
    """The facilitator inline and the column "assigned/required" in the course admin."""
    return hooks.AdminExtension(
        inlines=[course_admin.CourseFacilitatorInline],
        columns=[course_admin.facilitator_count],
        annotate=staffing.with_staffing,
    )


@receiver(hooks.participant_extensions)
def participant_extensions(sender, **kwargs):
    """A participant's accompaniment and bridging, for export, erasure and retention."""
    return citizen_privacy.participant_extension


@receiver(hooks.retention_sources)
def retention_sources(sender, **kwargs):
    """Facilitators and contact requests."""
    return [
        RetentionSource(
            name="peers",
            label=_("Facilitatorer"),
            due=privacy.peers_due,
            anonymise=privacy.peer_anonymise,
            population=privacy.peers_population,
        ),
        RetentionSource(
            name="contact_requests",
            label=_("Kontaktforespørgsler"),
            due=citizen_privacy.contact_requests_due,
            anonymise=citizen_privacy.contact_request_anonymise,
            population=citizen_privacy.contact_requests_population,
        ),
    ]


@receiver(hooks.audit_tracking)
def audit_tracking(sender, **kwargs):
    """Peers' and citizens' records; values masked except in the fields listed as plain."""
    # A børneattest's outcome is masked too: the trail is read by coordinators without the
    # permission to see it.
    return [
        Tracked(
            Peer,
            plain=[
                "organisation",
                "kind",
                "sms_opt_in",
                "user",
                "facilitates_groups",
                "accompanies",
                "status",
                "created_at",
            ],
            ignore=["calendar_token_hash"],
        ),
        Tracked(
            ChildCertificate,
            plain=[
                "peer",
                "requested_on",
                "consent",
                "received_on",
                "assessed_by",
                "assessed_on",
                "renew_by",
            ],
            organisation_path="peer__organisation",
        ),
        Tracked(
            Accompaniment,
            plain=[
                "peer",
                "participant",
                "program",
                "starts_on",
                "planned_end_on",
                "ended_on",
                "end_reason",
                "created_by",
                "created_at",
            ],
        ),
        Tracked(AccompanimentMeeting, plain=["accompaniment", "date", "kind"]),
        Tracked(Concern, plain=["session", "reported_by", "passed_on", "receipt_on", "created_at"]),
        Tracked(
            ContactRequest,
            plain=["organisation", "wish", "status", "matched_peer", "matched_at", "created_at"],
        ),
        Tracked(Bridging, plain=["participant", "activity", "status", "updated_on", "peer"]),
    ]


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """Peers, training, assignments and accompaniment in the demo organisations."""
    return hooks.DemoData(app="volunteers", load=demo.load)


# --- Moving a session (the coordinator's workspace and the admin) ------------------------------


@receiver(hooks.session_move_refusals)
def facilitators_booked_elsewhere(sender, *, session, starts_at, ends_at, **kwargs):
    """The course's facilitators who facilitate another course's session at the new time."""
    return conflicts.facilitator_booking_conflicts(
        session=session, starts_at=starts_at, ends_at=ends_at
    )


@receiver(hooks.course_message_recipients)
def course_message_facilitators(sender, *, course, **kwargs):
    """The course's facilitators who may facilitate it today (volunteers.qualification), for
    a coordinator's message to the course."""
    return [
        peer_recipient(assignment.peer)
        for assignment in qualified_assignments(CourseFacilitator.objects.filter(course=course))
    ]


# --- The workspace's course page: facilitators (issue #12, item 5) ----------------------------


@receiver(hooks.course_sections)
def course_sections(sender, *, course, request, **kwargs):
    """The course's facilitators: kind, phone, qualification, their answers to the sessions
    ahead (a decline with "Find afløser"), the staffing by kind, and a picker of those who may
    be assigned."""
    return [
        hooks.Section(
            key="facilitators",
            title=_("Facilitatorer"),
            template="volunteers/workspace/facilitators_section.html",
            context={
                "course": course,
                "overview": facilitators.course_facilitators(course),
                "form": FacilitatorPickForm(
                    course=course,
                    candidates=facilitators.facilitator_candidates(course),
                    action=reverse("workspace:facilitator_assign", args=[course.pk]),
                ),
            },
            order=20,
        )
    ]


@receiver(hooks.work_items)
def facilitator_work_items(sender, *, organisation_ids, now, **kwargs):
    """Declines and missing answers, courses short of facilitators, børneattester running
    out, accompaniments ending, contact requests and applications nobody has handled."""
    return work_items.work_items(organisation_ids=organisation_ids, now=now)
