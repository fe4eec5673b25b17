from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Programmer og forløb")

    def ready(self):
        from . import receivers  # noqa: F401
