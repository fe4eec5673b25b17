"""A rule is written once and named everywhere else (issue #13 item 1): "open or running" is
`Course.ACTIVE`, and statuses are the TextChoices values or a property of the object, never a
raw string that could drift from the choices."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from groups.models import Course
from participants.models import Registration
from tests.factories import CourseFactory, RegistrationFactory

ROOT = Path(__file__).resolve().parents[1]
APPS = ["peerprogram", "groups", "participants", "volunteers", "evaluation"]

ACTIVE_WRITTEN_OUT = re.compile(
    r"Status\.(OPEN|RUNNING),\s*(Course\.)?Status\.(OPEN|RUNNING)|"
    r"[\"'](open|running)[\"'],\s*[\"'](open|running)[\"']"
)
# `status="planned"`, `sessions__status="planned"`, `status__in=["accepted", …]`.
RAW_STATUS_LOOKUP = re.compile(r"\bstatus(__in)?\s*=\s*[\[(]?\s*[\"']\w")
# `status != "needs_review"` in code, `x.status == "accepted"` in templates. Message templates
# (templates/notifications) compare a plain string from the JSON context stored with the
# message; they are not objects and stay out of this check.
RAW_STATUS_COMPARISON = re.compile(r"\bstatus\s*[!=]=\s*[\"']\w")


def app_files(suffix):
    for app in APPS:
        for path in (ROOT / app).rglob(f"*{suffix}"):
            if "migrations" not in path.parts:
                yield path
    if suffix == ".html":
        for path in (ROOT / "templates").rglob("*.html"):
            if "notifications" not in path.parts:
                yield path


def offending_lines(paths, pattern):
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]


def test_open_or_running_is_written_only_as_course_active():
    found = offending_lines(app_files(".py"), ACTIVE_WRITTEN_OUT)
    # Only the one definition itself.
    assert len(found) == 1, found
    assert found[0].startswith("groups/models.py:"), found
    assert found[0].endswith("ACTIVE = [Status.OPEN, Status.RUNNING]"), found


@pytest.mark.parametrize("pattern", [RAW_STATUS_LOOKUP, RAW_STATUS_COMPARISON])
def test_no_code_filters_or_compares_on_a_raw_status_string(pattern):
    assert offending_lines(app_files(".py"), pattern) == []


def test_no_template_compares_an_objects_status_with_a_raw_string():
    assert offending_lines(app_files(".html"), RAW_STATUS_COMPARISON) == []


def test_the_registration_constraints_follow_the_status_choices():
    """The conditions name `Registration.LIVE` and `Status.WAITLISTED`, so a status added to
    LIVE changes the constraint (and makemigrations says so) instead of silently not."""
    constraints = {c.name: c for c in Registration._meta.constraints}
    live = constraints["one_live_registration_per_course"].condition
    assert live.children == [("status__in", Registration.LIVE)]
    waitlist = constraints["unique_waitlist_position"].condition
    assert waitlist.children == [("status", Registration.Status.WAITLISTED)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "position", "text"),
    [
        (Registration.Status.ACCEPTED, None, "Du har fået en plads i"),
        (Registration.Status.WAITLISTED, 4, "Du står som nummer 4 på ventelisten"),
        (Registration.Status.NEEDS_REVIEW, None, "En koordinator kontakter dig snart"),
    ],
)
def test_the_thank_you_page_asks_the_registration_what_it_got(client, status, position, text):
    course = CourseFactory(status=Course.Status.OPEN)
    registration = RegistrationFactory(course=course, status=status, waitlist_position=position)
    session = client.session
    session["registration_outcome"] = {"course": course.pk, "registration": registration.pk}
    session.save()
    response = client.get(reverse("participants:registered", args=[course.pk]))
    assert text in response.content.decode()
    assert registration.is_accepted is (status == Registration.Status.ACCEPTED)
    assert registration.is_waitlisted is (status == Registration.Status.WAITLISTED)
