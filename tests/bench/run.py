"""Speed benchmarks (`make bench`): planning sessions and rendering the coordinator's lists.

Runs on a throwaway SQLite database (or DATABASE_URL if set) and prints timings; goals are
stated next to each figure, never asserted in unit tests.
"""

import datetime
import os
import random
import statistics
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
from tests.bench.figures import OK, SLOWER, record, summary, verdict
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    OutboxMessageFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
)

COURSES = 200


def timed(label, goal_ms, function, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    verdict(label, (time.perf_counter() - start) * 1000 / repeat, goal_ms)


def prepare():
    setup_test_environment()
    call_command("migrate", verbosity=0)


def main():
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
    # Answers as varied as people's: every scale answer drawn at random, a few skipped, and
    # one in four writing a text of their own.
    rng = random.Random(16)
    Response.objects.bulk_create(
        Response(
            course=course,
            phase=phase,
            questionnaire=questionnaire,
            iso_week="2027-W10",
            answers={str(n): rng.randint(0, 4) for n in range(1, 9) if rng.random() < 0.95}
            | ({"9": f"Godt forløb, nr. {rng.randint(1, 10**6)}"} if rng.random() < 0.25 else {}),
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
        500,
        lambda: client.get(f"/admin/evaluation/report/{program.pk}/change/"),
        3,
    )


def bench_coordinator_pages():
    """The admin lists coordinators still use and the workspace pages, at 20 and 200 courses:
    the time with 200 against the goal, and the number of queries, which must not grow."""
    from participants.models import Registration
    from volunteers.models import ContactRequest, CourseFacilitator, Peer

    organisation = OrganisationFactory(slug="coordinator")
    program = ProgramFactory(organisation=organisation)
    for number in range(1, 7):
        ThemeFactory(program=program, number=number)
    client = Client()
    client.force_login(CoordinatorFactory(organisations=[organisation]))

    def grow_to(total):
        while Course.objects.filter(program=program).count() < total:
            course = CourseFactory(program=program, status=Course.Status.RUNNING)
            course_plan_sessions(course=course)
            for status in ("accepted", "accepted", "accepted", "needs_review", "submitted"):
                registration = RegistrationFactory(course=course, status=status)
                OutboxMessageFactory(
                    organisation=organisation,
                    related_object=course,
                    recipient_name=registration.participant.name,
                )
            peer = Peer.objects.create(organisation=organisation, name=f"Peer {course.pk}")
            CourseFacilitator.objects.create(course=course, peer=peer)
            ContactRequest.objects.create(
                organisation=organisation,
                first_name="Borger",
                phone="+4520000000",
                wish=ContactRequest.Wish.PEER,
            )

    first = Course.objects.filter(program=program).order_by("pk")
    pages = [
        ("admin: courses", lambda: "/admin/groups/course/"),
        ("admin: sessions", lambda: "/admin/groups/session/"),
        ("admin: registrations", lambda: "/admin/participants/registration/"),
        ("admin: participants", lambda: "/admin/participants/participant/"),
        ("admin: peers", lambda: "/admin/volunteers/peer/"),
        ("admin: outbox", lambda: "/admin/peerprogram/outboxmessage/"),
        ("admin: contact requests", lambda: "/admin/volunteers/contactrequest/"),
        ("workspace: I dag", lambda: "/koordinator/"),
        ("workspace: courses", lambda: "/koordinator/forloeb/"),
        ("workspace: course page", lambda: f"/koordinator/forloeb/{first.first().pk}/"),
        (
            "workspace: registration page",
            lambda: (
                "/koordinator/tilmeldinger/"
                f"{Registration.objects.filter(course__program=program).order_by('pk').first().pk}/"
            ),
        ),
    ]
    queries = {}
    print()
    for total in (20, COURSES):
        grow_to(total)
        for label, url in pages:
            response = client.get(url())  # warm up
            assert response.status_code == 200, (label, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url())
            queries[label, total] = len(captured)
            if total == COURSES:
                timed(f"{label}, {total} courses", 100, lambda url=url: client.get(url()), 5)
    for label, _url in pages:
        small, large = queries[label, 20], queries[label, COURSES]
        print(
            f"  {label:<35} queries at 20 / {COURSES} courses: {small:3} / {large:3}"
            + ("" if small == large else "  GROWS WITH THE DATA")
        )
        record(OK if small == large else SLOWER)


def bench_registration_post():
    """A citizen's registration sent through the public form, in-process: the form checked,
    the seat given under the course's lock, the confirmation queued (to Redis when
    CELERY_BROKER_URL names it, as in production). Median of 50."""
    from django.conf import settings

    settings.REGISTRATION_LIMIT_PER_IP_HOUR = settings.REGISTRATION_LIMIT_PER_COURSE_HOUR = 10**6
    program = ProgramFactory(organisation=OrganisationFactory(slug="post"), eligibility_rules=[])
    course = CourseFactory(program=program, capacity=1000, status=Course.Status.OPEN)
    course_plan_sessions(course=course)
    url = f"/forloeb/{course.pk}/tilmeld/"
    client = Client()
    client.get(url)
    timings = []
    for n in range(51):
        data = {
            "name": f"Deltager {n}",
            "email": f"deltager{n}@eksempel.dk",
            "birth_date": "1990-01-01",
            "municipality": "217",
            "referral_source": "self",
        }
        start = time.perf_counter()
        response = client.post(url, data)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    print()
    verdict("registration POST (in-process, median of 50)", statistics.median(timings[1:]), 20)


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
        verdict(
            f"reminder sweep, {total:>6} sessions x 12 recipients",
            elapsed * 1000,
            5000 if total == 10_000 else None,
        )
        print(
            f"  {rows / elapsed:8.0f} rows/s, {len(queries)} queries "
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


if __name__ == "__main__":
    prepare()
    # The coordinator pages first: the report's requests leave a large heap behind in this
    # process (the test client keeps their contexts), which would slow every page after them.
    bench_coordinator_pages()
    main()
    bench_registration_post()
    bench_manual()
    bench_reminder_sweep()
    if not os.environ.get("BENCH_TALLY"):
        print(summary())
