"""Admin for retention and requests from a person (imported by peerprogram.admin).

- Sletteregler: one retention policy per organisation, edited by its organisation admins
  (and superusers), read by its coordinators, with a dry run listing exactly what the next
  run would anonymise.
- Sletninger på anmodning: the erasure records, read-only.
- `PersonRequestsAdminMixin`: buttons on a person's page (participants, facilitators) to
  export everything held about them (JSON, PDF) and to erase (anonymise) them.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerprogram import privacy, retention
from peerprogram.admin_site import OrganisationScopedModelAdmin, ReadOnlyAdminMixin
from peerprogram.models import (
    ErasureRecord,
    Organisation,
    RetentionPolicy,
    RetentionRun,
)
from peerprogram.permissions import NOBODY, Purpose, get_object_for_user


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(OrganisationScopedModelAdmin):
    list_display = [
        "organisation",
        "months_after_course_end",
        "months_after_submission",
        "months_after_peer_stopped",
        "max_share_per_run",
        "dry_run_link",
    ]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "months_after_course_end",
        "months_after_submission",
        "months_after_peer_stopped",
        "max_share_per_run",
        "updated_at",
    ]
    readonly_fields = ["updated_at", "dry_run_link"]
    # An organisation without a saved policy runs on the defaults (retention.policy_for); its
    # organisation admins save one here and change it, its coordinators read it. A page
    # that only reads creates nothing.
    add_needs = change_needs = Purpose.ADMINISTER
    delete_needs = NOBODY

    def get_fields(self, request, obj=None):
        return [*self.fields, "dry_run_link"] if obj is not None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", *self.readonly_fields] if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation":
            # Only where the user administers, and only organisations still on the defaults.
            formfield.queryset = Organisation.objects.for_user(
                request.user, Purpose.ADMINISTER
            ).filter(retention_policy__isnull=True)
        return formfield

    @admin.display(description=_("prøvekørsel"))
    def dry_run_link(self, policy):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:peerprogram_retentionpolicy_dry_run", args=[policy.organisation_id]),
            _("Se hvad næste kørsel anonymiserer"),
        )

    def get_urls(self):
        return [
            path(
                "<int:organisation_id>/dry-run/",
                self.admin_site.admin_view(self.dry_run_view),
                name="peerprogram_retentionpolicy_dry_run",
            ),
            *super().get_urls(),
        ]

    def dry_run_view(self, request, organisation_id):
        organisation = get_object_for_user(Organisation, request.user, pk=organisation_id)
        the_plan = retention.plan(organisation)
        return TemplateResponse(
            request,
            "admin/peerprogram/retentionpolicy/dry_run.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Prøvekørsel af sletning: %(organisation)s")
                % {"organisation": organisation.name},
                "opts": self.opts,
                "organisation": organisation,
                "plan": the_plan,
                "sources": [
                    {"label": source.source.label, "labels": source.labels}
                    for source in the_plan.sources
                ],
                "runs": RetentionRun.objects.filter(organisation=organisation)[:10],
            },
        )


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
    """Who erased which record on request, and when: read only, never changed or removed."""

    list_display = ["erased_at", "kind", "object_id", "organisation", "erased_by"]
    list_filter = ["kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation", "erased_by"]
    fields = ["organisation", "kind", "object_id", "erased_at", "erased_by"]
    readonly_fields = fields


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, anonymisér personen"),
        help_text=_(
            "Navn, kontaktoplysninger og fritekst slettes og kan ikke genskabes. Hent evt. "
            "en eksport først, hvis personen har bedt om den."
        ),
    )


class PersonRequestsAdminMixin:
    """Export and erasure on a person's request, as buttons on the person's page.

    A subclass sets `privacy_kind` and defines `privacy_export(request, obj)` (the export
    document, see peerprogram.privacy.export_document) and `privacy_anonymise(request, obj)`
    (True if done); the PDF is drawn from the export.
    Exports and erasures are recorded in the audit trail; an erasure also leaves an
    `ErasureRecord`.
    """

    change_form_template = "admin/privacy/person_change_form.html"
    privacy_kind = ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/export.json",
                self.admin_site.admin_view(self.export_json_view),
                name="{}_{}_export_json".format(*info),
            ),
            path(
                "<path:object_id>/export.pdf",
                self.admin_site.admin_view(self.export_pdf_view),
                name="{}_{}_export_pdf".format(*info),
            ),
            path(
                "<path:object_id>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="{}_{}_erase".format(*info),
            ),
            *super().get_urls(),
        ]

    def _export(self, request, object_id, detail):
        obj = self.object_for(request, unquote(object_id), "view")
        export = self.privacy_export(request, obj)
        privacy.export_recorded(
            user=request.user, obj=obj, organisation=obj.organisation, detail=detail
        )
        return obj, export

    def _download(self, content, content_type, filename):
        return HttpResponse(
            content,
            content_type=content_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    def export_json_view(self, request, object_id):
        obj, export = self._export(request, object_id, "json")
        body = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        return self._download(
            body, "application/json; charset=utf-8", f"{self.privacy_kind}-{obj.pk}.json"
        )

    def export_pdf_view(self, request, object_id):
        obj, export = self._export(request, object_id, "pdf")
        return self._download(
            privacy.export_pdf(export), "application/pdf", f"{self.privacy_kind}-{obj.pk}.pdf"
        )

    def erase_view(self, request, object_id):
        obj = self.object_for(request, unquote(object_id), "change")
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if obj.anonymised_at is not None:
            self.message_user(request, _("Personen er allerede anonymiseret."), messages.INFO)
            return HttpResponseRedirect(change_url)
        form = EraseForm(request.POST if request.method == "POST" else None)
        label = f"{capfirst(self.opts.verbose_name)} #{obj.pk}"
        if form.is_valid():
            self.privacy_anonymise(request, obj)
            self.message_user(
                request,
                _("%(label)s er anonymiseret. Sletningen er noteret uden persondata.")
                % {"label": label},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/privacy/erase_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Slet (anonymisér) %(label)s") % {"label": label},
                "opts": self.opts,
                "original": obj,
                "form": form,
                "change_url": change_url,
            },
        )
