"""The audit trail in the admin: read-only entries, filtered by model and organisation."""

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerprogram.admin_site import (
    OrganisationScopedModelAdmin,
    ReadOnlyAdminMixin,
)
from peerprogram.audit import trail
from peerprogram.models import (
    AuditEntry,
    Organisation,
)


class AuditedModelFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*trail.audited_models())
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
