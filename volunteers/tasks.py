from celery import shared_task

from volunteers import notices
from volunteers.accompaniment import accompaniments_ending_notify


@shared_task(ignore_result=True)
def notify_certificates_due() -> int:
    return notices.certificates_due_notify()


@shared_task(ignore_result=True)
def notify_understaffed_courses() -> int:
    return notices.understaffed_courses_notify()


@shared_task(ignore_result=True)
def notify_accompaniments_ending() -> int:
    return accompaniments_ending_notify()
