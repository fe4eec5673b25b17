from celery import shared_task

from evaluation.services import invitations_due


@shared_task(ignore_result=True)
def send_due_invitations() -> int:
    return invitations_due()
