"""Admin for retention and erasures (imported by peerprogram.admin).

- Sletteregler: one retention policy per organisation, edited by its organisation admins
  (and superusers), read by its coordinators, with a dry run listing exactly what the next
  run would anonymise.
- Sletninger på anmodning: the erasure records, read-only.

The buttons on a person's page live in peerprogram.privacy.person_requests.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram.admin_site import OrganisationScopedModelAdmin, ReadOnlyAdminMixin
from peerprogram.models import (
    ErasureRecord,
    Organisation,
    RetentionPolicy,
    RetentionRun,
)
from peerprogram.permissions import NOBODY, Purpose, get_object_for_user, may
from peerprogram.privacy import retention


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(OrganisationScopedModelAdmin):
    list_display = [
        "organisation",
        "months_after_course_end",
        "months_after_submission",
        "months_after_peer_stopped",
        "months_after_application",
        "max_share_per_run",
        "dry_run_link",
    ]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "months_after_course_end",
        "months_after_submission",
        "months_after_peer_stopped",
        "months_after_application",
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
        """What the next run would anonymise; a POST from an organisation admin approves
        that one run despite the safety stop."""
        purpose = Purpose.ADMINISTER if request.method == "POST" else Purpose.COORDINATE
        organisation = get_object_for_user(Organisation, request.user, purpose, pk=organisation_id)
        if request.method == "POST":
            return self._approve_run(request, organisation)
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
                "may_approve": may(request.user, Purpose.ADMINISTER, organisation),
                "runs": RetentionRun.objects.filter(organisation=organisation).select_related(
                    "approved_by"
                )[:10],
            },
        )

    def _approve_run(self, request, organisation):
        # The fingerprint names the list the admin was shown; the run refuses any other.
        approval = retention.Approval(
            fingerprint=request.POST.get("fingerprint", ""), user=request.user
        )
        try:
            outcome = retention.organisation_run(organisation, approval=approval)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                ngettext(
                    "Kørslen er godkendt: %(count)d person er anonymiseret.",
                    "Kørslen er godkendt: %(count)d personer er anonymiseret.",
                    outcome.plan.total,
                )
                % {"count": outcome.plan.total},
                messages.SUCCESS,
            )
        return redirect(request.path)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
    """Who erased which record on request, and when: read only, never changed or removed."""

    list_display = ["erased_at", "kind", "object_id", "organisation", "erased_by"]
    list_filter = ["kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation", "erased_by"]
    fields = ["organisation", "kind", "object_id", "erased_at", "erased_by"]
    readonly_fields = fields
