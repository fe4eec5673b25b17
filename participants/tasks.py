from celery import shared_task

from participants.services import custody_holds_release, intake_closed_notify


@shared_task(ignore_result=True)
def notify_intake_closed() -> int:
    return intake_closed_notify()


@shared_task(ignore_result=True)
def release_custody_holds() -> int:
    return custody_holds_release()
