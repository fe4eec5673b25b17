"""Accompaniment (følgeskab): a peer accompanies one citizen for a limited time, and the
meetings on the way. The rules that decide what may be saved live in volunteers/accompaniment.py;
these models only hold the facts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerprogram.permissions import OrganisationScopedQuerySet
from volunteers.models.peers import Peer


class AccompanimentQuerySet(OrganisationScopedQuerySet):
    organisation_path = "peer__organisation"

    def ongoing(self):
        return self.filter(ended_on__isnull=True)


class Accompaniment(models.Model):
    """A peer accompanies one citizen for a limited time, in a programme that offers it.

    The programme's `accompaniment_limit_months`, where it sets one, caps the length. Only
    dates, who and why it ended: nothing about the citizen's health.
    """

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Afsluttet som planlagt")
        CITIZEN = "citizen", _("Stoppet før tid af borgeren")
        PEER = "peer", _("Stoppet før tid af peeren")
        OTHER = "other", _("Andet")

    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="accompaniments", verbose_name=_("peer")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="accompaniments",
        verbose_name=_("borger"),
    )
    program = models.ForeignKey(
        "groups.Program",
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("program"),
    )
    starts_on = models.DateField(_("start"))
    planned_end_on = models.DateField(
        _("planlagt slut"),
        blank=True,
        help_text=_(
            "Har programmet en grænse for følgeskab, betyder tom grænsen regnet fra start, og "
            "datoen må ikke ligge senere. Uden grænse aftales datoen for hvert følgeskab."
        ),
    )
    ended_on = models.DateField(_("sluttede"), null=True, blank=True)
    end_reason = models.CharField(
        _("årsag til afslutning"), max_length=20, choices=EndReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("følgeskab")
        verbose_name_plural = _("følgeskaber")
        constraints = [
            # A double submit or two coordinators at once still give one ongoing accompaniment.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(ended_on__isnull=True),
                name="one_ongoing_accompaniment_per_participant",
                violation_error_message=_("Borgeren har allerede et igangværende følgeskab."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("starts_on")),
                name="accompaniment_planned_end_after_start",
                violation_error_message=_("Den planlagte slutdato skal ligge efter startdatoen."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, end_reason="")
                | (models.Q(ended_on__gte=models.F("starts_on")) & ~models.Q(end_reason="")),
                name="accompaniment_ended_with_reason",
                violation_error_message=_(
                    "Et afsluttet følgeskab har en slutdato efter start og en årsag."
                ),
            ),
        ]

    def __str__(self):
        return _("Følgeskab #%(pk)s") % {"pk": self.pk}


class AccompanimentMeetingQuerySet(OrganisationScopedQuerySet):
    organisation_path = "accompaniment__peer__organisation"


class AccompanimentMeeting(models.Model):
    """That the peer and the citizen met, and what kind of meeting: no account of it."""

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", _("Følgeskab til aftale")
        ACTIVITY = "activity", _("Aktivitet eller forening")
        CONVERSATION = "conversation", _("Samtale/kaffe")
        OTHER = "other", _("Andet")

    accompaniment = models.ForeignKey(
        Accompaniment,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("følgeskab"),
    )
    date = models.DateField(_("dato"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    note = models.CharField(
        _("kort note"),
        max_length=200,
        blank=True,
        help_text=_(
            "Kort og neutralt, fx “Fulgtes til jobcentret”. Skriv ingen helbredsoplysninger "
            "og intet om, hvad borgeren har fortalt."
        ),
    )

    objects = AccompanimentMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("møde i følgeskab")
        verbose_name_plural = _("møder i følgeskab")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d.%m.%Y})"
