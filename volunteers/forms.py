import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerprogram.widgets import DateInput


class ConcernForm(forms.Form):
    """Only that a concern was passed on: no description of the child or the worry."""

    passed_on = forms.DateField(label=_("Givet videre den"), widget=DateInput())
    passed_to = forms.CharField(
        label=_("Givet videre til"),
        max_length=200,
        help_text=_(
            "Hvem i kommunen, fx “Børn og Familie, vagthavende rådgiver”. Ingen navne på barnet."
        ),
    )
    receipt_on = forms.DateField(
        label=_("Kvittering modtaget den"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True
        self.helper.form_tag = False
        self.helper.add_input(
            Submit("concern", _("Registrér underretning"), css_class="btn-outline-primary")
        )

    def clean(self):
        data = super().clean()
        if data.get("passed_on") and data["passed_on"] > datetime.date.today():
            self.add_error("passed_on", _("Datoen ligger i fremtiden."))
        if (
            data.get("receipt_on")
            and data.get("passed_on")
            and data["receipt_on"] < data["passed_on"]
        ):
            raise ValidationError(
                _("Kvitteringen kan ikke være modtaget, før underretningen blev givet.")
            )
        return data
