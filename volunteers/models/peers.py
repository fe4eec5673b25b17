"""Facilitators (peers and professionals) and what qualifies them to meet participants:
status changes, training, supervision, confidentiality declarations and their signatures, and
child-protection certificates."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.models import Organisation
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import DanishPhoneField


class PeerQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"

    def working(self):
        """Facilitators whose status lets them meet participants (`Peer.WORKING_STATUSES`);
        the declaration and the børneattest are checked by volunteers.qualification."""
        return self.filter(status__in=Peer.WORKING_STATUSES)


class Peer(models.Model):
    """Someone who facilitates groups or accompanies citizens.

    Volunteer peers and the professionals who co-facilitate share this register, because the
    same rules apply to both when they meet participants (declaration, børneattest).
    """

    class Kind(models.TextChoices):
        PEER = "peer", _("Frivillig peer")
        PROFESSIONAL = "professional", _("Fagprofessionel")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Ansøger")
        IN_TRAINING = "in_training", _("Under uddannelse")
        TRAINED = "trained", _("Uddannet")
        ACTIVE = "active", _("Aktiv")
        PAUSED = "paused", _("På pause")
        STOPPED = "stopped", _("Stoppet")

    # Peers and professionals alike: trained (or, for a professional, approved as
    # facilitator) and not paused or stopped.
    WORKING_STATUSES = (Status.TRAINED, Status.ACTIVE)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="peers", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PEER)
    name = models.CharField(_("navn"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = DanishPhoneField(_("telefon"), blank=True)
    sms_opt_in = models.BooleanField(_("vil have SMS"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer",
        verbose_name=_("login"),
    )
    facilitates_groups = models.BooleanField(_("leder grupper"), default=True)
    accompanies = models.BooleanField(_("giver følgeskab"), default=False)
    lived_experience = models.CharField(
        _("egne erfaringer (kort)"),
        max_length=300,
        blank=True,
        help_text=_("Kun hvad peeren selv vil dele. Ingen diagnoser."),
    )
    availability = models.CharField(_("kan typisk"), max_length=200, blank=True)
    # The year only, not the date: enough to tell whether a young facilitator is 15 or over
    # and so needs a børneattest (volunteers.qualification).
    birth_year = models.PositiveSmallIntegerField(
        _("fødselsår"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_(
            "Kun året. Bruges til at afgøre, om en ung facilitator er fyldt 15 og skal have "
            "børneattest."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    # Only a hash: the feed address is derived from the site's secret key and this version
    # (volunteers.portal.calendar_token), so the portal can show it to its peer again while
    # the database alone never holds it. A new address raises the version.
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    calendar_token_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Set when the person's data was anonymised (retention or on request, volunteers.privacy).
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)

    objects = PeerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitatorer (peers og fagpersoner)")

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("fra"), max_length=20, choices=Peer.Status.choices)
    to_status = models.CharField(_("til"), max_length=20, choices=Peer.Status.choices)
    changed_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class TrainingModule(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_modules"
    )
    name = models.CharField(_("modul"), max_length=120)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    objects = PeerQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = _("uddannelsesmodul")
        verbose_name_plural = _("uddannelsesmoduler")

    def __str__(self):
        return self.name


class TrainingRecord(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="training_records")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, verbose_name=_("modul"))
    completed_on = models.DateField(_("gennemført"), default=datetime.date.today)

    class Meta:
        verbose_name = _("gennemført modul")
        verbose_name_plural = _("gennemførte moduler")
        constraints = [
            models.UniqueConstraint(fields=["peer", "module"], name="unique_training_record")
        ]

    def __str__(self):
        return f"{self.module} ({self.completed_on:%d.%m.%Y})"


class SupervisionAttendance(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="supervisions")
    date = models.DateField(_("dato"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("supervision")
        verbose_name_plural = _("supervision")

    def __str__(self):
        return f"{self.date:%d.%m.%Y}"


class DeclarationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Declaration(models.Model):
    """A version of the confidentiality declaration (tavshedserklæring)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="declarations"
    )
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("tekst"))
    published_on = models.DateField(_("gældende fra"), default=datetime.date.today)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-published_on", "-pk"]
        verbose_name = _("tavshedserklæring")
        verbose_name_plural = _("tavshedserklæringer")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_declaration_version"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.version}"


class DeclarationSignature(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="signatures")
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("underskrevet"), default=datetime.date.today)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(fields=["peer", "declaration"], name="unique_signature")
        ]

    def __str__(self):
        return f"{self.declaration.version} ({self.signed_on:%d.%m.%Y})"


class ChildCertificate(models.Model):
    """A børneattest: only the dates, the consent, the outcome and who assessed it.

    Never the certificate itself, offence details or a CPR number. "Needs assessment" is
    criminal-offence data (GDPR art. 10): only users with the permission below see it, and
    assessing reduces it to approved or not approved.
    """

    class Consent(models.TextChoices):
        PENDING = "pending", _("Afventer samtykke")
        GIVEN = "given", _("Samtykke givet")
        REFUSED = "refused", _("Samtykke nægtet")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Ikke modtaget")
        NEEDS_ASSESSMENT = "needs_assessment", _("Skal vurderes")
        APPROVED = "approved", _("Godkendt")
        NOT_APPROVED = "not_approved", _("Ikke godkendt")

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="certificates")
    requested_on = models.DateField(_("bestilt"))
    consent = models.CharField(
        _("samtykke"), max_length=20, choices=Consent.choices, default=Consent.PENDING
    )
    received_on = models.DateField(_("modtaget"), null=True, blank=True)
    outcome = models.CharField(
        _("resultat"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vurderet af"),
    )
    assessed_on = models.DateField(_("vurderet"), null=True, blank=True)
    renew_by = models.DateField(_("fornyes senest"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("børneattest")
        verbose_name_plural = _("børneattester")
        permissions = [
            ("view_certificate_outcome", _("Kan se og vurdere resultatet af børneattester"))
        ]

    def __str__(self):
        return _("Børneattest #%(pk)s") % {"pk": self.pk}
