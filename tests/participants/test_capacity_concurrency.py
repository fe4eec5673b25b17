"""Capacity under real concurrency: separate OS processes, each with its own connection."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from groups.models import Course
from groups.services import course_plan_sessions
from participants.models import Registration
from tests.factories import CourseFactory, ProgramFactory

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
PER_PROCESS = 10

SUBMITTER = f"""
import datetime, sys, time
import django
django.setup()
from groups.models import Course
from participants import services

course_pk, start_at, worker = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
while time.time() < start_at:
    time.sleep(0.005)
for n in range({PER_PROCESS}):
    services.registration_submit(
        course=Course.objects.get(pk=course_pk),
        request=services.RegistrationRequest(
            name=f"Person {{worker}}-{{n}}",
            email=f"p{{worker}}-{{n}}@eksempel.dk",
            birth_date=datetime.date(1990, 1, 1),
            municipality="217",
        ),
        needs_review=False,
        eligibility={{"outcome": "eligible"}},
    )
"""


def database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_forty_registrations_from_four_processes_fill_ten_seats_exactly(org_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer anyway")
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a),
        capacity=10,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "peerprogram.settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    start_at = time.time() + 3  # every process is connected and waiting by then
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SUBMITTER, str(course.pk), str(start_at), str(worker)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(PROCESSES)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * PROCESSES, "\n".join(errors)

    registrations = Registration.objects.filter(course=course)
    assert registrations.count() == PROCESSES * PER_PROCESS
    assert registrations.filter(status="accepted").count() == 10
    positions = sorted(
        registrations.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, 31))
