"""The public registration form against the attacks of issue #17: taking over a stored
person's contact data, shutting a course with junk posts, and implausible input."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Course
from groups.services import course_plan_sessions
from participants.models import Participant, Registration
from peerprogram.models import OutboxMessage
from tests.conftest import log_in
from tests.factories import CourseFactory, ParticipantFactory, ProgramFactory, ReferrerFactory

pytestmark = pytest.mark.django_db

VICTIM = {
    "name": "Vera Vinther",
    "email": "vera@eksempel.dk",
    "phone": "20 30 40 50",
    "sms_opt_in": "on",
    "birth_date": "1984-03-09",
    "municipality": "217",
    "reduced_mental_functioning": "yes",
    "psychiatric_services_months": "6",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(org_a):
    program = ProgramFactory(
        organisation=org_a,
        eligibility_rules=[
            {"rule": "min_age", "value": 18},
            {"rule": "self_declared", "question": "reduced_mental_functioning"},
            {"rule": "max_months_psychiatric_services", "less_than": 24},
        ],
    )
    course = CourseFactory(
        program=program,
        capacity=1,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    return course


def register_url(course):
    return reverse("participants:register", args=[course.pk])


def post(client, course, data, **extra):
    return client.post(register_url(course), data, **extra)


def stored(participant):
    participant.refresh_from_db()
    return {
        field.name: getattr(participant, field.name) for field in Participant._meta.concrete_fields
    }


# -- 2: a known person's contact data cannot be taken over ------------------------------------


@pytest.mark.parametrize("sender", ["citizen", "referrer"])
def test_a_matching_submission_leaves_the_stored_person_as_it_was(course, org_b, sender):
    assert post(Client(), course, VICTIM).status_code == 302
    victim = Participant.objects.get()
    before = stored(victim)

    attacker = Client()
    if sender == "referrer":
        log_in(attacker, ReferrerFactory(organisations=[org_b]))
    takeover = {
        **VICTIM,
        "phone": "31 41 51 61",
        "municipality": "607",
        "sms_opt_in": "",
        "citizen_agreed": "on",
    }
    assert post(attacker, course, takeover).status_code == 302

    assert stored(victim) == before
    assert Participant.objects.count() == 2
    newcomer = Participant.objects.exclude(pk=victim.pk).get()
    assert (newcomer.phone, newcomer.municipality) == ("+4531415161", "607")
    # The victim's seat and status link stay theirs alone.
    assert victim.registrations.get().status == Registration.Status.ACCEPTED


def _thank_you_and_message(course, data, django_capture_on_commit_callbacks):
    """What a sender sees and receives for `data`; the database is put back afterwards so
    the next sender meets the same course."""
    mail.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, course, data, follow=True)
    assert response.redirect_chain, response.status_code
    registration = Registration.objects.latest("pk")
    registration.participant.delete()
    OutboxMessage.objects.filter(related_id=registration.pk).delete()
    (message,) = mail.outbox
    page = re.sub(r'(value|nonce)="[^"]*"', r'\1=""', response.content.decode())
    body = re.sub(r"/tilmelding/[^/\s]+/", "/tilmelding/TOKEN/", message.body)
    return page, message.subject, body


def test_the_reply_is_the_same_whether_or_not_the_person_is_known(
    course, django_capture_on_commit_callbacks
):
    # The victim holds the only seat; the course is now full for anyone else.
    assert post(Client(), course, VICTIM).status_code == 302

    known = _thank_you_and_message(course, VICTIM, django_capture_on_commit_callbacks)
    stranger = {**VICTIM, "birth_date": "1991-11-23", "email": "vera.v@eksempel.dk"}
    unknown = _thank_you_and_message(course, stranger, django_capture_on_commit_callbacks)

    assert known == unknown
    assert "nummer 1 på ventelisten" in known[0]
    assert "Du har fået en plads" not in known[0]


def test_a_double_click_from_the_same_browser_gives_one_registration(course):
    client = Client()
    assert post(client, course, VICTIM).status_code == 302
    assert post(client, course, VICTIM).status_code == 302
    assert Registration.objects.count() == 1


# -- 6: junk does not shut a course --------------------------------------------------------


JUNK = [
    {},
    {"name": "x"},
    {**VICTIM, "website": "http://spam.example"},
    {**VICTIM, "birth_date": "0001-01-01"},
    {**VICTIM, "email": "", "phone": "112"},
]


def test_invalid_posts_from_many_addresses_leave_the_course_open(course, settings):
    settings.REGISTRATION_LIMIT_PER_COURSE_HOUR = 5
    client = Client()
    for n in range(settings.REGISTRATION_LIMIT_PER_COURSE_HOUR + 20):
        response = post(client, course, JUNK[n % len(JUNK)], REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 400

    response = post(client, course, VICTIM, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_valid_posts_still_meet_the_course_limit_with_a_truthful_message(course, settings):
    settings.REGISTRATION_LIMIT_PER_COURSE_HOUR = 2
    for n in range(2):
        person = {**VICTIM, "email": f"person{n}@eksempel.dk"}
        assert post(Client(), course, person, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302

    response = post(Client(), course, VICTIM, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "Forløbet har fået mange tilmeldinger på kort tid" in response.content.decode()
    assert Registration.objects.count() == 2


# -- 10: implausible input ----------------------------------------------------------------


def _years_ago(years: int) -> str:
    """The first of this month, `years` years back: the person has turned `years`."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=1).isoformat()


