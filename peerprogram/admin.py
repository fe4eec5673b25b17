"""Coordinator admin for organisations, staff, the outbox and the audit trail.

The scoping every coordinator admin class uses lives in peerprogram.admin_site."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram import audit, notifications, staff
from peerprogram.admin_site import (
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
    ReadOnlyAdminMixin,
)
from peerprogram.models import (
    AuditEntry,
    BlackoutPeriod,
    HelpContact,
    Membership,
    Organisation,
    OutboxMessage,
)
from peerprogram.permissions import (
    SUPERUSER,
    AdminPolicy,
    Purpose,
    scope,
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
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
    # Read-only page; decisions are the actions below.
    readonly_fields = fields

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


class StaffInviteForm(forms.ModelForm):
    username = forms.CharField(label=_("brugernavn"), max_length=150)
    name = forms.CharField(label=_("navn"), max_length=150)
    email = forms.EmailField(label=_("e-mail"), help_text=_("Her sendes linket til adgangskoden."))

    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brugernavnet er optaget. Vælg et andet."))
        return username


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        staff.check_role_change(membership=self.instance, role=role)
        return role


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdminMixin, admin.ModelAdmin):
    """Organisation admins manage who works in their organisations and in which role."""

    view_needs = add_needs = change_needs = delete_needs = Purpose.ADMINISTER

    list_display = ["user", "full_name", "organisation", "role"]
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MembershipRoleForm if obj is not None else StaffInviteForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "role", "username", "name", "email"]
        return ["user", "organisation", "role"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "organisation"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = scope(Organisation.objects.all(), request.user, Purpose.ADMINISTER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("navn"))
    def full_name(self, membership):
        return membership.user.get_full_name()

    def allows(self, action, membership):
        # The last admin of an organisation stays.
        return action != "delete" or staff.may_remove(membership=membership)

    def save_model(self, request, obj, form, change):
        if change:
            stored = Membership.objects.select_related("user", "organisation").get(pk=obj.pk)
            staff.membership_change_role(membership=stored, role=form.cleaned_data["role"])
            return
        membership = staff.staff_invite(
            organisation=form.cleaned_data["organisation"],
            username=form.cleaned_data["username"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        # The admin goes on with the object it saved: make it the new membership.
        obj.pk, obj.user, obj._state.adding = membership.pk, membership.user, False

    def delete_model(self, request, obj):
        staff.membership_remove(membership=obj)


# The audit trail (django-auditlog's own admin for the entry model is not taken, see
# peerprogram.admin_site): read-only for everyone, scoped to the organisation, values already
# masked.


class AuditedModelFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*audit.audited_models())
        return sorted(
            ((str(ct.pk), capfirst(model._meta.verbose_name)) for model, ct in types.items()),
            key=lambda choice: str(choice[1]),
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


class AuditOrganisationFilter(admin.SimpleListFilter):
    title = _("organisation")
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        return [(str(o.pk), o.name) for o in Organisation.objects.for_user(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(organisation_id=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
    """Who viewed, created, changed, exported or erased which record, and when.

    Nobody adds, changes or deletes entries, not even a superuser. Objects are named by kind
    and number; personal values were masked before they were stored.
    """

    list_display = [
        "when",
        "who",
        "action",
        "object_label",
        "organisation",
        "changed_fields",
    ]
    list_filter = ["action", AuditedModelFilter, AuditOrganisationFilter]
    list_select_related = ["actor", "organisation", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "timestamp"
    show_full_result_count = False
    actions = None
    fields = [
        "when",
        "who",
        "action",
        "object_label",
        "organisation",
        "detail",
        "change_values",
    ]
    readonly_fields = fields

    @admin.display(description=_("tidspunkt"), ordering="timestamp")
    def when(self, entry):
        return entry.timestamp

    @admin.display(description=_("hvem"), ordering="actor__username")
    def who(self, entry):
        if entry.actor is not None:
            return entry.actor.get_username()
        return _("systemet")

    @admin.display(description=_("objekt"), ordering="object_repr")
    def object_label(self, entry):
        return entry.object_repr

    @staticmethod
    def _field_name(entry, name):
        model = entry.content_type.model_class()
        try:
            return capfirst(model._meta.get_field(name).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return name

    def _changes(self, entry):
        changes = entry.changes
        if isinstance(changes, str):  # auditlog's older text form
            changes = json.loads(changes or "{}")
        return changes or {}

    @admin.display(description=_("ændrede felter"))
    def changed_fields(self, entry):
        if entry.action != AuditEntry.Action.UPDATE:
            return "–"  # created or deleted: every field, shown on the entry's page
        return ", ".join(str(self._field_name(entry, name)) for name in self._changes(entry))

    @admin.display(description=_("ændringer"))
    def change_values(self, entry):
        rows = [
            (self._field_name(entry, name), *values)
            for name, values in self._changes(entry).items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
        if not rows:
            return "–"
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>→ {}</td></tr>", rows),
        )


# Retention policies with their dry run, erasure records, and the export/erase buttons for
# people's pages live in their own module.
from peerprogram import privacy_admin  # noqa: E402, F401
