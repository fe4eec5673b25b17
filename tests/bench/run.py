"""Speed benchmarks (`make bench`): planning sessions and rendering the coordinator's lists.

Runs on a throwaway SQLite database (or DATABASE_URL if set) and prints timings; goals are
stated next to each figure, never asserted in unit tests.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerprogram.settings")
os.environ.setdefault("DEBUG", "true")
workdir = tempfile.mkdtemp(prefix="pp-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from evaluation import services
from evaluation.instruments import install_templates
from evaluation.models import Item, Questionnaire, Response
from groups import reminders
from groups.models import Course, Session
from groups.services import course_plan_sessions
from peerprogram import hooks
from peerprogram.outbox.services import Recipient
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ProgramFactory,
    ThemeFactory,
)

COURSES = 200


def timed(label, goal_ms, function, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    verdict(label, (time.perf_counter() - start) * 1000 / repeat, goal_ms)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    organisation = OrganisationFactory(slug="bench")
    program = ProgramFactory(organisation=organisation)
    for number in range(1, 11):
        ThemeFactory(program=program, number=number)
    courses = [CourseFactory(program=program) for _ in range(COURSES)]

    new_courses = iter(courses)
    timed(
        f"plan sessions of a new course ({COURSES} courses)",
        50,
        lambda: course_plan_sessions(course=next(new_courses)),
        repeat=COURSES,
    )
    timed(
        "plan sessions again, nothing changes (per course)",
        30,
        lambda: course_plan_sessions(course=courses[0]),
        repeat=50,
    )

    client = Client()
    client.force_login(CoordinatorFactory(organisations=[organisation]))
    for url, goal in [
        ("/admin/groups/course/", 300),
        ("/admin/groups/session/", 300),
        ("/admin/", 200),
        ("/", 300),
    ]:
        timed(f"GET {url} with {COURSES} courses", goal, lambda url=url: client.get(url), 5)

    who5, chime = install_templates(Questionnaire, Item)
    Response.objects.bulk_create(
        Response(
            course=course,
            phase=phase,
            questionnaire=questionnaire,
            iso_week="2027-W10",
            answers={str(n): (index + n) % 5 for n in range(1, 9)} | {"9": "Godt forløb"},
        )
        for course in courses
        for index in range(10)
        for phase in ("before", "after")
        for questionnaire in (who5, chime)
    )
    for course in courses:
        for phase in ("before", "after"):
            services.report_release_make(course_id=course.pk, phase=phase)
    timed(
        f"GET the programme report ({COURSES} courses, {Response.objects.count()} answers)",
        2000,
        lambda: client.get(f"/admin/evaluation/report/{program.pk}/change/"),
        3,
    )


class Rollback(Exception):
    pass


def twelve_people(sender, *, sessions, **kwargs):
    return {
        session.pk: [
            Recipient(key=f"person:{n}", name=f"Deltager {n}", email=f"d{n}@eksempel.dk")
            for n in range(12)
        ]
        for session in sessions
    }


def bench_reminder_sweep():
    """The reminder sweep over sessions in the window, 12 recipients each."""
    hooks.session_recipients.connect(twelve_people)
    program = ProgramFactory(organisation=OrganisationFactory(slug="sweep"))
    now = timezone.now()
    print()
    for total in (1_000, 10_000):
        Session.objects.filter(course__program=program).delete()
        courses = Course.objects.bulk_create(
            CourseFactory.build(program=program, status=Course.Status.RUNNING)
            for _ in range(total // 10)
        )
        Session.objects.bulk_create(
            Session(
                course=course,
                number=number,
                starts_at=now + datetime.timedelta(minutes=10 + index % 600),
                ends_at=now + datetime.timedelta(minutes=130 + index % 600),
                place="Medborgerhuset",
            )
            for index, course in enumerate(courses)
            for number in range(1, 11)
        )
        start = time.perf_counter()
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                rows = reminders.session_reminders_create(now=now)
                elapsed = time.perf_counter() - start
                raise Rollback
        except Rollback:
            pass
        print(
            f"reminder sweep, {total:>6} sessions x 12 recipients: {elapsed:6.2f} s, "
            f"{rows / elapsed:8.0f} rows/s, {len(queries)} queries "
            f"({len(queries) / (rows / 500):.1f} per 500 rows: no query per session)"
        )


def bench_manual():
    """The 10-theme course manual: cold in a warm worker process (one document rendered
    before, as a worker that has served one), then served from the fingerprinted copy."""
    from django.conf import settings

    from groups import manuals
    from groups.models import RenderedDocument

    settings.MEDIA_ROOT = Path(workdir) / "media"
    program = ProgramFactory(organisation=OrganisationFactory(slug="manual"))
    for number in range(1, 11):
        ThemeFactory(program=program, number=number, purpose="Formål. " * 40)
    kind = RenderedDocument.Kind.COURSE_MANUAL
    first, course = (CourseFactory(program=program) for _ in range(2))
    for each in (first, course):
        course_plan_sessions(course=each)
    start = time.perf_counter()
    manuals.document_get_or_render(kind, first)
    process_cold = time.perf_counter() - start
    start = time.perf_counter()
    document = manuals.document_get_or_render(kind, course)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    manuals.document_get_or_render(kind, course)
    cached = time.perf_counter() - start
    print(f"\ncourse manual, 10 themes, {document.pages} pages")
    verdict("  first document of a new process", process_cold * 1000, None)
    verdict("  cold, in a warm worker process", cold * 1000, 1000)
    verdict("  unchanged (the stored copy)", cached * 1000, 50)


def verdict(label, elapsed_ms, goal_ms):
    """One figure with its goal and "ok" / "SLOWER THAN GOAL" (no goal: for information)."""
    if goal_ms is None:
        print(f"{label:<55} {elapsed_ms:8.1f} ms")
        return
    result = "ok" if elapsed_ms <= goal_ms else "SLOWER THAN GOAL"
    print(f"{label:<55} {elapsed_ms:8.1f} ms  (goal ≤ {goal_ms} ms)  {result}")


if __name__ == "__main__":
    main()
    bench_manual()
    bench_reminder_sweep()
