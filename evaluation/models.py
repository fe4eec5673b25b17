"""Questionnaires as data, one-time invitations and answers that cannot be traced to anyone.

A response keeps the course, the phase, the answers and the ISO week — no person, no token,
no time. An open invitation keeps only a hash of its token under a random id, and is deleted
when used: nothing orders, times or marks invitations so that they could be matched with the
messages that carried them.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.scoring import validate_scale
from groups.models import Course, Program
from peerprogram.models import Organisation
from peerprogram.permissions import OrganisationScopedQuerySet


class Phase(models.TextChoices):
    BEFORE = "before", _("Før forløbet")
    AFTER = "after", _("Efter forløbet")


class QuestionnaireQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"

    def for_phase(self, phase: str) -> "QuestionnaireQuerySet":
        """The questionnaires asked in `phase` ("before" or "after"), those asked in both too."""
        return self.filter(phase__in=[phase, "both"])


class Questionnaire(models.Model):
    """An instrument (WHO-5, our CHIME questions, QPR-15 entered by its holder …).

    Templates have no organisation and are copied by coordinators; a validated instrument is
    `locked` so its wording cannot be edited.
    """

    class Scoring(models.TextChoices):
        SUM = "sum", _("Sum af point")
        MEAN = "mean", _("Gennemsnit")
        WHO5 = "who5", _("WHO-5: råscore × 4 (0–100)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("organisation"),
        help_text=_("Tom for skabeloner, som alle kan kopiere."),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("program"),
    )
    phase = models.CharField(
        _("bruges"),
        max_length=10,
        choices=[*Phase.choices, ("both", _("Før og efter"))],
        default="both",
    )
    name = models.CharField(_("navn"), max_length=120)
    intro = models.TextField(_("indledning"), blank=True)
    attribution = models.TextField(_("kilde og rettigheder"), blank=True)
    scale = models.JSONField(
        _("svarskala"),
        default=list,
        blank=True,
        validators=[validate_scale],
        help_text=_('Fx [{"score": 5, "label": "Hele tiden"}, …], højeste først.'),
    )
    scoring = models.CharField(
        _("pointberegning"), max_length=10, choices=Scoring.choices, default=Scoring.SUM
    )
    locked = models.BooleanField(
        _("låst ordlyd"),
        default=False,
        help_text=_("Et valideret spørgeskema gælder kun med sin præcise ordlyd."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("for personer fra (år)"),
        null=True,
        blank=True,
        help_text=_(
            "Den yngste alder, spørgeskemaet er lavet til. Det sendes ikke til et program, "
            "der optager yngre deltagere. Tom betyder alle aldre."
        ),
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("spørgeskema")
        verbose_name_plural = _("spørgeskemaer")

    def __str__(self):
        return self.name

    def clean(self):
        if self.scale is None:
            # An emptied scale field (or JSON null): no scale, not a NULL the column refuses.
            self.scale = []

    @property
    def is_template(self) -> bool:
        return self.organisation_id is None


class Item(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala")
        TEXT = "text", _("Fritekst")

    class Domain(models.TextChoices):
        NONE = "", _("Ingen")
        CONNECTEDNESS = "connectedness", _("Forbundethed")
        HOPE = "hope", _("Håb")
        IDENTITY = "identity", _("Identitet")
        MEANING = "meaning", _("Mening")
        EMPOWERMENT = "empowerment", _("Handlekraft")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("nr."))
    text = models.TextField(_("spørgsmål"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    reverse_scored = models.BooleanField(_("vendt skala"), default=False)
    domain = models.CharField(_("domæne"), max_length=20, choices=Domain.choices, blank=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("spørgsmål")
        verbose_name_plural = _("spørgsmål")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_item_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    def clean(self):
        if self.questionnaire_id and self.questionnaire.locked:
            raise ValidationError(_("Spørgeskemaet er låst: et valideret skema må ikke ændres."))


class InvitationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"


class Invitation(models.Model):
    """An open one-time answer link: only the token's hash, under a random id.

    No recipient, no time, no used flag: the row is deleted when it is used, and its random
    id does not follow the order in which the messages carrying the links were delivered.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    token_hash = models.CharField(max_length=64, unique=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")

    def __str__(self):
        return _("Invitation #%(pk)s") % {"pk": self.pk}


class InvitationCount(models.Model):
    """How many links a course phase has handed out (sent or printed), for the reports;
    used invitations are deleted, so they cannot be counted."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "phase"], name="unique_invitation_count")
        ]

    def __str__(self):
        return f"{self.course_id} {self.phase}: {self.issued}"


class ResponseQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"


class Response(models.Model):
    """Answers to one questionnaire, with nothing that points to who gave them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    iso_week = models.CharField(max_length=8, help_text="YYYY-Www")
    answers = models.JSONField(default=dict)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("besvarelse")
        verbose_name_plural = _("besvarelser")

    def __str__(self):
        return _("Besvarelse (%(week)s)") % {"week": self.iso_week}


class ReportRelease(models.Model):
    """A batch of a course phase's answers released to the reports.

    Reports use released answers only, and a release is made only once at least 5 answers
    have come since the last one (evaluation.suppression), so comparing a report before and
    after one person answered shows no difference. Within a release the ids are sorted, which
    says nothing about the order in which the answers came.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    number = models.PositiveIntegerField()
    released_on = models.DateField()
    response_ids = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "phase", "number"], name="unique_report_release"
            )
        ]

    def __str__(self):
        return f"{self.course_id} {self.phase} #{self.number}"


class Report(Program):
    """A programme seen as its evaluation report and figures (the admin's report pages)."""

    class Meta:
        proxy = True
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
