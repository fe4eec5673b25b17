"""The outbox's one model: a message to one recipient on one channel (peerprogram.outbox)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerprogram.permissions import OrganisationScopedQuerySet


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
        "peerprogram.Organisation",
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
    language = models.CharField(
        _("sprog"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
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
    # An SMS's reference for this attempt ("outbox-<id>-<random>"), sent to the gateway and
    # echoed in its delivery reports, and the gateway's own id for the message when it gives one.
    gateway_reference = models.CharField(
        _("reference hos SMS-udbyder"), max_length=40, blank=True, db_index=True
    )
    gateway_message_id = models.CharField(
        _("besked-id hos SMS-udbyder"), max_length=100, blank=True
    )
    # Set by the gateway's delivery report: the SMS reached the phone.
    delivered_at = models.DateTimeField(_("leveret"), null=True, blank=True)
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
