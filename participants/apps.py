from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deltagere og tilmeldinger")

    def ready(self):
        from groups.models import register_eligibility_rules_validator
        from groups.reminders import register_session_recipients
        from participants import privacy
        from participants.eligibility import validate_rules
        from participants.recipients import accepted_participants
        from peerprogram.retention import register_retention_source

        register_session_recipients(accepted_participants)
        register_eligibility_rules_validator(validate_rules)
        register_retention_source(
            "participants",
            label=_("Deltagere"),
            due=privacy.participants_due,
            anonymise=privacy.participant_anonymise,
            population=privacy.participants_population,
        )
        _track_in_audit_trail()


def _track_in_audit_trail():
    """Changes to a person's records go into the audit trail; values are masked except in the
    fields listed as plain (peerprogram.audit)."""
    from groups.models import Course
    from participants.models import Attendance, Participant, Registration
    from peerprogram import audit

    audit.track(Participant, plain=["organisation", "sms_opt_in", "created_at"])
    audit.track(
        Registration,
        plain=[
            "participant",
            "course",
            "status",
            "waitlist_position",
            "registered_by",
            "citizen_agreed",
            "wants_accompaniment",
            "privacy_notice_version",
            "consent_given_at",
            "decided_by",
            "decided_at",
            "accepted_at",
            "status_changed_at",
            "dropout_override",
            "created_at",
        ],
        ignore=["status_token_hash"],
    )
    audit.track(
        Attendance, plain=["session", "registration", "status", "recorded_by", "recorded_at"]
    )
    # Attendance lists are recorded as views of their course.
    audit.track(Course, changes=False)
