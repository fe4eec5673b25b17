"""Accompaniment (følgeskab) and its meetings. The forms call the same rule functions as the
services in volunteers/accompaniment.py, so an error is shown in Danish on the form and nothing
is saved."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.admin_site import (
    AuditedAdminMixin,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
)
from volunteers import accompaniment as accompaniment_rules
from volunteers.admin.common import CitizenByNameMixin, _add_problems, _adopt
from volunteers.models import Accompaniment, AccompanimentMeeting


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
        if self.value() == "ongoing":
            return queryset.ongoing()
        if self.value() == "ending_soon":
            return accompaniment_rules.accompaniments_ending(accompaniments=queryset, today=today)
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
    fieldsets = [
        (
            None,
            {
                "description": accompaniment_rules.NOT_A_PARTY,
                "fields": [
                    "peer",
                    "participant",
                    "program",
                    "starts_on",
                    "planned_end_on",
                    "ended_on",
                    "end_reason",
                    "created_by",
                    "created_at",
                ],
            },
        )
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
