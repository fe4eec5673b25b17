import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerprogram.contacts import contact_for
from peerprogram.models import Organisation
from peerprogram.phones import DanishPhoneFormField
from peerprogram.public_forms import HoneypotForm
from peerprogram.widgets import DateInput
from volunteers.models import ContactRequest


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


class ReachableForm(HoneypotForm):
    """A public form from someone we must be able to reach: a phone number, an e-mail or both."""

    phone = DanishPhoneFormField(
        label=_("Telefon"),
        required=False,
        help_text=_("8 cifre, fx 20 30 40 50. Skriv telefon, e-mail eller begge dele."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            self.add_error("phone", _("Skriv en e-mail eller et telefonnummer, så vi kan nå dig."))
        return data


class ContactRequestForm(ReachableForm):
    """The public "Kontakt en peer" form (from the contact card): just enough to call back."""

    field_order = ["first_name", "phone", "email", "wish"]

    first_name = forms.CharField(
        label=_("Dit fornavn"),
        max_length=60,
        help_text=_("Eller det, du gerne vil kaldes."),
    )
    wish = forms.ChoiceField(
        label=_("Hvad kunne du tænke dig?"),
        choices=ContactRequest.Wish.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        consent = []
        if organisation.data_protection_basis == Organisation.DataProtectionBasis.CONSENT:
            self.fields["consent"] = forms.BooleanField(
                label=_(
                    "Jeg giver samtykke til, at %(organisation)s gemmer mine oplysninger for "
                    "at kontakte mig om en peer"
                )
                % {"organisation": organisation.name},
                help_text=_("Du kan altid trække dit samtykke tilbage ved at kontakte %(contact)s.")
                % {"contact": contact_for(organisation=organisation)},
            )
            consent = ["consent"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Fieldset(_("Om dig"), "first_name", "phone", "email"),
            Fieldset(_("Dit ønske"), "wish", *consent),
            *self.honeypot_layout(),
            Submit("submit", _("Send"), css_class="btn-lg"),
        )


class PeerApplicationForm(ReachableForm):
    """The public "Bliv frivillig peer" form. What an applicant writes about their own
    experience is health data: it needs their explicit consent (GDPR art. 9(2)(a))."""

    field_order = ["name", "phone", "email", "lived_experience", "availability"]

    name = forms.CharField(label=_("Fulde navn"), max_length=120)
    lived_experience = forms.CharField(
        label=_("Dine egne erfaringer, med dine egne ord"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kort: hvad du selv har været igennem, og hvad der hjalp dig. Du behøver ikke "
            "skrive diagnoser. Højst 300 tegn."
        ),
    )
    availability = forms.CharField(
        label=_("Hvornår kan du typisk?"),
        max_length=200,
        required=False,
        help_text=_("Fx “hverdage efter kl. 16” eller “en formiddag om ugen”."),
    )
    health_data_consent = forms.BooleanField(
        label=_("Jeg giver mit udtrykkelige samtykke"),
        help_text=_(
            "Grundlag: dit udtrykkelige samtykke (databeskyttelsesforordningen art. 6, stk. 1, "
            "litra a, og art. 9, stk. 2, litra a). Du kan altid trække det tilbage."
        ),
        error_messages={
            "required": _("Vi kan kun modtage ansøgningen, hvis du giver dit samtykke.")
        },
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["health_data_consent"].label = _(
            "Jeg giver udtrykkeligt samtykke til, at %(organisation)s behandler det, jeg skriver "
            "om mine egne erfaringer (helbredsoplysninger), for at vurdere min ansøgning og "
            "kontakte mig"
        ) % {"organisation": organisation.name}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Fieldset(_("Om dig"), "name", "phone", "email"),
            Fieldset(_("Dine erfaringer"), "lived_experience", "availability"),
            Fieldset(_("Samtykke"), "health_data_consent"),
            *self.honeypot_layout(),
            Submit("submit", _("Send ansøgning"), css_class="btn-lg"),
        )
