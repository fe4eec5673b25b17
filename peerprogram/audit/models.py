"""The audit trail's entry: django-auditlog's log entry with the organisation
(peerprogram.audit)."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerprogram.permissions import OrganisationScopedQuerySet


class AuditEntryQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    """django-auditlog's manager, naming objects without names and noting their organisation
    (see peerprogram.audit.trail)."""

    def log_create(self, instance, force_log=False, **kwargs):
        from peerprogram.audit import trail

        kwargs.setdefault("object_repr", trail.label(instance))
        if "organisation" not in kwargs:
            kwargs.setdefault("organisation_id", trail.organisation_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        from peerprogram.audit import trail

        kwargs.setdefault("object_repr", trail.label(instance))
        kwargs.setdefault("organisation_id", trail.organisation_id_of(instance))
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
        "peerprogram.Organisation",
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
