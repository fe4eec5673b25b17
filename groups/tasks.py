from celery import shared_task

from groups.reminders import session_reminders_create


@shared_task(ignore_result=True)
def sweep_session_reminders() -> int:
    return session_reminders_create()
