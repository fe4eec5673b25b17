"""The admin site: Django's, with the refusal rule of peerprogram.permissions.

Django sends a signed-in user without admin access to the admin's log-in page; by our rule a
signed-in role without the page gets a 403, and only anonymous visitors are sent to log in.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class PeerProgramAdminSite(admin.AdminSite):
    site_header = _("Peer-programmer – koordinator")
    site_title = _("Peer-programmer")
    index_title = _("Overblik")

    def register(self, model_or_iterable, admin_class=None, **options):
        # django-auditlog's admin module registers a generic admin for the audit entry model,
        # which is ours (peerprogram.models.AuditEntry): peerprogram.admin registers the admin
        # it is read with, so auditlog's is not taken, rather than registered and replaced.
        if admin_class is not None and admin_class.__module__ == "auditlog.admin":
            return
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        @wraps(wrapped)
        def refuse_signed_in_outsiders(request, *args, **kwargs):
            if (
                request.user.is_authenticated
                and not self.has_permission(request)
                and request.resolver_match.url_name != "logout"
            ):
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return refuse_signed_in_outsiders
