"""Facilitators on courses: assignment to a course, answers to its sessions, and concerns
passed on from a session."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Course
from peerprogram.permissions import OrganisationScopedQuerySet
from volunteers.models.peers import Peer


class CourseFacilitatorQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"


class CourseFacilitator(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("forløb")
    )
    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("facilitator")
    )
    assigned_at = models.DateTimeField(_("tildelt"), auto_now_add=True)

    objects = CourseFacilitatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("facilitator på forløb")
        verbose_name_plural = _("facilitatorer på forløb")
        constraints = [
            models.UniqueConstraint(fields=["course", "peer"], name="unique_course_facilitator")
        ]

    def __str__(self):
        return f"{self.peer} – {self.course}"


class SessionResponse(models.Model):
    """A facilitator's answer to one session: coming, or not (coordinators are told)."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Kommer")
        DECLINED = "declined", _("Kan ikke")

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="session_responses")
    session = models.ForeignKey(
        "groups.Session", on_delete=models.CASCADE, related_name="facilitator_responses"
    )
    answer = models.CharField(_("svar"), max_length=20, choices=Answer.choices)
    answered_at = models.DateTimeField(_("svaret"), auto_now=True)

    class Meta:
        verbose_name = _("svar på gang")
        verbose_name_plural = _("svar på gange")
        constraints = [
            models.UniqueConstraint(fields=["peer", "session"], name="one_response_per_session")
        ]

    def __str__(self):
        return f"{self.peer} – {self.session}: {self.get_answer_display()}"


class ConcernQuerySet(OrganisationScopedQuerySet):
    organisation_path = "session__course__program__organisation"


class Concern(models.Model):
    """A concern about a child passed to the municipality (underretning).

    Only the facts that it was passed on: no description of the child or the worry, which
    belong in the municipality's own case. Coordinators see these; group notes never do.
    """

    session = models.ForeignKey(
        "groups.Session", on_delete=models.PROTECT, related_name="+", verbose_name=_("gang")
    )
    reported_by = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    passed_on = models.DateField(_("givet videre"))
    passed_to = models.CharField(
        _("givet videre til"),
        max_length=200,
        help_text=_("Fx “Lejre Kommune, Børn og Familie, den vagthavende rådgiver”."),
    )
    receipt_on = models.DateField(_("kvittering modtaget"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-passed_on"]
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")

    def __str__(self):
        return _("Underretning #%(pk)s") % {"pk": self.pk}
