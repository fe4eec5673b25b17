from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deltagere og tilmeldinger")

    def ready(self):
        from groups.models import register_eligibility_rules_validator
        from groups.reminders import register_session_recipients
        from participants.eligibility import validate_rules
        from participants.recipients import accepted_participants

        register_session_recipients(accepted_participants)
        register_eligibility_rules_validator(validate_rules)
