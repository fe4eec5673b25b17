from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import validate_danish_help_phone, validate_danish_phone

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
    privacy_phone = models.CharField(
        _("telefon om persondata"), max_length=20, blank=True, validators=[validate_danish_phone]
    )
    data_protection_basis = models.CharField(
        _("behandlingsgrundlag"), max_length=20, choices=DataProtectionBasis.choices
    )

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


class HelpContactQuerySet(OrganisationScopedQuerySet):
    pass


class HelpContact(models.Model):
    """Where a citizen in crisis gets help now; shown on every public page of the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="help_contacts"
    )
    label = models.CharField(_("hvad"), max_length=120)
    phone = models.CharField(
        _("telefon"), max_length=20, blank=True, validators=[validate_danish_help_phone]
    )
    url = models.URLField(_("hjemmeside"), blank=True)
    opening_hours = models.CharField(_("åbningstid"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

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


class MembershipQuerySet(OrganisationScopedQuerySet):
    pass


class Membership(models.Model):
    """A staff user's place in an organisation; a coordinator may belong to several."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Koordinator")
        ADMIN = "admin", _("Organisationsadministrator")
        REFERRER = "referrer", _("Henviser (kan tilmelde borgere, ingen adgang til data)")
        STATISTICS = "statistics", _("Kommunal partner (ser kun samlede tal og rapporter)")

    COORDINATING_ROLES = [Role.COORDINATOR, Role.ADMIN]
    # Who may read a programme's aggregate figures and evaluation reports.
    REPORTING_ROLES = [Role.COORDINATOR, Role.ADMIN, Role.STATISTICS]

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


class OutboxMessageQuerySet(OrganisationScopedQuerySet):
    pass


class OutboxMessage(models.Model):
    """One message to one recipient on one channel, created in the transaction that causes it.

    The body kept here never holds a secret: a message that carries one (a reset link, an
    evaluation token, a personal status link) names a secret provider, which makes the secret
    at delivery; the stored body shows it redacted.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")
        UNCERTAIN = "uncertain", _("Uvis – kræver beslutning")
        DISCARDED = "discarded", _("Droppet")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("slags"), max_length=60)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    recipient_name = models.CharField(_("modtager"), max_length=200, blank=True)
    recipient_address = models.CharField(_("adresse"), max_length=254)
    template = models.CharField(_("skabelon"), max_length=120)
    context = models.JSONField(_("indhold"), default=dict, blank=True)
    secret_provider = models.CharField(_("hemmelighed"), max_length=60, blank=True)
    subject = models.CharField(_("emne"), max_length=200, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    related_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related_object = GenericForeignKey("related_type", "related_id")
    # Makes a message idempotent: a second attempt to create the same message does nothing.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    claimed_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluttet af"),
    )

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("besked")
        verbose_name_plural = _("beskeder (udbakke)")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.get_channel_display()} #{self.pk}"


# Retention and requests from a person (peerprogram.retention, peerprogram.privacy).


class RetentionPolicyQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class RetentionPolicy(models.Model):
    """How long an organisation keeps personal data; `peerprogram.retention` applies it daily.

    A record is due on the day its period has passed: the day it ended plus N calendar months
    (a course ending 31 August with 6 months is due on 28 February, or 29 in a leap year).
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("organisation"),
    )
    months_after_course_end = models.PositiveSmallIntegerField(
        _("måneder efter forløbets sidste gang"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "For deltagere, der har haft en plads på et forløb (optaget, gennemført eller "
            "stoppet undervejs), og for følgeskab og brobygning."
        ),
    )
    months_after_submission = models.PositiveSmallIntegerField(
        _("måneder efter tilmelding"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "For afviste, frameldte, ventelistede og ikke afgjorte tilmeldinger (de sidste "
            "tidligst når forløbet er slut), og for kontaktforespørgsler."
        ),
    )
    months_after_peer_stopped = models.PositiveSmallIntegerField(
        _("måneder efter en facilitator er stoppet"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    max_share_per_run = models.PositiveSmallIntegerField(
        _("højst andel pr. kørsel (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Vil en kørsel anonymisere flere end denne andel af de personer, organisationen "
            "har oplysninger om, anonymiserer den intet og giver koordinatorerne besked."
        ),
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = RetentionPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("sletteregel")
        verbose_name_plural = _("sletteregler (opbevaring)")

    def __str__(self):
        return _("Sletteregel for %(organisation)s") % {"organisation": self.organisation}


class RetentionRunQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class RetentionRun(models.Model):
    """What one daily run did for one organisation: counts only, never who."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    day = models.DateField(_("kørselsdag"))
    ran_at = models.DateTimeField(_("kørt"), default=timezone.now)
    counts = models.JSONField(_("antal pr. slags"), default=dict)
    total = models.PositiveIntegerField(_("anonymiseret i alt"), default=0)
    population = models.PositiveIntegerField(_("personer før kørslen"), default=0)
    stopped = models.BooleanField(_("stoppet af sikkerhedsgrænsen"), default=False)

    objects = RetentionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("sletningskørsel")
        verbose_name_plural = _("sletningskørsler")

    def __str__(self):
        return _("Sletningskørsel #%(pk)s") % {"pk": self.pk}


class ErasureRecordQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class ErasureRecord(models.Model):
    """That a person's data was erased on request: which record, when and by whom.

    Holds no personal data: the record is named by its kind and number only.
    """

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("Deltager")
        PEER = "peer", _("Facilitator")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("slags"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("nummer"))
    erased_at = models.DateTimeField(_("slettet"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("slettet af"),
    )

    objects = ErasureRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("sletning på anmodning")
        verbose_name_plural = _("sletninger på anmodning")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"


class AuditEntryQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    """django-auditlog's manager, naming objects without names and noting their organisation
    (see peerprogram.audit)."""

    def log_create(self, instance, force_log=False, **kwargs):
        from peerprogram import audit

        kwargs.setdefault("object_repr", audit.label(instance))
        if "organisation" not in kwargs:
            kwargs.setdefault("organisation_id", audit.organisation_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        from peerprogram import audit

        kwargs.setdefault("object_repr", audit.label(instance))
        kwargs.setdefault("organisation_id", audit.organisation_id_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One line of the audit trail (django-auditlog's log entry, AUDITLOG_LOGENTRY_MODEL).

    Read-only for everyone; holds labels, field names and masked values, never a personal
    value, so it is kept as it is when a person's data is erased.
    """

    class Action(AbstractLogEntry.Action):
        EXPORT = 10
        ERASE = 11

        choices = (
            (AbstractLogEntry.Action.CREATE, _("Oprettet")),
            (AbstractLogEntry.Action.UPDATE, _("Ændret")),
            (AbstractLogEntry.Action.DELETE, _("Slettet")),
            (AbstractLogEntry.Action.ACCESS, _("Vist")),
            (EXPORT, _("Eksporteret")),
            (ERASE, _("Persondata slettet")),
        )

    action = models.PositiveSmallIntegerField(_("handling"), choices=Action.choices, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    detail = models.CharField(_("detalje"), max_length=200, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("post i logbogen")
        verbose_name_plural = _("logbog (adgang og ændringer)")
        indexes = [models.Index(fields=["organisation", "-timestamp"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"

    def save(self, *args, **kwargs):
        # django-auditlog copies the actor's e-mail onto every entry; the actor link is
        # enough (log-ins are closed, never deleted), and the trail then holds no e-mail.
        self.actor_email = None
        super().save(*args, **kwargs)
