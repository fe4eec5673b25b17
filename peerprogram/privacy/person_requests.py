"""Requests from a person, on their page in the admin (participants, facilitators): buttons to
export everything held about them (JSON, PDF) and to erase (anonymise) them."""

import json

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerprogram.privacy import personal_data


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
    document, see peerprogram.privacy.personal_data.export_document) and
    `privacy_anonymise(request, obj)` (True if done); the PDF is drawn from the export.
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
        personal_data.export_recorded(
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
            personal_data.export_pdf(export), "application/pdf", f"{self.privacy_kind}-{obj.pk}.pdf"
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
