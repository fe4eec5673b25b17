from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerprogram.contacts import validate_contact
from peerprogram.municipalities import is_municipality
from peerprogram.outbox.lock_screen import validate_sms_sender
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import (
    DanishPhoneField,
    validate_danish_help_phone,
    validate_danish_phone,
)

municipality_code_validator = RegexValidator(
    r"^\d{3}$", _("Kommunekoden er tre cifre, fx 350 for Lejre.")
)


class OrganisationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "pk"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        ASSOCIATION = "association", _("Forening / civilsamfund")

    class DataProtectionBasis(models.TextChoices):
        PUBLIC_TASK = (
            "public_task",
            _(
                "Myndighedsopgave (databeskyttelsesforordningen art. 6, stk. 1, litra e, "
                "og art. 9, stk. 2, litra g/h)"
            ),
        )
        CONSENT = (
            "consent",
            _(
                "Udtrykkeligt samtykke (databeskyttelsesforordningen art. 6, stk. 1, litra a, "
                "og art. 9, stk. 2, litra a)"
            ),
        )

    class CustodyConfirmations(models.TextChoices):
        ONE = "one", _("Én indehaver af forældremyndigheden")
        BOTH = "both", _("Begge indehavere af forældremyndigheden")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("kort navn i adresser"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    municipality_code = models.CharField(
        _("kommunekode"),
        max_length=3,
        blank=True,
        validators=[municipality_code_validator],
        help_text=_("Kun for kommuner: den trecifrede kommunekode."),
    )
    website = models.URLField(_("hjemmeside"), blank=True)
    accessibility_statement_url = models.URLField(
        _("adresse på tilgængelighedserklæring"),
        help_text=_(
            "Offentlige myndigheder offentliggør den via Digitaliseringsstyrelsens WAS-værktøj."
        ),
    )
    privacy_contact = models.CharField(
        _("kontakt om persondata"),
        max_length=200,
        help_text=_("En funktion, ikke en person, fx “Databeskyttelsesrådgiver (DPO)”."),
    )
    privacy_email = models.EmailField(_("e-mail om persondata"))
    privacy_phone = DanishPhoneField(_("telefon om persondata"), blank=True)
    contact_name = models.CharField(
        _("kontaktperson"),
        max_length=120,
        blank=True,
        help_text=_(
            "Den borgere og pårørende kan ringe eller skrive til, fx “Mette, koordinator”. "
            "Står i alle beskeder og på de offentlige sider."
        ),
    )
    contact_phone = DanishPhoneField(_("kontakttelefon"), blank=True)
    contact_email = models.EmailField(
        _("kontakt-e-mail"),
        blank=True,
        help_text=_("Svar på vores e-mails går hertil."),
    )
    contact_is_example = models.BooleanField(
        _("kontakten er et eksempel"),
        default=False,
        help_text=_(
            "Sæt flueben, når kontaktpersonen er opfundet til en demonstration: den vises så "
            "som “Eksempel”, indtil organisationen har skrevet sin egen."
        ),
    )
    sms_sender = models.CharField(
        _("SMS-afsender"),
        max_length=11,
        blank=True,
        validators=[validate_sms_sender],
        help_text=_(
            "Højst 11 bogstaver eller tal, som står som afsender på en SMS. Vælg et neutralt "
            "navn, fx kommunens navn, ikke et navn der fortæller, hvad beskeden handler om."
        ),
    )
    data_protection_basis = models.CharField(
        _("behandlingsgrundlag"), max_length=20, choices=DataProtectionBasis.choices
    )
    custody_confirmations_required = models.CharField(
        _("bekræftelse fra forældremyndighed"),
        max_length=10,
        choices=CustodyConfirmations.choices,
        default=CustodyConfirmations.ONE,
        help_text=_(
            "Om én eller begge indehavere af forældremyndigheden skal bekræfte tilmeldingen "
            "af et barn under 15 år."
        ),
    )

    # What the public pages were built from (peerprogram.page_cache): `public_version` counts
    # changes to the organisation's own public texts (name, contacts, help lines, programmes,
    # themes), `courses_version` changes to any of its courses (seats, sessions, texts).
    public_version = models.PositiveIntegerField(default=0, editable=False)
    courses_version = models.PositiveIntegerField(default=0, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation", kwargs={"slug": self.slug})

    def clean(self):
        if self.kind == self.Kind.MUNICIPALITY and not self.municipality_code:
            raise ValidationError({"municipality_code": _("En kommune skal have sin kommunekode.")})
        validate_contact(self)


class HelpContactQuerySet(OrganisationScopedQuerySet):
    pass


class HelpContact(models.Model):
    """Where a citizen in crisis gets help now; shown on every public page of the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="help_contacts"
    )
    label = models.CharField(_("hvad"), max_length=120)
    phone = DanishPhoneField(_("telefon"), blank=True, help_line=True)
    url = models.URLField(_("hjemmeside"), blank=True)
    opening_hours = models.CharField(_("åbningstid"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    # Citizens in crisis call what is shown, so a person checks number and hours; the admin
    # flags lines nobody has checked (public pages show them unmarked all the same).
    verified_on = models.DateField(
        _("kontrolleret"),
        null=True,
        blank=True,
        help_text=_("Den dag en medarbejder sidst har kontrolleret nummer og åbningstid."),
    )

    objects = HelpContactQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "order", "pk"]
        verbose_name = _("hjælp i krise")
        verbose_name_plural = _("hjælp i krise")

    def __str__(self):
        return self.label

    def clean(self):
        if not (self.phone or self.url):
            raise ValidationError(_("Skriv et telefonnummer eller en hjemmeside."))


def validate_municipality_codes(value) -> None:
    if not isinstance(value, list) or not all(is_municipality(code) for code in value):
        raise ValidationError(
            _('Angiv kommunerne som en liste af trecifrede kommunekoder, fx ["350"].')
        )


class MembershipQuerySet(OrganisationScopedQuerySet):
    pass


class Membership(models.Model):
    """A staff user's place in an organisation; a coordinator may belong to several."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Koordinator")
        ADMIN = "admin", _("Organisationsadministrator")
        REFERRER = "referrer", _("Henviser (kan tilmelde borgere, ingen adgang til data)")
        STATISTICS = "statistics", _("Kommunal partner (ser kun samlede tal og rapporter)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("bruger"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rolle"), max_length=20, choices=Role.choices, default=Role.COORDINATOR
    )
    # A JSON list, not an ArrayField: the development database is SQLite.
    municipalities = models.JSONField(
        _("kommuner"),
        default=list,
        blank=True,
        validators=[validate_municipality_codes],
        help_text=_(
            "Kun for kommunale partnere: kommunekoderne for de kommuner, partneren "
            "repræsenterer. Partneren ser kun forløb, der holdes i dem."
        ),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class BlackoutPeriodQuerySet(OrganisationScopedQuerySet):
    pass


class BlackoutPeriod(models.Model):
    """Days an organisation holds no sessions, beyond the public holidays.

    Either an ISO week that repeats every year (winter holiday week 7, autumn week 42), or a
    date range, which can also repeat every year (24 December, 5 June).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="blackout_periods"
    )
    name = models.CharField(_("navn"), max_length=120)
    iso_week = models.PositiveSmallIntegerField(
        _("uge hvert år"),
        null=True,
        blank=True,
        help_text=_("Fx 7 for vinterferien eller 42 for efterårsferien."),
    )
    start_date = models.DateField(_("fra dato"), null=True, blank=True)
    end_date = models.DateField(_("til og med dato"), null=True, blank=True)
    repeats_yearly = models.BooleanField(
        _("gentages hvert år"),
        default=False,
        help_text=_("Datoerne gælder hvert år, fx juleaften eller grundlovsdag."),
    )

    objects = BlackoutPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "iso_week", "start_date"]
        verbose_name = _("lukkeperiode")
        verbose_name_plural = _("lukkeperioder")

    def __str__(self):
        return self.name

    def clean(self):
        if self.iso_week is not None:
            if not 1 <= self.iso_week <= 53:
                raise ValidationError({"iso_week": _("Ugenummeret skal være mellem 1 og 53.")})
            if self.start_date or self.end_date:
                raise ValidationError(_("Angiv enten en uge eller datoer, ikke begge dele."))
            return
        if not self.start_date:
            raise ValidationError(_("Angiv enten en uge eller en fra-dato."))
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Slutdatoen ligger før startdatoen. Ret en af dem.")}
            )

    def covers(self, day) -> bool:
        if self.iso_week is not None:
            return day.isocalendar().week == self.iso_week
        end = self.end_date or self.start_date
        if not self.repeats_yearly:
            return self.start_date <= day <= end
        first = (self.start_date.month, self.start_date.day)
        last = (end.month, end.day)
        current = (day.month, day.day)
        if first <= last:
            return first <= current <= last
        # A yearly period across New Year, e.g. 22 December to 2 January.
        return current >= first or current <= last


# The models of the core's subpackages are the app's models too (Django finds an app's models
# through this module).
from peerprogram.audit.models import AuditEntry  # noqa: E402
from peerprogram.outbox.models import OutboxMessage  # noqa: E402
from peerprogram.privacy.models import ErasureRecord, RetentionPolicy, RetentionRun  # noqa: E402

__all__ = [
    "AuditEntry",
    "BlackoutPeriod",
    "ErasureRecord",
    "HelpContact",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "RetentionPolicy",
    "RetentionRun",
    "validate_danish_help_phone",
    "validate_danish_phone",
]
