"""The workspace's forms about facilitators: picking someone for a course (or as a
substitute) and confirming that someone is taken off a course."""

from collections.abc import Iterable

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.models import Course
from volunteers.facilitators import Candidate
from volunteers.models import CourseFacilitator, Peer


class FacilitatorPickForm(forms.Form):
    """One person of the course's organisation. The list offers only those who may be
    assigned (`candidates` without problems); anyone else of the organisation who is sent is
    refused by the service with the reasons, and someone of another organisation by the
    field, without naming them."""

    peer = forms.ModelChoiceField(
        queryset=Peer.objects.none(),
        label=_("Facilitator"),
        error_messages={
            "required": _("Vælg en facilitator."),
            "invalid_choice": _("Vælg en facilitator fra forløbets organisation."),
        },
    )

    def __init__(
        self,
        *args,
        course: Course,
        candidates: Iterable[Candidate] = (),
        action: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.course = course
        field = self.fields["peer"]
        field.queryset = Peer.objects.filter(
            organisation_id=course.program.organisation_id, anonymised_at__isnull=True
        )
        field.choices = [("", _("Vælg …"))] + [
            (c.peer.pk, f"{c.peer.name} ({c.peer.get_kind_display().lower()})")
            for c in candidates
            if not c.problems
        ]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.add_input(Submit("assign", _("Tilknyt")))

    def clean_peer(self):
        peer = self.cleaned_data["peer"]
        if CourseFacilitator.objects.filter(course=self.course, peer=peer).exists():
            raise ValidationError(
                _("%(name)s er allerede facilitator på forløbet."), params={"name": peer.name}
            )
        return peer


class UnassignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, tag facilitatoren af forløbet"),
        error_messages={"required": _("Sæt kryds for at bekræfte.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("unassign", _("Tag af forløbet"), css_class="btn-danger"))
