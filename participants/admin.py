from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.models import Course
from participants import services
from participants.models import Participant, Registration
from peerprogram.admin import OrganisationScopedModelAdmin


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Gemmes på tilmeldingen sammen med hvem og hvornår."),
    )
    course = forms.ModelChoiceField(label=_("Nyt forløb"), queryset=Course.objects.none())


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["course", "status", "waitlist_position", "created_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(OrganisationScopedModelAdmin):
    list_display = ["__str__", "name", "organisation", "municipality", "created_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["organisation"]
    inlines = [RegistrationInline]
    fields = ["organisation", "name", "email", "phone", "sms_opt_in", "birth_date", "municipality"]

    def has_add_permission(self, request, *args):
        # People register through the public form (coordinators too, on a citizen's behalf).
        return False


@admin.register(Registration)
class RegistrationAdmin(OrganisationScopedModelAdmin):
    list_display = [
        "__str__",
        "participant_name",
        "course",
        "status",
        "waitlist_position",
        "eligibility_outcome",
        "registered_by",
        "created_at",
    ]
    list_filter = [
        "status",
        ("course__program", admin.RelatedOnlyFieldListFilter),
        ("course", admin.RelatedOnlyFieldListFilter),
        "referral_source",
    ]
    search_fields = ["participant__name", "course__title"]
    list_select_related = ["participant", "course__program", "registered_by"]
    actions = ["accept", "decline", "waitlist", "move", "mark_completed", "mark_dropped_out"]
    fields = [
        "participant",
        "course",
        "status",
        "waitlist_position",
        "eligibility_answers",
        "eligibility_result",
        "referral_source",
        "wants_accompaniment",
        "registered_by",
        "citizen_agreed",
        "privacy_notice_version",
        "consent_given_at",
        "guardian_name",
        "guardian_email",
        "guardian_phone",
        "guardian_consent_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    ]
    # The answers and result stay as given; every change is a recorded decision (actions).
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("navn"), ordering="participant__name")
    def participant_name(self, registration):
        return registration.participant.name

    @admin.display(description=_("vurdering"))
    def eligibility_outcome(self, registration):
        return {
            "eligible": _("Passer"),
            "needs_conversation": _("Skal tales med"),
        }.get(registration.eligibility_result.get("outcome"), "–")

    def _decide(self, request, queryset, action, decide, title, needs_course=False):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if needs_course:
            organisations = {r.course.program.organisation_id for r in queryset}
            form.fields["course"].queryset = (
                Course.objects.for_user(request.user)
                .filter(program__organisation__in=organisations)
                .taking_registrations()
                .select_related("program")
            )
        else:
            del form.fields["course"]
        if form.is_valid():
            done = 0
            for registration in queryset:
                try:
                    decide(registration, form.cleaned_data)
                    done += 1
                except ValidationError as error:
                    self.message_user(
                        request, f"{registration}: {' '.join(error.messages)}", messages.ERROR
                    )
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d tilmelding er opdateret.",
                        "%(count)d tilmeldinger er opdateret.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/participants/registration/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "registrations": queryset,
                "form": form,
                "action": action,
                "opts": self.opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Optag"))
    def accept(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "accept",
            lambda r, data: services.registration_accept(
                registration=r, user=request.user, note=data["note"]
            ),
            _("Optag"),
        )

    @admin.action(description=_("Afvis"))
    def decline(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "decline",
            lambda r, data: services.registration_decline(
                registration=r, user=request.user, note=data["note"]
            ),
            _("Afvis"),
        )

    @admin.action(description=_("Sæt på venteliste"))
    def waitlist(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "waitlist",
            lambda r, data: services.registration_waitlist(
                registration=r, user=request.user, note=data["note"]
            ),
            _("Sæt på venteliste"),
        )

    @admin.action(description=_("Flyt til et andet forløb"))
    def move(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "move",
            lambda r, data: services.registration_move(
                registration=r, course=data["course"], user=request.user, note=data["note"]
            ),
            _("Flyt til et andet forløb"),
            needs_course=True,
        )

    @admin.action(description=_("Marker som gennemført"))
    def mark_completed(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "mark_completed",
            lambda r, data: services.registration_set_outcome(
                registration=r,
                status=Registration.Status.COMPLETED,
                user=request.user,
                note=data["note"],
            ),
            _("Marker som gennemført"),
        )

    @admin.action(description=_("Marker som stoppet undervejs"))
    def mark_dropped_out(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "mark_dropped_out",
            lambda r, data: services.registration_set_outcome(
                registration=r,
                status=Registration.Status.DROPPED_OUT,
                user=request.user,
                note=data["note"],
            ),
            _("Marker som stoppet undervejs"),
        )
