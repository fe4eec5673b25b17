"""Facilitators and what qualifies them: the peer with its training, supervision, signatures,
child-protection certificates and status changes; declarations; training modules."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram.admin_site import (
    AuditedAdminMixin,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
)
from peerprogram.permissions import NOBODY, may_see_certificate_outcome
from peerprogram.privacy.person_requests import PersonRequestsAdminMixin
from volunteers import notices, privacy, services
from volunteers.admin.common import _add_problems
from volunteers.models import (
    ChildCertificate,
    Declaration,
    DeclarationSignature,
    Peer,
    StatusChange,
    SupervisionAttendance,
    TrainingModule,
    TrainingRecord,
)
from volunteers.qualification import certificate_problems


class PeerInline(OrganisationScopedAdminMixin, admin.TabularInline):
    """Records of a peer, in the organisation of the peer."""

    extra = 0


class TrainingRecordInline(PeerInline):
    model = TrainingRecord
    fields = ["module", "completed_on"]


class SupervisionInline(PeerInline):
    model = SupervisionAttendance
    fields = ["date", "note"]


class SignatureInline(PeerInline):
    model = DeclarationSignature
    fields = ["declaration", "signed_on"]


class ChildCertificateForm(forms.ModelForm):
    may_assess = False  # set by the inline from the user's permission

    class Meta:
        model = ChildCertificate
        fields = ["requested_on", "consent", "received_on", "renew_by"]

    def clean(self):
        data = super().clean()
        _add_problems(
            self,
            certificate_problems(
                outcome=data.get("outcome", self.instance.outcome),
                previous_outcome=self.instance.outcome,
                received_on=data.get("received_on"),
                may_assess=self.may_assess,
            ),
        )
        return data


class ChildCertificateFormSet(forms.BaseInlineFormSet):
    """Saves through `services.child_certificate_record`, which stamps an assessment."""

    user = None  # set by the inline

    def save_new(self, form, commit=True):
        certificate = super().save_new(form, commit=False)
        return services.child_certificate_record(certificate=certificate, user=self.user)

    def save_existing(self, form, obj, commit=True):
        certificate = form.save(commit=False)
        return services.child_certificate_record(certificate=certificate, user=self.user)


class ChildCertificateInline(PeerInline):
    """Dates and consent for everyone; the outcome only with the specific permission."""

    model = ChildCertificate
    form = ChildCertificateForm
    formset = ChildCertificateFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        may_assess = may_see_certificate_outcome(request.user)

        class UserBoundForm(formset.form):
            pass

        UserBoundForm.may_assess = may_assess

        class UserBoundFormSet(formset):
            form = UserBoundForm
            user = request.user

        return UserBoundFormSet

    def get_fields(self, request, obj=None):
        fields = ["requested_on", "consent", "received_on", "renew_by"]
        if may_see_certificate_outcome(request.user):
            fields += ["outcome", "assessed_by", "assessed_on"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["assessed_by", "assessed_on"] if may_see_certificate_outcome(request.user) else []


class StatusChangeInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["from_status", "to_status", "changed_at", "changed_by"]
    readonly_fields = fields
    can_delete = False
    add_needs = delete_needs = NOBODY


class CertificateExpiryFilter(admin.SimpleListFilter):
    title = _("børneattest")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return [
            ("expires_soon", _("Udløber inden for 30 dage")),
            ("expired", _("Udløbet")),
            ("missing", _("Ingen godkendt")),
        ]

    def queryset(self, request, queryset):
        today = datetime.date.today()
        approved = queryset.annotate(
            valid_until=Max(
                "certificates__renew_by",
                filter=Q(certificates__outcome=ChildCertificate.Outcome.APPROVED),
            )
        )
        if self.value() == "expires_soon":
            return approved.filter(
                valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=30)
            )
        if self.value() == "expired":
            return approved.filter(valid_until__lt=today)
        if self.value() == "missing":
            return queryset.exclude(certificates__outcome=ChildCertificate.Outcome.APPROVED)
        return queryset


@admin.register(Peer)
class PeerAdmin(PersonRequestsAdminMixin, AuditedAdminMixin, OrganisationScopedModelAdmin):
    list_display = ["name", "kind", "status", "organisation", "facilitates_groups", "accompanies"]
    list_filter = [
        "status",
        "kind",
        CertificateExpiryFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email"]
    list_select_related = ["organisation"]
    inlines = [
        TrainingRecordInline,
        SupervisionInline,
        SignatureInline,
        ChildCertificateInline,
        StatusChangeInline,
    ]
    fields = [
        "organisation",
        "kind",
        "name",
        "birth_year",
        "email",
        "phone",
        "sms_opt_in",
        "status",
        "facilitates_groups",
        "accompanies",
        "lived_experience",
        "availability",
        "user",
    ]
    readonly_fields = ["status", "user"]
    actions = ["mark_trained", "mark_active", "pause", "stop", "send_invitation"]
    privacy_kind = "peer"

    def privacy_export(self, request, obj):
        return privacy.peer_export(
            obj, include_certificate_outcome=may_see_certificate_outcome(request.user)
        )

    def privacy_anonymise(self, request, obj):
        return privacy.peer_anonymise(obj, user=request.user)

    def _set_status(self, request, queryset, status, label):
        for peer in queryset:
            services.peer_set_status(peer=peer, status=status, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d facilitator har nu status: %(status)s.",
                "%(count)d facilitatorer har nu status: %(status)s.",
                len(queryset),
            )
            % {"count": len(queryset), "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marker som uddannet"))
    def mark_trained(self, request, queryset):
        self._set_status(request, queryset, Peer.Status.TRAINED, Peer.Status.TRAINED.label)

    @admin.action(description=_("Marker som aktiv"))
    def mark_active(self, request, queryset):
        self._set_status(request, queryset, Peer.Status.ACTIVE, Peer.Status.ACTIVE.label)

    @admin.action(description=_("Sæt på pause"))
    def pause(self, request, queryset):
        self._set_status(request, queryset, Peer.Status.PAUSED, Peer.Status.PAUSED.label)

    @admin.action(description=_("Marker som stoppet"))
    def stop(self, request, queryset):
        # Retention counts from this change (volunteers.privacy).
        self._set_status(request, queryset, Peer.Status.STOPPED, Peer.Status.STOPPED.label)

    @admin.action(description=_("Send invitation til peer-portalen"))
    def send_invitation(self, request, queryset):
        invited = 0
        for peer in queryset:
            if not peer.email:
                self.message_user(
                    request,
                    _("%(name)s har ingen e-mail, så invitationen kan ikke sendes.")
                    % {"name": peer.name},
                    messages.WARNING,
                )
                continue
            notices.peer_invite(peer=peer)
            invited += 1
        if invited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation er sendt.", "%(count)d invitationer er sendt.", invited
                )
                % {"count": invited},
                messages.SUCCESS,
            )


@admin.register(Declaration)
class DeclarationAdmin(OrganisationScopedModelAdmin):
    list_display = ["version", "organisation", "published_on"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        # A signed version must stay as it was signed; publish a new version instead.
        return ["organisation", "version", "text", "published_on"] if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            notices.declaration_published(declaration=obj)


@admin.register(TrainingModule)
class TrainingModuleAdmin(OrganisationScopedModelAdmin):
    list_display = ["name", "organisation", "order"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]
