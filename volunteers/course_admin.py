"""What volunteers adds to the course admin (groups.admin.CourseAdmin), through the hook
`course_admin_extensions` (volunteers/receivers.py): the course's facilitators as an inline,
and a column with how many are assigned of how many are needed, and which kind is missing
(the list's query is annotated by `volunteers.staffing.with_staffing`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerprogram.admin_site import OrganisationScopedAdminMixin
from volunteers import services
from volunteers.models import CourseFacilitator
from volunteers.qualification import assignment_problems
from volunteers.staffing import course_staffing


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


class CourseFacilitatorFormSet(forms.BaseInlineFormSet):
    """Assignments are made, changed and removed through volunteers.services."""

    def save_new(self, form, commit=True):
        return services.facilitator_assign(course=self.instance, peer=form.cleaned_data["peer"])

    def save_existing(self, form, obj, commit=True):
        return services.facilitator_reassign(assignment=obj, peer=form.cleaned_data["peer"])

    def delete_existing(self, obj, commit=True):
        services.facilitator_unassign(assignment=obj)


class CourseFacilitatorInline(OrganisationScopedAdminMixin, admin.TabularInline):
    """Facilitators are checked against the course, so the hook adds them once it exists."""

    model = CourseFacilitator
    form = CourseFacilitatorForm
    formset = CourseFacilitatorFormSet
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


@admin.display(description=_("facilitatorer (tildelt/krævet)"))
def facilitator_count(course):
    """Assigned of required, and which kind is missing (volunteers.staffing)."""
    staffing = course_staffing(course)
    counts = f"{staffing.assigned}/{staffing.required}"
    return f"{counts} – {staffing.missing_text()}" if not staffing.is_met else counts
