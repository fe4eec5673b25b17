"""What the workspace's registration tests share: an open course and registrations on it."""

import datetime

from django.utils import timezone

from groups.models import Course
from groups.services import course_plan_sessions
from tests.factories import CourseFactory

# A "ved ikke" registration's answers as the public form stores them (JSON-ready).
VED_IKKE_ANSWERS = {
    "birth_date": "1990-01-01",
    "municipality": "217",
    "reduced_mental_functioning": "unknown",
    "psychiatric_services_months": None,
    "psychiatric_services_months_unknown": True,
}
VED_IKKE_RESULT = {
    "outcome": "needs_conversation",
    "reasons": [],
    "open_questions": [
        "Nedsat psykisk funktionsevne eller psykisk sårbarhed: svaret er »ved ikke«.",
    ],
}


def open_course(program, capacity=3, **extra):
    course = CourseFactory(
        program=program,
        capacity=capacity,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
        **extra,
    )
    course_plan_sessions(course=course)
    return course
