"""The core's admin: organisations here; the outbox, staff, the audit trail and privacy in the
admin modules of their subpackages, imported below so that the admin registers them.

The scoping every coordinator admin class uses lives in peerprogram.admin_site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from peerprogram.admin_site import (
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
)
from peerprogram.models import (
    BlackoutPeriod,
    HelpContact,
    Membership,
    Organisation,
)
from peerprogram.permissions import (
    SUPERUSER,
    AdminPolicy,
)


class HelpContactInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = HelpContact
    extra = 0
    fields = ["label", "phone", "url", "opening_hours", "order"]


class BlackoutPeriodInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = BlackoutPeriod
    extra = 0
    fields = ["name", "iso_week", "start_date", "end_date", "repeats_yearly"]


class MembershipInline(AdminPolicy, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    view_needs = add_needs = change_needs = delete_needs = SUPERUSER


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedModelAdmin):
    list_display = ["name", "kind", "municipality_code", "data_protection_basis"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HelpContactInline, BlackoutPeriodInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "municipality_code", "website"]}),
        (
            _("Persondata og tilgængelighed"),
            {
                "fields": [
                    "data_protection_basis",
                    "privacy_contact",
                    "privacy_email",
                    "privacy_phone",
                    "accessibility_statement_url",
                ]
            },
        ),
    ]

    # Only superusers create or remove organisations; coordinators keep their own up to date.
    add_needs = delete_needs = SUPERUSER


from peerprogram.accounts import admin as accounts_admin  # noqa: E402, F401
from peerprogram.audit import admin as audit_admin  # noqa: E402, F401
from peerprogram.outbox import admin as outbox_admin  # noqa: E402, F401
from peerprogram.privacy import admin as privacy_admin  # noqa: E402, F401
