"""Demo registrations: made-up people, so coordinators see seats, a waitlist and a review."""

import datetime

from django.utils import timezone

from groups.models import Course
from participants.eligibility import course_rules, evaluate
from participants.models import Attendance, Participant, Registration
from participants.services import PRIVACY_NOTICE_VERSION, next_waitlist_position

# (course title, made-up first names, status)
DEMO_REGISTRATIONS = [
    (
        "Fredericia, formiddag",
        ["Anna", "Bo", "Carla", "Dennis", "Eva", "Frank", "Gitte", "Hassan", "Ida", "Jonas"],
        Registration.Status.ACCEPTED,
    ),
    ("Fredericia, formiddag", ["Karin", "Lars"], Registration.Status.WAITLISTED),
    ("Helsingør, eftermiddag", ["Maja", "Nikolaj", "Olivia"], Registration.Status.ACCEPTED),
    ("Helsingør, eftermiddag", ["Peter"], Registration.Status.NEEDS_REVIEW),
    ("Vinter, Fredericia", ["Rikke", "Søren"], Registration.Status.ACCEPTED),
]


def load(stdout=None):
    for title, names, status in DEMO_REGISTRATIONS:
        course = Course.objects.select_related("program__organisation").get(title=title)
        for name in names:
            participant, _ = Participant.objects.get_or_create(
                organisation=course.program.organisation,
                name=f"{name} (demo)",
                defaults={
                    "email": f"{name.lower()}@demo.eksempel.dk",
                    "birth_date": datetime.date(1985, 3, 1),
                    "municipality": "607",
                },
            )
            if Registration.objects.filter(course=course, participant=participant).exists():
                continue
            Registration.objects.create(
                course=course,
                participant=participant,
                status=status,
                waitlist_position=(
                    next_waitlist_position(course)
                    if status == Registration.Status.WAITLISTED
                    else None
                ),
                **_eligibility(
                    course, participant, unsure=status == Registration.Status.NEEDS_REVIEW
                ),
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
                referral_source=Registration.ReferralSource.MUNICIPALITY,
            )
    _demo_attendance()


def _eligibility(course, participant, *, unsure: bool) -> dict:
    """Answers as the form stores them, and the engine's result on them: the registration
    waiting for a conversation answered "ved ikke" about its months in psychiatry."""
    answers = {
        "birth_date": participant.birth_date,
        "municipality": participant.municipality,
        "reduced_mental_functioning": "yes",
        "psychiatric_services_months": None if unsure else 6,
        "psychiatric_services_months_unknown": unsure,
    }
    result = evaluate(
        course_rules(course.program.eligibility_rules, course=course),
        answers,
        course_start=course.first_date,
    )
    stored = {**answers, "birth_date": participant.birth_date.isoformat()}
    return {
        "eligibility_answers": {key: value for key, value in stored.items() if value is not None},
        "eligibility_result": result.as_dict(),
    }


def _demo_attendance():
    """Attendance on the running course's past sessions: mostly present, a few notified."""
    course = Course.objects.get(title="Fredericia, formiddag")
    seated = list(course.registrations.filter(status=Registration.Status.ACCEPTED).order_by("pk"))
    for session in course.sessions.filter(starts_at__lt=timezone.now()):
        for index, registration in enumerate(seated):
            status = (
                Attendance.Status.NOTIFIED
                if (index + session.number) % 7 == 0
                else (Attendance.Status.PRESENT)
            )
            Attendance.objects.get_or_create(
                session=session, registration=registration, defaults={"status": status}
            )
