"""Speed benchmarks (`make bench`): planning sessions and rendering the coordinator's lists.

Runs on a throwaway SQLite database (or DATABASE_URL if set) and prints timings; goals are
stated next to each figure, never asserted in unit tests.
"""

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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from groups.services import course_plan_sessions  # noqa: E402
from tests.factories import (  # noqa: E402
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
    elapsed_ms = (time.perf_counter() - start) * 1000 / repeat
    verdict = "ok" if elapsed_ms <= goal_ms else "SLOWER THAN GOAL"
    print(f"{label:<55} {elapsed_ms:8.1f} ms  (goal ≤ {goal_ms} ms)  {verdict}")


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


if __name__ == "__main__":
    main()