@pytest.mark.parametrize("birth_date", ["0001-01-01", "1800-06-01"])
def test_a_birth_date_over_120_years_ago_is_refused_in_danish(course, birth_date):
    response = post(Client(), course, {**VICTIM, "birth_date": birth_date})

    assert response.status_code == 400
    assert "Fødselsdatoen ligger mere end 120 år tilbage" in response.content.decode()
    assert not Participant.objects.exists() and not OutboxMessage.objects.exists()


def test_the_admin_refuses_an_implausible_birth_date_too(org_a):
    participant = ParticipantFactory.build(organisation=org_a, birth_date=datetime.date(1, 1, 1))
    with pytest.raises(ValidationError, match="mere end 120 år"):
        participant.full_clean()


def test_a_birth_date_120_years_ago_is_accepted(course):
    response = post(Client(), course, {**VICTIM, "birth_date": _years_ago(120)})

    assert response.status_code == 302


def test_a_birth_date_in_the_future_is_still_refused(course):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(Client(), course, {**VICTIM, "birth_date": tomorrow.isoformat()})

    assert response.status_code == 400
    assert "Fødselsdatoen ligger i fremtiden" in response.content.decode()


@pytest.mark.parametrize(
    "phone",
    [
        "٢٠٣٠٤٠٥٠",  # Arabic-Indic digits
        "２０３０４０５０",  # fullwidth digits
        "+45 ٢٠٣٠٤٠٥٠",
        "112",
        "1813",
        "116 111",
        "12 34 56 78",  # eight digits, but no Danish number starts so
    ],
)
def test_a_phone_number_that_is_not_a_danish_mobile_is_refused(course, phone):
    response = post(Client(), course, {**VICTIM, "email": "", "phone": phone})

    assert response.status_code == 400
    assert "Skriv et dansk telefonnummer" in response.content.decode()
    assert not Participant.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("phone", ["20 30 40 50", "+45 20304050", "20304050"])
def test_a_danish_phone_number_is_accepted_as_typed_and_stored_in_e164(course, phone):
    response = post(Client(), course, {**VICTIM, "email": "", "phone": phone})

    assert response.status_code == 302
    assert Participant.objects.get().phone == "+4520304050"


def test_a_guardian_phone_number_gets_the_same_check(org_a):
    program = ProgramFactory(
        organisation=org_a,
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
    )
    course = CourseFactory(
        program=program,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    child = {
        "name": "Barn",
        "email": "familie@eksempel.dk",
        "birth_date": _years_ago(10),
        "municipality": "350",
        "guardian_name": "Forælder",
        "guardian_phone": "２０３０４０５０",
        "guardian_consent": "on",
    }

    response = post(Client(), course, child)

    assert response.status_code == 400
    assert "guardian_phone" in response.context["form"].errors
    assert not Registration.objects.exists()
