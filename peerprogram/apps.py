from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PeerProgramConfig(AppConfig):
    name = "peerprogram"
    verbose_name = _("Organisationer")

    def ready(self):
        from . import receivers  # noqa: F401


class PeerProgramAdminConfig(AdminConfig):
    """Django's admin on our site class (peerprogram.admin_site)."""

    default_site = "peerprogram.admin_site.PeerProgramAdminSite"
