from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from groups.audience import course_involves_children_under
from groups.models import Program
from participants.eligibility import age_on, course_rules, questions_for
from participants.models import (
    CUSTODY_AGE,
    Registration,
    under_custody_age,
    validate_birth_date,
)
from participants.services import RegistrationRequest
from peerprogram.models import Organisation
from peerprogram.municipalities import MUNICIPALITY_CHOICES
from peerprogram.phones import DanishPhoneFormField, danish_phone_e164
from peerprogram.public_forms import HoneypotForm
from peerprogram.widgets import DateInput, QuickSelect


def jsonable(answers: dict) -> dict:
    """The answers with dates as ISO text, as stored with a registration."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in answers.items()
    }


YES_NO_UNKNOWN = [("yes", _("Ja")), ("no", _("Nej")), ("unknown", _("Ved ikke"))]
ADULT_AGE = 18


class RegistrationForm(HoneypotForm):
    """The public registration form; its questions follow the programme's rules."""

    #: The person filling in the form may give the custody holder's consent (the public form,
    #: filled in by a parent). Staff may not: a child under 15 then waits for the custody
    #: holders' own confirmation (participants.services).
    custody_holder_consents = True

    name = forms.CharField(label=_("Fulde navn"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = DanishPhoneFormField(
        label=_("Mobilnummer"),
        required=False,
        help_text=_(
            "8 cifre, fx 20 30 40 50. Skriv e-mail, mobilnummer eller begge dele. Bekræftelsen, "
            "svaret på din tilmelding og ændringer af tid og sted sender vi til begge dele: "
            "på e-mail, hvis du skriver en, og som SMS, hvis du skriver et mobilnummer."
        ),
    )
    sms_opt_in = forms.BooleanField(
        label=_("Send mig også påmindelser som SMS"),
        required=False,
        help_text=_(
            "Påmindelsen før hver gang sender vi på e-mail. Som SMS får du den kun, hvis du "
            "sætter kryds her."
        ),
    )
    birth_date = forms.DateField(
        label=_("Fødselsdato"), widget=DateInput(), validators=[validate_birth_date]
    )
    municipality = forms.ChoiceField(
        label=_("Kommune, du bor i"),
        choices=[("", _("Vælg kommune")), *MUNICIPALITY_CHOICES],
        widget=QuickSelect,
    )
    referral_source = forms.ChoiceField(
        label=_("Hvordan hørte du om forløbet?"),
        required=False,
        choices=[("", _("Vælg, hvis du vil")), *Registration.ReferralSource.choices],
    )
    honeypot_message = _("Tilmeldingen kunne ikke sendes. Prøv igen.")

    def __init__(self, *args, course, registered_by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        program: Program = course.program
        self.questions = questions_for(course_rules(program.eligibility_rules, course=course))
        self.registered_by = registered_by
        rule_fields = []
        for question in self.questions:
            rule_fields += self._add_question(question)
        extra = []
        if program.offers_accompaniment:
            self.fields["wants_accompaniment"] = forms.BooleanField(
                label=_("Jeg vil gerne høre om individuelt følgeskab af en frivillig"),
                required=False,
                help_text=_("Følgeskab varer højst %(months)d måneder.")
                % {"months": program.accompaniment_limit_months}
                if program.accompaniment_limit_months
                else "",
            )
            extra.append("wants_accompaniment")
        self.asks_guardian = course_involves_children_under(course, CUSTODY_AGE)
        # Parent groups (adults) never come here: course_involves_children_under says no and
        # they do not let parents join a child.
        self.asks_parent = program.parents_join
        self.asks_second_guardian = self.asks_guardian and (
            program.organisation.custody_confirmations_required
            == Organisation.CustodyConfirmations.BOTH
        )
        guardian = []
        if self.asks_guardian or self.asks_parent:
            self.fields["guardian_name"] = forms.CharField(
                label=_("Forælders eller værges navn"), required=False, max_length=120
            )
            self.fields["guardian_email"] = forms.EmailField(
                label=_("Forælders e-mail"), required=False, max_length=254
            )
            self.fields["guardian_phone"] = DanishPhoneFormField(
                label=_("Forælders mobilnummer"), required=False
            )
            guardian = ["guardian_name", "guardian_email", "guardian_phone"]
            if self.custody_holder_consents:
                self.fields["guardian_consent"] = forms.BooleanField(
                    label=_(
                        "Jeg har forældremyndigheden og giver samtykke til, at barnet deltager, "
                        "og at oplysningerne her bruges til forløbet"
                    ),
                    required=False,
                )
                guardian.append("guardian_consent")
        if self.asks_second_guardian:
            self.fields["second_guardian_name"] = forms.CharField(
                label=_("Den anden forælders navn"),
                required=False,
                max_length=120,
                help_text=_(
                    "Begge, der har forældremyndigheden, skal bekræfte tilmeldingen af et barn "
                    "under 15 år. Vi sender hver af jer et link."
                ),
            )
            self.fields["second_guardian_email"] = forms.EmailField(
                label=_("Den anden forælders e-mail"), required=False, max_length=254
            )
            self.fields["second_guardian_phone"] = DanishPhoneFormField(
                label=_("Den anden forælders mobilnummer"), required=False
            )
            guardian += ["second_guardian_name", "second_guardian_email", "second_guardian_phone"]
        if self.asks_parent:
            self.fields["parent_joins"] = forms.BooleanField(
                label=_("Jeg deltager selv i forløbet sammen med barnet"),
                required=False,
                help_text=_("Så tilmelder vi jer begge: I får plads sammen eller venter sammen."),
            )
            self.fields["parent_birth_date"] = forms.DateField(
                label=_("Din egen fødselsdato (forælder)"),
                required=False,
                widget=DateInput(),
                validators=[validate_birth_date],
                help_text=_("Kun hvis du deltager selv."),
            )
            guardian += ["parent_joins", "parent_birth_date"]
        organisation = program.organisation
        consent = []
        if organisation.data_protection_basis == Organisation.DataProtectionBasis.CONSENT:
            self.fields["consent"] = forms.BooleanField(
                label=_(
                    "Jeg giver samtykke til, at %(organisation)s behandler mine oplysninger, "
                    "herunder helbredsoplysninger, for at give mig en plads i forløbet"
                )
                % {"organisation": organisation.name},
                help_text=_("Du kan altid trække dit samtykke tilbage ved at framelde dig."),
            )
            consent = ["consent"]
        on_behalf = []
        if registered_by is not None:
            self.fields["citizen_agreed"] = forms.BooleanField(
                label=_("Borgeren har sagt ja til, at jeg tilmelder dem")
            )
            on_behalf = ["citizen_agreed"]

        person = ["name", "birth_date", "municipality", "email", "phone", "sms_opt_in"]
        last = ["referral_source", *extra, *consent, *on_behalf]
        # Fields in the order the page shows them, so the error summary lists them that way.
        self.order_fields([*person, *rule_fields, *guardian, *last])
        self._help_phones_fill_in(about_a_child=self.asks_guardian or self.asks_parent)

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Fieldset(_("Om dig"), *person),
            Fieldset(_("Passer forløbet til dig?"), *rule_fields) if rule_fields else HTML(""),
            Fieldset(_("Forælder eller værge"), *guardian) if guardian else HTML(""),
            Fieldset(_("Til sidst"), *last),
            *self.honeypot_layout(),
            Submit("submit", _("Tilmeld"), css_class="btn-lg"),
        )

    # What a phone's keyboard and autofill may offer each field (WCAG 1.3.5): the person's own
    # details, and the custody holder's when a parent fills in the form for a child.
    OWN_DETAILS = {"name": "name", "email": "email", "phone": "tel", "birth_date": "bday"}
    GUARDIAN_DETAILS = {
        "guardian_name": "name",
        "guardian_email": "email",
        "guardian_phone": "tel",
        "parent_birth_date": "bday",
    }

    def _help_phones_fill_in(self, *, about_a_child: bool) -> None:
        for name, field in self.fields.items():
            if name.endswith("phone"):
                field.widget.input_type = "tel"
                field.widget.attrs["inputmode"] = "tel"
        # A parent filling in a child's form must not have their own details offered for the
        # child's fields: only the custody holder's fields name the person at the keyboard.
        tokens = self.GUARDIAN_DETAILS if about_a_child else self.OWN_DETAILS
        for name, token in tokens.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token
        if about_a_child:
            for name in self.OWN_DETAILS:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def _add_question(self, question) -> list[str]:
        if question.kind == "child_birth_date":
            self.fields[question.key] = forms.DateField(
                label=question.label,
                help_text=question.help_text,
                widget=DateInput(),
                validators=[validate_birth_date],
            )
            return [question.key]
        if question.kind == "yes_no_unknown":
            self.fields[question.key] = forms.ChoiceField(
                label=question.label,
                help_text=question.help_text,
                choices=YES_NO_UNKNOWN,
                widget=forms.RadioSelect,
            )
            return [question.key]
        if question.kind == "months_or_unknown":
            self.fields[question.key] = forms.IntegerField(
                label=question.label,
                help_text=question.help_text,
                required=False,
                min_value=0,
                max_value=1200,
            )
            self.fields[question.key].widget.attrs["inputmode"] = "numeric"
            unknown = f"{question.key}_unknown"
            self.fields[unknown] = forms.BooleanField(label=_("Ved ikke"), required=False)
            return [question.key, unknown]
        return []

    def clean(self):
        data = super().clean()  # the honeypot first (peerprogram.public_forms)
        if not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Skriv en e-mail eller et mobilnummer, så vi kan nå dig."))
        if data.get("sms_opt_in") and not data.get("phone"):
            self.add_error("phone", _("Skriv dit mobilnummer, hvis du vil have SMS."))
        for question in self.questions:
            # "Ved ikke" is an answer of its own: a blank field is not taken to mean it.
            unknown = f"{question.key}_unknown"
            if (
                question.kind == "months_or_unknown"
                and question.key not in self.errors
                and data.get(question.key) is None
                and not data.get(unknown)
            ):
                self.add_error(
                    question.key, _("Skriv et antal måneder, eller sæt kryds i “Ved ikke”.")
                )
        birth_date = data.get("birth_date")
        parent_joins = bool(data.get("parent_joins"))
        if self._needs_guardian(birth_date) or parent_joins:
            if not data.get("guardian_name"):
                self.add_error(
                    "guardian_name", _("Skriv navnet på den, der har forældremyndigheden.")
                )
            if self.custody_holder_consents and not data.get("guardian_consent"):
                self.add_error(
                    "guardian_consent", _("Forælderen skal give samtykke for børn under 15.")
                )
            if not data.get("guardian_email") and not data.get("guardian_phone"):
                self.add_error("guardian_email", _("Skriv forælderens e-mail eller mobilnummer."))
        if self.asks_second_guardian and self._needs_guardian(birth_date):
            if not data.get("second_guardian_name"):
                self.add_error("second_guardian_name", _("Skriv navnet på den anden forælder."))
            if not data.get("second_guardian_email") and not data.get("second_guardian_phone"):
                self.add_error(
                    "second_guardian_email",
                    _("Skriv den anden forælders e-mail eller mobilnummer."),
                )
        if parent_joins:
            parent_birth_date = data.get("parent_birth_date")
            if not parent_birth_date:
                self.add_error("parent_birth_date", _("Skriv din egen fødselsdato."))
            elif age_on(parent_birth_date, self.course.first_date) < ADULT_AGE:
                self.add_error(
                    "parent_birth_date", _("Den forælder, der deltager, skal være mindst 18 år.")
                )
        return data

    def _needs_guardian(self, birth_date) -> bool:
        """A custody holder registers and confirms for a child under 15 on the start date."""
        return bool(
            self.asks_guardian and birth_date and under_custody_age(birth_date, self.course)
        )

    def registration_request(self) -> RegistrationRequest:
        """What the form says, for `participants.services.registration_submit`."""
        data = self.cleaned_data
        return RegistrationRequest(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            sms_opt_in=data["sms_opt_in"],
            birth_date=data["birth_date"],
            municipality=data["municipality"],
            answers=jsonable(self.answers()),
            referral_source=data.get("referral_source", ""),
            wants_accompaniment=data.get("wants_accompaniment", False),
            consent_given=data.get("consent", False),
            guardian_name=data.get("guardian_name", ""),
            guardian_email=data.get("guardian_email", ""),
            guardian_phone=data.get("guardian_phone", ""),
            guardian_consent=data.get("guardian_consent", False),
            second_guardian_name=data.get("second_guardian_name", ""),
            second_guardian_email=data.get("second_guardian_email", ""),
            second_guardian_phone=data.get("second_guardian_phone", ""),
            parent_birth_date=data.get("parent_birth_date") if data.get("parent_joins") else None,
            registered_by=self.registered_by,
            citizen_agreed=data.get("citizen_agreed", False),
            # The language the form was filled in (the page's): messages follow it.
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )

    def answers(self) -> dict:
        """The answers the eligibility rules read, JSON-ready, as the person gave them."""
        data = self.cleaned_data
        answers = {
            "birth_date": data["birth_date"],
            "municipality": data["municipality"],
        }
        for question in self.questions:
            answers[question.key] = data.get(question.key)
            if question.kind == "months_or_unknown":
                answers[f"{question.key}_unknown"] = data.get(f"{question.key}_unknown", False)
        return answers


class StatusLinkRequestForm(HoneypotForm):
    """Send me a new link: the e-mail address or mobile number the person registered with.
    Says nothing about whether it is known (participants.status_links)."""

    contact = forms.CharField(
        label=_("Din e-mail eller dit mobilnummer"),
        max_length=254,
        help_text=_("Den, du skrev, da du tilmeldte dig."),
    )
    honeypot_message = _("Din forespørgsel kunne ikke sendes. Prøv igen.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].widget.attrs.update({"autocomplete": "email"})
        self.helper = FormHelper()
        self.helper.form_action = "participants:status_link_request"
        self.helper.layout = Layout(
            "contact",
            *self.honeypot_layout(),
            Submit("submit", _("Send mig et nyt link")),
        )

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                forms.EmailField().clean(value)
            except forms.ValidationError:
                raise forms.ValidationError(self._problem()) from None
            return value.lower()
        try:
            return danish_phone_e164(value)
        except forms.ValidationError:
            raise forms.ValidationError(self._problem()) from None

    @staticmethod
    def _problem():
        return _(
            "Skriv den e-mail eller det mobilnummer, du tilmeldte dig med, "
            "fx navn@eksempel.dk eller 20 30 40 50."
        )

    def lookup(self) -> dict[str, str]:
        """The contact as `status_links_renew` takes it."""
        contact = self.cleaned_data["contact"]
        return {"email": contact} if "@" in contact else {"phone": contact}
