"""Quiet hours for SMS: a phone should not buzz with a reminder in the night.

Between `SMS_QUIET_HOURS_START` and `SMS_QUIET_HOURS_END` (local time, 21 to 8 by default) a
reminder by SMS waits until the morning; so does a change notice about a session more than a
day away. A change notice about a session that starts within 24 hours goes at once: the person
may otherwise come to a cancelled session. E-mail is never held. Equal start and end hours
turn quiet hours off.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from peerprogram.models import OutboxMessage

REMINDER_KINDS = {"session_reminder"}
CHANGE_KINDS = {"session_moved", "session_cancelled"}
URGENT_WITHIN = datetime.timedelta(hours=24)


def _is_urgent(message: OutboxMessage, now: datetime.datetime) -> bool:
    # The change notices are about a session (groups.Session); peerprogram knows it only as
    # the row's related object with a start time.
    starts_at = getattr(message.related_object, "starts_at", None)
    return starts_at is None or starts_at - now <= URGENT_WITHIN


def sms_held_until(*, message: OutboxMessage, now: datetime.datetime) -> datetime.datetime | None:
    """When `message` may go, if it must wait for the end of the quiet hours; None if it may
    go now. The delivery code calls this before each attempt."""
    if message.channel != OutboxMessage.Channel.SMS:
        return None
    if message.kind not in REMINDER_KINDS | CHANGE_KINDS:
        return None
    start, end = settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END
    local = timezone.localtime(now)
    if start == end or end <= local.hour < start:
        return None
    if message.kind in CHANGE_KINDS and _is_urgent(message, now):
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if local.hour >= start:
        morning = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), morning.time())
        )
    return morning
