"""Celery tasks for the outbox: thin callers of peerprogram.notifications, safe to run twice."""

from celery import shared_task

from peerprogram import notifications


@shared_task(ignore_result=True)
def deliver_message(message_id: int) -> None:
    outcome = notifications.message_deliver(message_id=message_id)
    if outcome.retry_in is not None:
        deliver_message.apply_async((message_id,), countdown=outcome.retry_in)


@shared_task(ignore_result=True)
def deliver_messages(message_ids: list[int]) -> None:
    for message_id in message_ids:
        deliver_message(message_id)


@shared_task(ignore_result=True)
def requeue_pending() -> int:
    overdue = notifications.messages_overdue()
    for start in range(0, len(overdue), notifications.ENQUEUE_BATCH):
        deliver_messages.delay(overdue[start : start + notifications.ENQUEUE_BATCH])
    return len(overdue)


@shared_task(ignore_result=True)
def mark_stuck_uncertain() -> int:
    return notifications.messages_mark_stuck_uncertain()
