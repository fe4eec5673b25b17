"""Celery tasks for the outbox (peerprogram.outbox.services), for forgetting failed log-ins
(peerprogram.accounts.signin), for password resets (peerprogram.accounts.password_reset) and
for retention (peerprogram.privacy.retention): thin callers, safe to run twice (a reset run
twice sends a second link; using either one spends both)."""

from celery import shared_task
from django.utils import timezone

from peerprogram.accounts import password_reset, signin
from peerprogram.outbox import services as outbox
from peerprogram.privacy import retention


@shared_task(ignore_result=True)
def deliver_message(message_id: int) -> None:
    outcome = outbox.message_deliver(message_id=message_id)
    if outcome.retry_in is not None:
        deliver_message.apply_async((message_id,), countdown=outcome.retry_in)


@shared_task(ignore_result=True)
def deliver_messages(message_ids: list[int]) -> None:
    for message_id in message_ids:
        deliver_message(message_id)


@shared_task(ignore_result=True)
def requeue_pending() -> int:
    overdue = outbox.messages_overdue()
    for start in range(0, len(overdue), outbox.ENQUEUE_BATCH):
        deliver_messages.delay(overdue[start : start + outbox.ENQUEUE_BATCH])
    return len(overdue)


@shared_task(ignore_result=True)
def mark_stuck_uncertain() -> int:
    return outbox.messages_mark_stuck_uncertain()


@shared_task(ignore_result=True)
def purge_login_attempts() -> int:
    return signin.login_attempts_purge()


@shared_task(ignore_result=True)
def password_reset_request(email: str) -> int:
    """The look-up of a reset's address, here rather than in the request (see accounts)."""
    return password_reset.password_reset_send(email=email)


@shared_task(ignore_result=True)
def apply_retention() -> int:
    """The daily run: anonymise what each organisation's policy says is due today."""
    outcomes = retention.run(timezone.localdate())
    return sum(len(ids) for outcome in outcomes for ids in outcome.anonymised.values())
