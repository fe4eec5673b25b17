"""Coordinator admin for organisations, and the scoping every coordinator admin class uses."""

from django.contrib import admin
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from peerprogram.models import BlackoutPeriod, HelpContact, Membership, Organisation
from peerprogram.tenancy import OrganisationScopedQuerySet, is_coordinator

admin.site.site_header = _("Peer-programmer – koordinator")
admin.site.site_title = _("Peer-programmer")
admin.site.index_title = _("Overblik")


def _scope_related_field(formfield, user):
    if formfield is not None and isinstance(formfield.queryset, OrganisationScopedQuerySet):
        formfield.queryset = formfield.queryset.for_user(user)
    return formfield


class OrganisationScopedAdminMixin:
    """Coordinators see and change only their organisations' rows; anything else is a 404.

    Access follows membership rather than Django's per-model permissions: every coordinator
    of an organisation runs its programmes. Superusers see everything.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Addresses typed without a scheme are meant as https://, never http://.
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_related_field(formfield, request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_related_field(formfield, request.user)

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request, *args):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user)


class OrganisationScopedModelAdmin(OrganisationScopedAdminMixin, admin.ModelAdmin):
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django would redirect to the index with "does not exist"; an object of another
        # organisation must look exactly like one that does not exist at all.
        raise Http404


class HelpContactInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = HelpContact
    extra = 0
    fields = ["label", "phone", "url", "opening_hours", "order"]


class BlackoutPeriodInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = BlackoutPeriod
    extra = 0
    fields = ["name", "iso_week", "start_date", "end_date", "repeats_yearly"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


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
    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
