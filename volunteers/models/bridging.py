"""Ud i Livet's way in: contact requests from citizens, applications from people who want to
be volunteer peers, and bridging into associations (brobygning). The rules that decide what
may be saved live in volunteers/bridging.py; these models only hold the facts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.models import Organisation
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import DanishPhoneField
from volunteers.models.peers import Peer


class BridgingStatus(models.TextChoices):
    """How far a citizen has come into an association's activity (brobygning)."""

    CONTACTED = "contacted", _("Kontakt taget")
    VISITED = "visited", _("Har været der")
    JOINED = "joined", _("Er blevet en del af det")


class ContactRequestQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class ContactRequest(models.Model):
    """A citizen asks to be contacted (e.g. from a contact card): just enough to call back,
    and what came of it: the peer or group of peers they were matched with, and the
    association's activity they were bridged into."""

    class Wish(models.TextChoices):
        ACTIVITY = "activity", _("Følgeskab til en aktivitet eller forening")
        PEER = "peer", _("En snak med en peer")
        GROUP = "group", _("At være med i en gruppe")

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        MATCHED = "matched", _("Matchet med en peer")
        CLOSED = "closed", _("Afsluttet")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("fornavn"), max_length=60)
    phone = DanishPhoneField(_("telefon"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wish = models.CharField(_("ønsker"), max_length=20, choices=Wish.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    matched_peer = models.ForeignKey(
        Peer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("matchet med"),
    )
    other_peers = models.ManyToManyField(
        Peer,
        blank=True,
        related_name="group_contact_requests",
        verbose_name=_("flere peers (en gruppe)"),
        help_text=_("Når borgeren ønsker kontakt til en gruppe af peers: de øvrige i gruppen."),
    )
    matched_at = models.DateTimeField(_("matchet"), null=True, blank=True)
    bridged_activity = models.ForeignKey(
        "volunteers.AssociationActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("brobygget til aktivitet"),
    )
    bridging_status = models.CharField(
        _("brobygning"), max_length=20, choices=BridgingStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("modtaget"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kontaktforespørgsel")
        verbose_name_plural = _("kontaktforespørgsler")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone="") | models.Q(anonymised_at__isnull=False),
                name="contact_request_reachable",
                violation_error_message=_("Angiv telefon eller e-mail, så borgeren kan kontaktes."),
            )
        ]

    def __str__(self):
        return _("Kontaktforespørgsel #%(pk)s") % {"pk": self.pk}

    def clean(self):
        # The constraint names `anonymised_at`, which forms leave out, so Django would skip it.
        if self.anonymised_at is None and not (self.email or self.phone):
            raise ValidationError(_("Angiv telefon eller e-mail, så borgeren kan kontaktes."))


class PeerApplicationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "peer__organisation"


class PeerApplication(models.Model):
    """That someone applied through the public "Bliv frivillig peer" form, and their explicit
    consent (GDPR art. 9(2)(a)) to the processing of what they wrote about their own
    experience. The applicant is a `Peer` with status applicant; what they wrote is on it.
    No personal data here: it stays when the peer is anonymised."""

    peer = models.OneToOneField(
        Peer, on_delete=models.CASCADE, related_name="application", verbose_name=_("ansøger")
    )
    applied_at = models.DateTimeField(_("ansøgt"), default=timezone.now)
    health_data_consent_at = models.DateTimeField(_("samtykke til helbredsoplysninger givet"))
    privacy_notice_version = models.CharField(
        _("version af oplysningerne om privatliv"), max_length=20
    )

    objects = PeerApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("ansøgning som frivillig peer")
        verbose_name_plural = _("ansøgninger som frivillig peer")

    def __str__(self):
        return _("Ansøgning #%(pk)s") % {"pk": self.pk}


class AssociationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Association(models.Model):
    """A local club (forening) that welcomes citizens, e.g. a sports club."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("navn"), max_length=120)
    contact = models.CharField(
        _("kontakt"),
        max_length=200,
        blank=True,
        help_text=_("Hvem i foreningen man tager kontakt til, fx “holdets træner”."),
    )
    website = models.URLField(_("hjemmeside"), blank=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("forening")
        verbose_name_plural = _("foreninger")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_association_name",
                violation_error_message=_("Der findes allerede en forening med det navn."),
            )
        ]

    def __str__(self):
        return self.name


class AssociationActivityQuerySet(OrganisationScopedQuerySet):
    organisation_path = "association__organisation"


class AssociationActivity(models.Model):
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("forening"),
    )
    name = models.CharField(
        _("aktivitet"), max_length=200, help_text=_("Fx “Motion for sindet – løbehold”.")
    )
    when = models.CharField(
        _("ugedag og tid"), max_length=100, blank=True, help_text=_("Fx “Tirsdag kl. 17.00”.")
    )
    place = models.CharField(_("sted"), max_length=200, blank=True)

    objects = AssociationActivityQuerySet.as_manager()

    class Meta:
        ordering = ["association__name", "name", "pk"]
        verbose_name = _("aktivitet i forening")
        verbose_name_plural = _("aktiviteter i foreninger")

    def __str__(self):
        return f"{self.name} – {self.association.name}"


class BridgingQuerySet(OrganisationScopedQuerySet):
    organisation_path = "activity__association__organisation"


class Bridging(models.Model):
    """How far a citizen has come into an association's activity (brobygning)."""

    Status = BridgingStatus

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="bridgings",
        verbose_name=_("borger"),
    )
    activity = models.ForeignKey(
        AssociationActivity,
        on_delete=models.PROTECT,
        related_name="bridgings",
        verbose_name=_("aktivitet"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONTACTED
    )
    updated_on = models.DateField(_("opdateret"), auto_now=True)
    peer = models.ForeignKey(
        Peer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bridgings",
        verbose_name=_("følges af"),
    )

    objects = BridgingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_on", "-pk"]
        verbose_name = _("brobygning")
        verbose_name_plural = _("brobygning")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "activity"],
                name="unique_bridging_per_activity",
                violation_error_message=_("Borgeren er allerede registreret ved denne aktivitet."),
            )
        ]

    def __str__(self):
        return _("Brobygning #%(pk)s") % {"pk": self.pk}
