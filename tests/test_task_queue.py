"""The task queue for real: a Celery worker on Redis (make test starts one), and the
filesystem broker that `make run` uses with no Redis at all."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.utils import timezone

from groups import reminders
from groups.models import Course
from groups.services import course_plan_sessions
from peerprogram import hooks
from peerprogram.celery import app as celery_app
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import Recipient
from tests.factories import CourseFactory, ProgramFactory

ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def redis_worker(django_db_blocker):
    if not celery_app.conf.broker_url.startswith("redis://"):
        pytest.skip("the broker is not Redis (make test starts a throwaway Redis)")
    celery_app.conf.task_always_eager = False
    # A thread of this process: it reads this xdist worker's test database (…_gw0, …_gw1).
    with (
        django_db_blocker.unblock(),
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


# One Redis database serves the session: under xdist, a second worker's Celery worker could take
# this test's task and look for its rows in the other worker's test database.
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_delivered_by_a_real_worker_through_redis(org_a, redis_worker):
    person = Recipient(key="participant:1", name="Sofie", email="sofie@eksempel.dk")

    def everyone(sender, *, sessions, **kwargs):
        return {session.pk: [person] for session in sessions}

    hooks.session_recipients.connect(everyone)
    try:
        start = timezone.localtime() + datetime.timedelta(hours=3)
        course = CourseFactory(
            program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
            first_date=start.date(),
            start_time=start.time().replace(second=0, microsecond=0),
            status=Course.Status.OPEN,
        )
        course_plan_sessions(course=course)
        with transaction.atomic():
            assert reminders.session_reminders_create() == 1
        assert wait_for(lambda: OutboxMessage.objects.filter(status="sent").exists())
    finally:
        hooks.session_recipients.disconnect(everyone)
    (sent,) = mail.outbox
    assert sent.to == ["sofie@eksempel.dk"]
    # The subject is neutral on a lock screen; the programme is named inside.
    assert "Vejen til Hverdagslivet" not in sent.subject and "Påmindelse" in sent.subject
    assert "Vejen til Hverdagslivet" in sent.body


@pytest.mark.smoke
def test_make_run_mode_delivers_through_the_filesystem_broker_without_redis(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RUN_DIR=str(tmp_path / "run"),
        EMAIL_URL=f"filemail:///{tmp_path / 'mail'}",  # environ drops one slash
        DJANGO_SETTINGS_MODULE="peerprogram.settings",
    )
    bin_dir = Path(sys.executable).parent

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=120
        )

    manage("migrate", "--noinput", "-v0")
    worker = subprocess.Popen(
        [
            str(bin_dir / "celery"),
            "-A",
            "peerprogram",
            "worker",
            "-B",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--schedule={tmp_path / 'beat-schedule'}",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        manage(
            "shell",
            "-c",
            "from django.db import transaction;"
            "from peerprogram.outbox.services import MessageDraft, Recipient, messages_create;"
            "transaction.atomic()(lambda: messages_create(drafts=[MessageDraft(kind='smoke',"
            " template='notifications/password_reset', recipient=Recipient(key='x', name='X',"
            " email='x@eksempel.dk'), context={'username': 'x'})]))()",
        )
        mail_dir = tmp_path / "mail"

        def delivered():
            # The file appears before the backend has written the message into it.
            files = list(mail_dir.iterdir()) if mail_dir.exists() else []
            return any("x@eksempel.dk" in path.read_text() for path in files)

        assert wait_for(delivered, seconds=60)
        (sent,) = list(mail_dir.iterdir())
        assert "x@eksempel.dk" in sent.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
