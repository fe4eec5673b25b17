"""The core's own work items for the "I dag" page (answered in peerprogram.receivers)."""

from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from peerprogram import hooks
from peerprogram.models import Organisation, RetentionRun
from peerprogram.outbox.models import OutboxMessage
from peerprogram.permissions import Purpose, may


def messages_not_delivered(*, organisation_ids: list[int]) -> hooks.WorkItem:
    """Messages that failed, or whose sending is uncertain (the gateway may have sent them)."""
    messages = OutboxMessage.objects.filter(
        organisation_id__in=organisation_ids,
        status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN],
    )
    rows = [
        hooks.WorkRow(
            text=_("%(status)s: %(channel)s til %(name)s")
            % {
                "status": message.get_status_display(),
                "channel": message.get_channel_display(),
                "name": message.recipient_name or message.recipient_address,
            },
            url=reverse("admin:peerprogram_outboxmessage_change", args=[message.pk]),
            detail=message.last_error[:160],
            # Nobody has decided on these yet: the last to touch one was the sending itself.
            touched_by=_("udsendelsen (%(attempts)s forsøg)") % {"attempts": message.attempts},
            touched_at=message.claimed_at or message.created_at,
        )
        for message in messages.order_by("-created_at", "-pk")[: hooks.WORK_ROWS_SHOWN]
    ]
    return hooks.WorkItem(
        key="messages_not_delivered",
        title=_("Beskeder der ikke er kommet frem"),
        count=messages.count(),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når beskeden er sendt igen eller droppet. Ved en uvis besked skal du "
            "afgøre, om den skal sendes igen: den kan allerede være modtaget."
        ),
        order=80,
    )


def retention_stopped(*, user: Any, organisation_ids: list[int]) -> hooks.WorkItem:
    """Organisations whose latest retention run the safety stop halted. Their coordinators see
    it too (they were e-mailed the same news), but only an organisation admin may approve the
    run, on the dry run page the row links to; each row says which applies to the reader."""
    latest = RetentionRun.objects.filter(organisation=OuterRef("pk")).order_by("-ran_at", "-pk")
    organisations = list(
        Organisation.objects.filter(pk__in=organisation_ids)
        .annotate(
            run_stopped=Subquery(latest.values("stopped")[:1]),
            run_at=Subquery(latest.values("ran_at")[:1]),
            run_total=Subquery(latest.values("total")[:1]),
            run_population=Subquery(latest.values("population")[:1]),
        )
        .filter(run_stopped=True)
        .order_by("name")
    )
    rows = [
        hooks.WorkRow(
            text=_("Sletningen for %(organisation)s er stoppet af sikkerhedsgrænsen")
            % {"organisation": organisation.name},
            url=reverse("admin:peerprogram_retentionpolicy_dry_run", args=[organisation.pk]),
            detail=(
                _(
                    "%(total)s af %(population)s personer på én gang. Se listen igennem på "
                    "prøvekørslen, og godkend kørslen, hvis den er rigtig."
                )
                if may(user, Purpose.ADMINISTER, organisation)
                else _(
                    "%(total)s af %(population)s personer på én gang. En "
                    "organisationsadministrator skal godkende kørslen på prøvekørslen."
                )
            )
            % {"total": organisation.run_total, "population": organisation.run_population},
            touched_by=_("den natlige sletning"),
            touched_at=organisation.run_at,
        )
        for organisation in organisations[: hooks.WORK_ROWS_SHOWN]
    ]
    return hooks.WorkItem(
        key="retention_stopped",
        title=_("Sletning stoppet af sikkerhedsgrænsen"),
        count=len(organisations),
        rows=rows,
        resolved_when=_(
            "Forsvinder, når en organisationsadministrator har godkendt kørslen, eller når en "
            "senere kørsel går igennem (fx efter en ændret sletteregel)."
        ),
        order=90,
    )
