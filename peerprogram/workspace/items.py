"""The core's own work items for the "I dag" page (answered in peerprogram.receivers)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peerprogram import hooks
from peerprogram.outbox.models import OutboxMessage

# Rows shown per item; the count says how many there are in all.
ROWS_SHOWN = 8


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
        for message in messages.order_by("-created_at", "-pk")[:ROWS_SHOWN]
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
