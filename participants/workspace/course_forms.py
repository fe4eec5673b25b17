"""Forms of the course page's actions in the workspace (participants.workspace.course_views)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Session
from participants.attendance import attendance_registrations
from participants.course_messages import BODY_MAX_LENGTH
from participants.forms import RegistrationForm
from participants.models import Attendance


class StaffRegistrationForm(RegistrationForm):
    """The public registration form, filled in by a coordinator for a citizen who phoned or
    walked in: the same questions and checks, the citizen's agreement confirmed
    (`citizen_agreed`, asked because `registered_by` is given), and no consent on a custody
    holder's behalf — they confirm a child under 15 themselves, through their own link."""

    custody_holder_consents = False


NOT_RECORDED = ""


class AttendanceForm(forms.Form):
    """One choice per accepted participant of a session: present, absent or notified absence
    (Attendance.Status), or left as not recorded."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        registrations = attendance_registrations(session).select_related("participant")
        recorded = dict(session.attendance.values_list("registration_id", "status"))
        self.rows = []
        for registration in registrations.order_by("participant__name", "pk"):
            name = f"attendance-{registration.pk}"
            self.fields[name] = forms.ChoiceField(
                label=registration.participant.name,
                required=False,
                choices=[(NOT_RECORDED, _("Ikke registreret")), *Attendance.Status.choices],
                initial=recorded.get(registration.pk, NOT_RECORDED),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.rows.append((registration, name))

    def marks(self) -> dict[int, str]:
        """{registration id: status} for every participant given a status."""
        return {
            registration.pk: self.cleaned_data[name]
            for registration, name in self.rows
            if self.cleaned_data.get(name)
        }

    def bound_rows(self):
        return [(registration, self[name]) for registration, name in self.rows]


class CourseMessageForm(forms.Form):
    """Who a message to a course reaches, and the coordinator's text."""

    to_participants = forms.BooleanField(label=_("Deltagere med plads"), required=False)
    to_waitlist = forms.BooleanField(label=_("Ventelisten"), required=False)
    to_facilitators = forms.BooleanField(label=_("Facilitatorer"), required=False)
    body = forms.CharField(
        label=_("Besked"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv beskeden, før den sendes.")},
        help_text=_(
            "E-mailen får emnet »Besked om dit forløb«, og SMS'en begynder med »Besked fra din "
            "gruppe:«. Skriv ikke noget om andre deltagere."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Fieldset(_("Modtagere"), "to_participants", "to_waitlist", "to_facilitators"),
            "body",
            Submit("preview", _("Se beskeden før afsendelse")),
        )

    def clean(self):
        data = super().clean()
        if not (
            data.get("to_participants") or data.get("to_waitlist") or data.get("to_facilitators")
        ):
            raise forms.ValidationError(_("Vælg hvem beskeden skal sendes til."))
        return data

    def recipients_and_body(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "to_participants": data["to_participants"],
            "to_waitlist": data["to_waitlist"],
            "to_facilitators": data["to_facilitators"],
        }
