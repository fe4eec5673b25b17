"""The admin site: Django's, with the refusal rule of peerprogram.permissions, and the base
classes every app's admin builds on (scoping to the user's organisations, read-only records,
audited views of people's records).

Django sends a signed-in user without admin access to the admin's log-in page; by our rule a
signed-in role without the page gets a 403, and only anonymous visitors are sent to log in.
"""

import json
from functools import wraps

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as django_text  # Django's own catalogue's texts
from django.utils.translation import gettext_lazy as _

from peerprogram.audit import trail
from peerprogram.municipalities import MUNICIPALITY_CHOICES
from peerprogram.permissions import NOBODY, AdminPolicy, OrganisationScopedQuerySet
from peerprogram.phones import phone_search_value


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

    def login(self, request, extra_context=None):
        # Signing in at /admin/login/ without a page to return to lands where the person works:
        # a coordinator in the workspace (peerprogram.workspace.views.landing), not the index.
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {**(extra_context or {}), REDIRECT_FIELD_NAME: reverse("landing")}
        return super().login(request, extra_context)

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


class OrganisationScopedAdminMixin(AdminPolicy, ScopedChoicesMixin):
    """Coordinators see and change only their organisations' rows (peerprogram.permissions).

    Access follows membership rather than Django's per-model permissions: every coordinator
    of an organisation runs its programmes. Superusers see everything.
    """


class ReadOnlyAdminMixin:
    """A record to read: nobody adds, changes or deletes it here (superusers neither)."""

    add_needs = change_needs = delete_needs = NOBODY


class OrganisationScopedModelAdmin(OrganisationScopedAdminMixin, admin.ModelAdmin):
    def action_checkbox(self, obj):
        """Django's row checkbox, written directly: drawn through the widget template it took
        a tenth of a 100-row list's time."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(django_text("Select this object for an action - {}"), str(obj)),
        )


class AuditedAdminMixin:
    """For the admins of people's records: opening one object's page is recorded in the audit
    trail (peerprogram.audit.trail). Lists are not; changes are recorded by django-auditlog.

    Django's own admin history names the object the same neutral way ("Facilitator #3"), so
    no log keeps a name that erasure would have to edit.
    """

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            trail.record(user=request.user, action=trail.VIEW, obj=obj)
        return response

    def _log_neutrally(self, request, objects, action_flag, message=""):
        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            AdminLogEntry(
                user_id=request.user.pk,
                content_type_id=get_content_type_for_model(obj).pk,
                object_id=obj.pk,
                object_repr=trail.label(obj)[:200],
                action_flag=action_flag,
                change_message=message,
            )
            for obj in objects
        ]
        if len(entries) == 1:
            entries[0].save()
            return entries[0]
        return AdminLogEntry.objects.bulk_create(entries)

    def log_addition(self, request, obj, message):
        return self._log_neutrally(request, [obj], ADDITION, message)

    def log_change(self, request, obj, message):
        return self._log_neutrally(request, [obj], CHANGE, message)

    def log_deletions(self, request, queryset):
        return self._log_neutrally(request, queryset, DELETION)


class PhoneSearchMixin:
    """Search finds a number however it is typed: numbers are stored as +4520304050, so a
    term that is a Danish number ("20 30 40 50") also matches `phone_search_fields` exactly."""

    phone_search_fields: list[str] = ["phone"]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = phone_search_value(search_term)
        if number is not None:
            match = models.Q()
            for field in self.phone_search_fields:
                match |= models.Q(**{field: number})
            found |= queryset.filter(match)
        return found, may_have_duplicates


class MunicipalityListFilter(admin.SimpleListFilter):
    """Filter on a model's `municipality` code by name, offering only the municipalities the
    user's rows are in (all 98 would bury the other filters)."""

    title = _("kommune")
    parameter_name = "municipality"

    def lookups(self, request, model_admin):
        codes = set(
            model_admin.get_queryset(request)
            .order_by()
            .values_list("municipality", flat=True)
            .distinct()
        )
        return [(code, name) for code, name in MUNICIPALITY_CHOICES if code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(municipality=self.value()) if self.value() else queryset
