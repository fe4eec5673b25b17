from celery import shared_task

from groups.reminders import session_reminders_create


@shared_task(ignore_result=True)
def sweep_session_reminders() -> int:
    return session_reminders_create()


@shared_task(ignore_result=True)
def render_document(kind: str, object_id: int) -> None:
    from groups import manuals

    manuals.document_get_or_render(kind, manuals.document_object(kind, object_id))
