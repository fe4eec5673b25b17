import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import CourseAdmin
from groups.models import Course
from peerprogram.admin import OrganisationScopedAdminMixin, OrganisationScopedModelAdmin
from volunteers import services
from volunteers.models import (
    ChildCertificate,
    CourseFacilitator,
    Declaration,
    DeclarationSignature,
    Peer,
    StatusChange,
    SupervisionAttendance,
    TrainingModule,
    TrainingRecord,
)
from volunteers.qualification import add_months, assignment_problems

OUTCOME_PERMISSION = "volunteers.view_certificate_outcome"


class PeerInline(admin.TabularInline):
    extra = 0

    # Records of a peer are reached through the peer, whose organisation is already scoped.
    def has_view_permission(self, request, obj=None):
        return True

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class TrainingRecordInline(PeerInline):
    model = TrainingRecord
    fields = ["module", "completed_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "module":
            field.queryset = TrainingModule.objects.for_user(request.user)
        return field


class SupervisionInline(PeerInline):
    model = SupervisionAttendance
    fields = ["date", "note"]


class SignatureInline(PeerInline):
    model = DeclarationSignature
    fields = ["declaration", "signed_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "declaration":
            field.queryset = Declaration.objects.for_user(request.user)
        return field


class ChildCertificateInline(PeerInline):
    """Dates and consent for everyone; the outcome only with the specific permission."""

    model = ChildCertificate

    def get_fields(self, request, obj=None):
        fields = ["requested_on", "consent", "received_on", "renew_by"]
        if request.user.has_perm(OUTCOME_PERMISSION):
            fields += ["outcome", "assessed_by", "assessed_on"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["assessed_by", "assessed_on"] if request.user.has_perm(OUTCOME_PERMISSION) else []


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["from_status", "to_status", "changed_at", "changed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


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
            valid_until=Max("certificates__renew_by", filter=Q(certificates__outcome="approved"))
        )
        if self.value() == "expires_soon":
            return approved.filter(
                valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=30)
            )
        if self.value() == "expired":
            return approved.filter(valid_until__lt=today)
        if self.value() == "missing":
            return queryset.exclude(certificates__outcome="approved")
        return queryset


@admin.register(Peer)
class PeerAdmin(OrganisationScopedModelAdmin):
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
    actions = ["mark_trained", "mark_active", "pause"]

    def save_formset(self, request, form, formset, change):
        if formset.model is ChildCertificate and request.user.has_perm(OUTCOME_PERMISSION):
            for certificate_form in formset.forms:
                certificate = certificate_form.instance
                if "outcome" in certificate_form.changed_data and certificate.outcome in (
                    ChildCertificate.Outcome.APPROVED,
                    ChildCertificate.Outcome.NOT_APPROVED,
                ):
                    certificate.assessed_by = request.user
                    certificate.assessed_on = datetime.date.today()
                    if certificate.outcome == ChildCertificate.Outcome.APPROVED and not (
                        certificate.renew_by
                    ):
                        certificate.renew_by = add_months(
                            certificate.assessed_on, self._renewal_months()
                        )
        super().save_formset(request, form, formset, change)

    @staticmethod
    def _renewal_months():
        from django.conf import settings

        return settings.CHILD_CERTIFICATE_RENEWAL_MONTHS

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


@admin.register(Declaration)
class DeclarationAdmin(OrganisationScopedModelAdmin):
    list_display = ["version", "organisation", "published_on"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(OrganisationScopedModelAdmin):
    list_display = ["name", "organisation", "order"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]


class CourseFacilitatorForm(forms.ModelForm):
    parent_course = None  # set by the inline to the course being edited

    class Meta:
        model = CourseFacilitator
        fields = ["peer"]

    def clean(self):
        data = super().clean()
        peer, course = data.get("peer"), self.parent_course
        if peer and course:
            problems = assignment_problems(peer, course)
            if problems:
                raise ValidationError(problems)
        return data


class CourseFacilitatorInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = CourseFacilitator
    form = CourseFacilitatorForm
    extra = 0
    fields = ["peer"]
    verbose_name = _("facilitator")
    verbose_name_plural = _("facilitatorer")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class CourseBoundForm(formset.form):
            parent_course = obj

        formset.form = CourseBoundForm
        return formset


admin.site.unregister(Course)


@admin.register(Course)
class CourseWithFacilitatorsAdmin(CourseAdmin):
    """The course admin with its facilitators: who is assigned, and how many are needed."""

    list_display = [*CourseAdmin.list_display, "facilitator_count"]

    def get_inlines(self, request, obj):
        # Facilitators are checked against the course, so they are added once it exists.
        inlines = super().get_inlines(request, obj)
        return [CourseFacilitatorInline, *inlines] if obj is not None else inlines

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(assigned_facilitators=Count("facilitators", distinct=True))
        )

    @admin.display(description=_("facilitatorer (tildelt/krævet)"))
    def facilitator_count(self, course):
        required = course.program.required_peers + course.program.required_professionals
        return f"{course.assigned_facilitators}/{required}"
