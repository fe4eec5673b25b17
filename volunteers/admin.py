import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram.admin_site import (
    AuditedAdminMixin,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
)
from peerprogram.permissions import NOBODY, may_see_certificate_outcome
from peerprogram.privacy.person_requests import PersonRequestsAdminMixin
from volunteers import accompaniment as accompaniment_rules
from volunteers import notices, privacy, services
from volunteers.models import (
    Accompaniment,
    AccompanimentMeeting,
    Association,
    AssociationActivity,
    Bridging,
    ChildCertificate,
    Concern,
    ContactRequest,
    Declaration,
    DeclarationSignature,
    Peer,
    StatusChange,
    SupervisionAttendance,
    TrainingModule,
    TrainingRecord,
)
from volunteers.qualification import certificate_problems


def _adopt(obj, saved):
    """Give the admin's object the row a service saved, so the inlines, the log entry and the
    redirect that follow see it as saved."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


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


@admin.register(Concern)
class ConcernAdmin(AuditedAdminMixin, OrganisationScopedModelAdmin):
    """Concerns passed to the municipality: for coordinators only, never in group notes."""

    list_display = ["__str__", "session", "reported_by", "passed_on", "passed_to", "receipt_on"]
    list_select_related = ["session__course", "reported_by"]
    fields = ["session", "reported_by", "passed_on", "passed_to", "receipt_on"]
    readonly_fields = ["session", "reported_by"]
    add_needs = NOBODY  # facilitators record them from the session page


# Accompaniment (følgeskab) and Ud i Livet's bridging (brobygning). The forms call the same
# rule functions as the services in volunteers/accompaniment.py, so an error is shown in
# Danish on the form and nothing is saved.


def _add_problems(form, problems):
    for field, field_problems in problems.items():
        form.add_error(field if field in form.fields else None, field_problems)


class CitizenByNameMixin:
    """Participants print as "Deltager #12"; a coordinator picking one needs the name."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "participant":
            formfield.label_from_instance = lambda p: f"{p.name} (#{p.pk})"
        return formfield

    @admin.display(description=_("borger"), ordering="participant__name")
    def participant_name(self, obj):
        return obj.participant.name


class AccompanimentForm(forms.ModelForm):
    class Meta:
        model = Accompaniment
        fields = [
            "peer",
            "participant",
            "program",
            "starts_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
        ]

    def clean(self):
        data = super().clean()
        program, starts_on = data.get("program"), data.get("starts_on")
        # Ending or moving the dates does not re-check a peer who was fine at the start.
        peer_changed = self.instance.pk is None or bool({"peer", "program"} & {*self.changed_data})
        planned_end_missing = "planned_end_on" not in self.errors and not data.get("planned_end_on")
        if program and starts_on and planned_end_missing:
            data["planned_end_on"] = accompaniment_rules.accompaniment_latest_end(
                program, starts_on
            )
        data["end_reason"] = accompaniment_rules.default_end_reason(
            ended_on=data.get("ended_on"),
            planned_end_on=data.get("planned_end_on"),
            end_reason=data.get("end_reason") or "",
        )
        problems = accompaniment_rules.accompaniment_problems(
            peer=data.get("peer"),
            participant=data.get("participant"),
            program=program,
            starts_on=starts_on,
            planned_end_on=data.get("planned_end_on"),
            ended_on=data.get("ended_on"),
            end_reason=data["end_reason"],
            pk=self.instance.pk,
            check_peer=peer_changed,
        )
        if self.instance.pk is None and data.get("ended_on"):
            # A finished accompaniment is recorded by starting it, then ending it: both
            # services' rules apply.
            starting = accompaniment_rules.accompaniment_problems(
                peer=data.get("peer"),
                participant=data.get("participant"),
                program=program,
                starts_on=starts_on,
                planned_end_on=data.get("planned_end_on"),
            )
            for field, found in starting.items():
                problems.setdefault(field, [])
                problems[field] += [problem for problem in found if problem not in problems[field]]
        _add_problems(self, problems)
        return data


