"""Coordinator admin for organisations, and the scoping every coordinator admin class uses."""

from django.contrib import admin, messages
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram import notifications
from peerprogram.models import (
    BlackoutPeriod,
    HelpContact,
    Membership,
    Organisation,
    OutboxMessage,
)
from peerprogram.tenancy import OrganisationScopedQuerySet, is_coordinator

admin.site.site_header = _("Peer-programmer – koordinator")
admin.site.site_title = _("Peer-programmer")
admin.site.index_title = _("Overblik")


def _scope_related_field(formfield, user):
    if formfield is not None and isinstance(formfield.queryset, OrganisationScopedQuerySet):
        formfield.queryset = formfield.queryset.for_user(user)
    return formfield


class ScopedChoicesMixin:
    """Choices for related objects come only from the user's organisations."""

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


class OrganisationScopedAdminMixin(ScopedChoicesMixin):
    """Coordinators see and change only their organisations' rows; anything else is a 404.

    Access follows membership rather than Django's per-model permissions: every coordinator
    of an organisation runs its programmes. Superusers see everything.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OrganisationScopedModelAdmin):
    """Coordinators follow their organisations' messages and decide on the ones in doubt.

    The body shown is the stored one, where any secret is already redacted.
    """

    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient_name",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "channel", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["recipient_name", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation"]
    actions = ["resend", "mark_arrived", "discard"]
    fields = [
        "organisation",
        "kind",
        "channel",
        "recipient_name",
        "recipient_address",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "decided_by",
        "subject",
        "body",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only page; decisions are the actions below.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fejl"))
    def short_error(self, message):
        return message.last_error[:80]

    def _decide(self, request, queryset, decision, done_message):
        done = sum(decision(message=message, user=request.user) for message in queryset)
        self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        skipped = len(queryset) - done
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d besked blev sprunget over, fordi dens status ikke passer.",
                    "%(count)d beskeder blev sprunget over, fordi deres status ikke passer.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Send igen (fejlede eller uvisse)"))
    def resend(self, request, queryset):
        self._decide(
            request,
            queryset,
            notifications.message_resend,
            lambda n: ngettext(
                "%(count)d besked sendes igen.", "%(count)d beskeder sendes igen.", n
            ),
        )

    @admin.action(description=_("Uvis: beskeden nåede frem"))
    def mark_arrived(self, request, queryset):
        self._decide(
            request,
            queryset,
            notifications.message_mark_arrived,
            lambda n: ngettext(
                "%(count)d besked er markeret som sendt.",
                "%(count)d beskeder er markeret som sendt.",
                n,
            ),
        )

    @admin.action(description=_("Drop (sendes ikke)"))
    def discard(self, request, queryset):
        self._decide(
            request,
            queryset,
            notifications.message_discard,
            lambda n: ngettext("%(count)d besked er droppet.", "%(count)d beskeder er droppet.", n),
        )
