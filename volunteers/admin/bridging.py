"""Ud i Livet: contact requests matched with peers, associations and their activities, and
bridging (brobygning). The forms call the same rule functions as the services in
volunteers/bridging.py, so an error is shown in Danish on the form and nothing is saved."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from peerprogram.admin_site import (
    AuditedAdminMixin,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
    PhoneSearchMixin,
)
from volunteers import accompaniment as accompaniment_rules
from volunteers import bridging as bridging_rules
from volunteers.admin.common import CitizenByNameMixin, _add_problems, _adopt
from volunteers.models import Association, AssociationActivity, Bridging, ContactRequest

PEER_FIELDS = {"matched_peer", "other_peers", "organisation"}


class ContactRequestForm(forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = [
            "organisation",
            "first_name",
            "phone",
            "email",
            "wish",
            "status",
            "matched_peer",
            "other_peers",
            "bridged_activity",
            "bridging_status",
        ]

    def clean(self):
        data = super().clean()
        if data.get("organisation") is None:
            return data
        problems = bridging_rules.contact_request_problems(
            organisation=data["organisation"],
            peer=data.get("matched_peer"),
            status=data.get("status"),
            check_peer=bool(PEER_FIELDS & {*self.changed_data}),
            other_peers=list(data.get("other_peers") or []),
            activity=data.get("bridged_activity"),
            bridging_status=data.get("bridging_status") or "",
        )
        _add_problems(self, problems)
        return data


@admin.register(ContactRequest)
class ContactRequestAdmin(PhoneSearchMixin, AuditedAdminMixin, OrganisationScopedModelAdmin):
    form = ContactRequestForm
    list_display = [
        "__str__",
        "first_name",
        "wish",
        "status",
        "matched_peer",
        "organisation",
        "created_at",
    ]
    list_filter = ["status", "wish", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["matched_peer", "organisation"]
    search_fields = ["first_name", "email", "phone"]
    fieldsets = [
        (
            None,
            {
                "description": accompaniment_rules.NOT_A_PARTY,
                "fields": [
                    "organisation",
                    "first_name",
                    "phone",
                    "email",
                    "wish",
                    "status",
                    "matched_peer",
                    "other_peers",
                    "matched_at",
                    "bridged_activity",
                    "bridging_status",
                    "created_at",
                ],
            },
        )
    ]
    readonly_fields = ["matched_at", "created_at"]

    def save_model(self, request, obj, form, change):
        peers_changed = bool({"matched_peer", "other_peers"} & {*form.changed_data})
        if obj.matched_peer is not None and peers_changed:
            # Saves the row first when it is new, then the group.
            if obj.pk is None:
                bridging_rules.contact_request_record(contact_request=obj)
            bridging_rules.contact_request_match(
                contact_request=obj,
                peer=obj.matched_peer,
                other_peers=list(form.cleaned_data["other_peers"]),
            )
        else:
            bridging_rules.contact_request_record(
                contact_request=obj, check_peer=bool(PEER_FIELDS & {*form.changed_data})
            )

    def save_related(self, request, form, formsets, change):
        # The group of peers was saved by contact_request_match, under its rule.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class AssociationActivityInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = AssociationActivity
    extra = 0
    fields = ["name", "when", "place"]


@admin.register(Association)
class AssociationAdmin(OrganisationScopedModelAdmin):
    list_display = ["name", "organisation", "contact", "website", "activity_count"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]
    search_fields = ["name", "activities__name"]
    fields = ["organisation", "name", "contact", "website"]
    inlines = [AssociationActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activities_total=Count("activities"))

    def get_readonly_fields(self, request, obj=None):
        # Citizens are bridged into its activities within this organisation.
        return ["organisation"] if obj else []

    @admin.display(description=_("aktiviteter"), ordering="activities_total")
    def activity_count(self, association):
        return association.activities_total


class BridgingForm(forms.ModelForm):
    class Meta:
        model = Bridging
        fields = ["participant", "activity", "status", "peer"]

    def clean(self):
        data = super().clean()
        peer_changed = self.instance.pk is None or bool({"peer", "activity"} & {*self.changed_data})
        problems = bridging_rules.bridging_problems(
            participant=data.get("participant"),
            activity=data.get("activity"),
            peer=data.get("peer"),
            check_peer=peer_changed,
        )
        _add_problems(self, problems)
        return data


@admin.register(Bridging)
class BridgingAdmin(AuditedAdminMixin, CitizenByNameMixin, OrganisationScopedModelAdmin):
    form = BridgingForm
    list_display = ["__str__", "participant_name", "activity", "status", "peer", "updated_on"]
    list_filter = ["status", ("activity__association", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["participant", "activity__association", "peer"]
    search_fields = ["participant__name", "activity__name", "activity__association__name"]
    fields = ["participant", "activity", "status", "peer", "updated_on"]
    readonly_fields = ["updated_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "activity":
            formfield.queryset = formfield.queryset.select_related("association")
        return formfield

    def save_model(self, request, obj, form, change):
        chosen = {
            name: form.cleaned_data[name] for name in ("participant", "activity", "status", "peer")
        }
        if change:
            saved = bridging_rules.bridging_update(bridging=obj, **chosen)
        else:
            saved = bridging_rules.bridging_record(**chosen)
        _adopt(obj, saved)