class AccompanimentMeetingFormSet(forms.BaseInlineFormSet):
    """Checked with `meeting_problems` here so the form shows them; saved through the
    meeting services in volunteers.accompaniment."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            for problem in accompaniment_rules.meeting_problems(self.instance, data.get("date")):
                form.add_error("date", problem)

    def save_new(self, form, commit=True):
        data = form.cleaned_data
        return accompaniment_rules.accompaniment_meeting_add(
            accompaniment=self.instance, date=data["date"], kind=data["kind"], note=data["note"]
        )

    def save_existing(self, form, obj, commit=True):
        data = form.cleaned_data
        return accompaniment_rules.accompaniment_meeting_update(
            meeting=obj, date=data["date"], kind=data["kind"], note=data["note"]
        )

    def delete_existing(self, obj, commit=True):
        accompaniment_rules.accompaniment_meeting_delete(meeting=obj)


class AccompanimentMeetingInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = AccompanimentMeeting
    formset = AccompanimentMeetingFormSet
    extra = 0
    fields = ["date", "kind", "note"]


class AccompanimentStateFilter(admin.SimpleListFilter):
    title = _("forløb")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("ongoing", _("Igangværende")),
            ("ending_soon", _("Slutter inden for 14 dage")),
            ("overdue", _("Planlagt slut er overskredet")),
            ("ended", _("Afsluttet")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=accompaniment_rules.ENDING_NOTICE_DAYS)
        if self.value() == "ongoing":
            return queryset.ongoing()
        if self.value() == "ending_soon":
            return queryset.ongoing().filter(planned_end_on__gte=today, planned_end_on__lte=soon)
        if self.value() == "overdue":
            return queryset.ongoing().filter(planned_end_on__lt=today)
        if self.value() == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset


@admin.register(Accompaniment)
class AccompanimentAdmin(AuditedAdminMixin, CitizenByNameMixin, OrganisationScopedModelAdmin):
    form = AccompanimentForm
    list_display = [
        "__str__",
        "peer",
        "participant_name",
        "program",
        "starts_on",
        "planned_end_on",
        "ended_on",
        "end_reason",
    ]
    list_filter = [
        AccompanimentStateFilter,
        ("program", admin.RelatedOnlyFieldListFilter),
        "end_reason",
    ]
    list_select_related = ["peer", "participant", "program"]
    search_fields = ["participant__name", "peer__name"]
    inlines = [AccompanimentMeetingInline]
    fields = [
        "peer",
        "participant",
        "program",
        "starts_on",
        "planned_end_on",
        "ended_on",
        "end_reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        chosen = {name: data[name] for name in ("peer", "participant", "program", "starts_on")}
        ending = {"ended_on": data["ended_on"], "end_reason": data["end_reason"]}
        if not change:
            saved = accompaniment_rules.accompaniment_start(
                **chosen, planned_end_on=data["planned_end_on"], user=request.user
            )
            if data["ended_on"]:
                saved = accompaniment_rules.accompaniment_end(accompaniment=saved, **ending)
        elif (
            obj.ended_on
            and not form.initial.get("ended_on")
            and (set(form.changed_data) <= {"ended_on", "end_reason"})
        ):
            saved = accompaniment_rules.accompaniment_end(accompaniment=obj, **ending)
        else:
            saved = accompaniment_rules.accompaniment_update(
                accompaniment=obj, **chosen, planned_end_on=data["planned_end_on"], **ending
            )
        _adopt(obj, saved)


class ContactRequestForm(forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = ["organisation", "first_name", "phone", "email", "wish", "status", "matched_peer"]

    def clean(self):
        data = super().clean()
        if data.get("organisation") is None:
            return data
        problems = accompaniment_rules.contact_request_problems(
            organisation=data["organisation"],
            peer=data.get("matched_peer"),
            status=data.get("status"),
            check_peer=bool({"matched_peer", "organisation"} & {*self.changed_data}),
        )
        _add_problems(self, problems)
        return data


@admin.register(ContactRequest)
class ContactRequestAdmin(AuditedAdminMixin, OrganisationScopedModelAdmin):
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
    fields = [
        "organisation",
        "first_name",
        "phone",
        "email",
        "wish",
        "status",
        "matched_peer",
        "matched_at",
        "created_at",
    ]
    readonly_fields = ["matched_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.matched_peer is not None and "matched_peer" in form.changed_data:
            accompaniment_rules.contact_request_match(contact_request=obj, peer=obj.matched_peer)
        else:
            super().save_model(request, obj, form, change)


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
        problems = accompaniment_rules.bridging_problems(
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
            saved = accompaniment_rules.bridging_update(bridging=obj, **chosen)
        else:
            saved = accompaniment_rules.bridging_record(**chosen)
        _adopt(obj, saved)
