"""The core's admin: organisations here; the outbox, staff, the audit trail and privacy in the
admin modules of their subpackages, imported below so that the admin registers them.

The scoping every coordinator admin class uses lives in peerprogram.admin_site."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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

UNVERIFIED_WARNING = _("⚠ Ikke kontrolleret: ring op eller slå nummer og åbningstid efter")


class HelpContactInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = HelpContact
    extra = 0
    fields = ["label", "phone", "url", "opening_hours", "order", "verified_on", "verification"]
    readonly_fields = ["verification"]

    @admin.display(description=_("kontrol"))
    def verification(self, contact):
        # Public pages show every crisis line unmarked; the flag is for staff only.
        return UNVERIFIED_WARNING if contact.pk and contact.verified_on is None else "–"


class BlackoutPeriodInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = BlackoutPeriod
    extra = 0
    fields = ["name", "iso_week", "start_date", "end_date", "repeats_yearly"]


class MembershipInline(AdminPolicy, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "municipalities"]
    view_needs = add_needs = change_needs = delete_needs = SUPERUSER


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedModelAdmin):
    list_display = [
        "name",
        "kind",
        "municipality_code",
        "data_protection_basis",
        "unverified_help_contacts",
    ]
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
        (
            _("Kontakt"),
            {
                "description": _(
                    "Den, borgerne kan ringe eller skrive til. Uden en kontaktperson viser "
                    "siderne og beskederne kontakten om persondata."
                ),
                "fields": [
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "contact_is_example",
                    "sms_sender",
                ],
            },
        ),
    ]

    # Only superusers create or remove organisations; coordinators keep their own up to date.
    add_needs = delete_needs = SUPERUSER

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(unverified=Count("help_contacts", filter=Q(help_contacts__verified_on=None)))
        )

    @admin.display(description=_("krisenumre uden kontrol"), ordering="unverified")
    def unverified_help_contacts(self, organisation):
        if not organisation.unverified:
            return "–"
        return ngettext(
            "⚠ %(count)d ikke kontrolleret",
            "⚠ %(count)d ikke kontrolleret",
            organisation.unverified,
        ) % {"count": organisation.unverified}


from peerprogram.accounts import admin as accounts_admin  # noqa: E402, F401
from peerprogram.audit import admin as audit_admin  # noqa: E402, F401
from peerprogram.outbox import admin as outbox_admin  # noqa: E402, F401
from peerprogram.privacy import admin as privacy_admin  # noqa: E402, F401
