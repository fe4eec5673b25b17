from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.models import Course
from participants import privacy, services
from participants.models import Attendance, Participant, Registration
from participants.printables import attendance_sheet_response
from peerprogram.admin_site import (
    AuditedAdminMixin,
    MunicipalityListFilter,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
    PhoneSearchMixin,
)
from peerprogram.municipalities import MUNICIPALITY_CHOICES, is_municipality, municipality_name
from peerprogram.permissions import NOBODY, get_object_for_user
from peerprogram.privacy.person_requests import PersonRequestsAdminMixin


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Gemmes på tilmeldingen sammen med hvem og hvornår."),
    )
    course = forms.ModelChoiceField(label=_("Nyt forløb"), queryset=Course.objects.none())


class RegistrationInline(OrganisationScopedAdminMixin, admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["course", "status", "waitlist_position", "created_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    add_needs = delete_needs = NOBODY


@admin.register(Participant)
class ParticipantAdmin(
    PhoneSearchMixin, PersonRequestsAdminMixin, AuditedAdminMixin, OrganisationScopedModelAdmin
):
    list_display = ["__str__", "name", "organisation", "municipality_label", "created_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), MunicipalityListFilter]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["organisation"]
    inlines = [RegistrationInline]
    fields = ["organisation", "name", "email", "phone", "sms_opt_in", "birth_date", "municipality"]

    privacy_kind = "participant"
    # People register through the public form (coordinators too, on a citizen's behalf).
    add_needs = NOBODY

    def privacy_export(self, request, obj):
        return privacy.participant_export(obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            # Stored as the code, chosen by name (the public form asks the same way).
            return forms.ChoiceField(label=_("Kommune"), choices=MUNICIPALITY_CHOICES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Kommune"), ordering="municipality")
    def municipality_label(self, obj):
        return municipality_name(obj.municipality) if is_municipality(obj.municipality) else "–"

    def privacy_anonymise(self, request, obj):
        return privacy.participant_anonymise(obj, user=request.user)


def _status_decision(name, status, description):
    """An admin action that sets `status` after asking for the reason."""

    def action(modeladmin, request, queryset):
        return modeladmin._decide(
            request,
            queryset,
            name,
            description,
            lambda r, user, data: services.registration_decide(
                registration=r, status=status, user=user, note=data["note"]
            ),
        )

    action.__name__ = name
    return admin.action(description=description)(action)


class CourseListFilter(admin.RelatedOnlyFieldListFilter):
    """The courses of the listed registrations; a course is named with its programme, read in
    the same query (one query, not one a course)."""

    def field_choices(self, field, request, model_admin):
        listed = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        courses = Course.objects.filter(pk__in=listed).select_related("program")
        if ordering := self.field_admin_ordering(field, request, model_admin):
            courses = courses.order_by(*ordering)
        return [(course.pk, str(course)) for course in courses]


@admin.register(Registration)
class RegistrationAdmin(AuditedAdminMixin, OrganisationScopedModelAdmin):
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
        ("course", CourseListFilter),
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
        "second_guardian_name",
        "second_guardian_email",
        "second_guardian_phone",
        "hold_until",
        "registered_with",
        "takes_seat",
        "decided_by",
        "decided_at",
        "decision_note",
        "decision_message",
        "contact_log_entries",
        "created_at",
        "accepted_at",
        "status_changed_at",
        "dropout_override",
    ]
    # The answers and result stay as given; every change is a recorded decision (actions).
    # Only the coordinator's judgement on dropout is edited here.
    readonly_fields = [field for field in fields if field != "dropout_override"]
    add_needs = delete_needs = NOBODY

    def get_urls(self):
        return [
            path(
                "attendance-sheet/<int:course_id>/",
                self.admin_site.admin_view(self.attendance_sheet_view),
                name="participants_registration_attendance_sheet",
            ),
            *super().get_urls(),
        ]

    def attendance_sheet_view(self, request, course_id):
        course = get_object_for_user(
            Course.objects.select_related("program__organisation"), request.user, pk=course_id
        )
        return attendance_sheet_response(course=course, user=request.user)

    @admin.display(description=_("navn"), ordering="participant__name")
    def participant_name(self, registration):
        return registration.participant.name

    @admin.display(description=_("kontaktlog"))
    def contact_log_entries(self, registration):
        """Read here; written on the workspace's registration page."""
        entries = registration.contact_log.select_related("user")
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308 - a fixed tag
                "{} · {} · {} {}",
                (
                    (
                        date_format(entry.day, "SHORT_DATE_FORMAT"),
                        entry.get_kind_display(),
                        entry.user or "–",
                        entry.note,
                    )
                    for entry in entries
                ),
            )
            or "–"
        )

    @admin.display(description=_("vurdering"))
    def eligibility_outcome(self, registration):
        return {
            "eligible": _("Passer"),
            "needs_conversation": _("Skal tales med"),
        }.get(registration.eligibility_result.get("outcome"), "–")

    def _decide(self, request, queryset, action, title, decide, needs_course=False):
        """Ask for the reason (and the new course when moving), then decide each one."""
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
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/action_form.html",
                {
                    **self.admin_site.each_context(request),
                    "title": title,
                    "intro": _("Det gælder disse tilmeldinger:"),
                    "objects": [
                        f"{r} – {r.participant.name}, {r.course} ({r.get_status_display()})"
                        for r in queryset
                    ],
                    "form": form,
                    "action": action,
                    "selected": [r.pk for r in queryset],
                    "opts": self.opts,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for registration in queryset:
            try:
                decide(registration, request.user, form.cleaned_data)
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

    accept = _status_decision("accept", Registration.Status.ACCEPTED, _("Optag"))
    decline = _status_decision("decline", Registration.Status.DECLINED, _("Afvis"))
    waitlist = _status_decision("waitlist", Registration.Status.WAITLISTED, _("Sæt på venteliste"))
    mark_completed = _status_decision(
        "mark_completed", Registration.Status.COMPLETED, _("Marker som gennemført")
    )
    mark_dropped_out = _status_decision(
        "mark_dropped_out", Registration.Status.DROPPED_OUT, _("Marker som stoppet undervejs")
    )

    @admin.action(description=_("Flyt til et andet forløb"))
    def move(self, request, queryset):
        return self._decide(
            request,
            queryset,
            "move",
            _("Flyt til et andet forløb"),
            lambda r, user, data: services.registration_move(
                registration=r, course=data["course"], user=user, note=data["note"]
            ),
            needs_course=True,
        )


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdminMixin, OrganisationScopedModelAdmin):
    """Coordinators keep attendance too; it never leaves the organisation."""

    list_display = ["__str__", "session", "participant_first_name", "status", "recorded_at"]
    list_filter = ["status", ("session__course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["session__course", "registration__participant"]
    fields = ["session", "registration", "status"]

    @admin.display(description=_("deltager"))
    def participant_first_name(self, attendance):
        return attendance.registration.participant.name.split()[0]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
