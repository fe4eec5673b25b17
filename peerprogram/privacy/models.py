"""Retention policies and runs, and erasures on request (peerprogram.privacy)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.permissions import OrganisationScopedQuerySet


class RetentionPolicyQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class RetentionPolicy(models.Model):
    """How long an organisation keeps personal data; peerprogram.privacy.retention applies it
    daily.

    A record is due on the day its period has passed: the day it ended plus N calendar months
    (a course ending 31 August with 6 months is due on 28 February, or 29 in a leap year).
    """

    organisation = models.OneToOneField(
        "peerprogram.Organisation",
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
    months_after_application = models.PositiveSmallIntegerField(
        _("måneder efter en ansøgning som frivillig peer"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "For ansøgere, der aldrig kom i gang (står stadig som ansøger). Eksempel: ingen "
            "af programmerne angiver en periode, så sæt jeres egen."
        ),
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
        "peerprogram.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    day = models.DateField(_("kørselsdag"))
    ran_at = models.DateTimeField(_("kørt"), default=timezone.now)
    counts = models.JSONField(_("antal pr. slags"), default=dict)
    total = models.PositiveIntegerField(_("anonymiseret i alt"), default=0)
    population = models.PositiveIntegerField(_("personer før kørslen"), default=0)
    stopped = models.BooleanField(_("stoppet af sikkerhedsgrænsen"), default=False)
    # Set when an organisation admin approved this run beyond the safety stop, on the dry run
    # page: it anonymised exactly the list they saw.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt af"),
    )

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
        "peerprogram.Organisation",
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
