from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deltagere og tilmeldinger")

    def ready(self):
        from . import receivers  # noqa: F401
