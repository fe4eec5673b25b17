"""The forms of the workspace's registration page: the contact log and the decisions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import Course
from participants.models import ContactLogEntry
from peerprogram.widgets import DateInput


class ContactLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hvad skete der?"), choices=ContactLogEntry.Kind.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kort og sagligt: det, en kollega skal vide. Personen kan få den udleveret."),
    )
    day = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.add_input(Submit("contact", _("Skriv i loggen"), css_class="btn-primary"))


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(course)s, starter %(date)s") % {
            "course": obj.title,
            "date": date_format(obj.first_date, "SHORT_DATE_FORMAT"),
        }


class DecisionForm(forms.Form):
    """A decision on a registration: the internal note, the message to the citizen, and for
    a move the course. With `confirming`, the fields ride along hidden under the preview, so
    what is sent is exactly what was previewed."""

    course = CourseChoiceField(
        label=_("Nyt forløb"),
        queryset=Course.objects.none(),
        error_messages={
            "invalid_choice": _("Vælg et af programmets andre forløb, der tager imod tilmeldinger.")
        },
    )
    note = forms.CharField(
        label=_("Intern note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gemmes på tilmeldingen sammen med hvem og hvornår. Sendes aldrig."),
    )
    message = forms.CharField(
        label=_("Besked til borgeren"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kommer med i beskeden om beslutningen. Du ser beskeden, før den sendes."),
    )

    def __init__(self, *args, courses=None, confirming=False, **kwargs):
        super().__init__(*args, **kwargs)
        if courses is None:
            del self.fields["course"]
        else:
            self.fields["course"].queryset = courses
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        if confirming:
            for field in self.fields.values():
                field.widget = forms.HiddenInput()
