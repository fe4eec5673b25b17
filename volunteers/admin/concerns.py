"""Concerns about a child passed to the municipality (underretninger)."""

from django.contrib import admin

from peerprogram.admin_site import AuditedAdminMixin, OrganisationScopedModelAdmin
from peerprogram.permissions import NOBODY
from volunteers.models import Concern


@admin.register(Concern)
class ConcernAdmin(AuditedAdminMixin, OrganisationScopedModelAdmin):
    """Concerns passed to the municipality: for coordinators only, never in group notes."""

    list_display = ["__str__", "session", "reported_by", "passed_on", "passed_to", "receipt_on"]
    list_select_related = ["session__course", "reported_by"]
    fields = ["session", "reported_by", "passed_on", "passed_to", "receipt_on"]
    readonly_fields = ["session", "reported_by"]
    add_needs = NOBODY  # facilitators record them from the session page
