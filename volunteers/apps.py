from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Frivillige peers")

    def ready(self):
        from groups.manuals import register_course_facilitators
        from groups.reminders import register_session_recipients
        from participants.privacy import register_participant_extension
        from peerprogram.retention import register_retention_source
        from volunteers import privacy
        from volunteers.providers import course_facilitators, session_facilitators

        register_session_recipients(session_facilitators)
        register_course_facilitators(course_facilitators)
        register_participant_extension(privacy.participant_extension)
        register_retention_source(
            "peers",
            label=_("Facilitatorer"),
            due=privacy.peers_due,
            anonymise=privacy.peer_anonymise,
            population=privacy.peers_population,
        )
        register_retention_source(
            "contact_requests",
            label=_("Kontaktforespørgsler"),
            due=privacy.contact_requests_due,
            anonymise=privacy.contact_request_anonymise,
            population=privacy.contact_requests_population,
        )
        _track_in_audit_trail()


def _track_in_audit_trail():
    """Changes to peers' and citizens' records go into the audit trail; values are masked
    except in the fields listed as plain (peerprogram.audit). A børneattest's outcome is
    masked too: the trail is read by coordinators without the permission to see it."""
    from peerprogram import audit
    from volunteers.models import (
        Accompaniment,
        AccompanimentMeeting,
        Bridging,
        ChildCertificate,
        Concern,
        ContactRequest,
        Peer,
    )

    audit.track(
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
    )
    audit.track(
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
    )
    audit.track(
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
    )
    audit.track(AccompanimentMeeting, plain=["accompaniment", "date", "kind"])
    audit.track(Concern, plain=["session", "reported_by", "passed_on", "receipt_on", "created_at"])
    audit.track(
        ContactRequest,
        plain=["organisation", "wish", "status", "matched_peer", "matched_at", "created_at"],
    )
    audit.track(Bridging, plain=["participant", "activity", "status", "updated_on", "peer"])
