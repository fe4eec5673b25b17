import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Course
from participants import services
from participants.models import Participant, Registration
from peerprogram.models import OutboxMessage
from tests.factories import ProgramFactory, RegistrationFactory, open_course

pytestmark = pytest.mark.django_db

SECTION_82 = [
    {"rule": "min_age", "value": 18},
    {"rule": "self_declared", "question": "reduced_mental_functioning"},
    {"rule": "max_months_psychiatric_services", "less_than": 24},
    {"rule": "municipality_in", "codes": ["607", "217", "101"]},
]


@pytest.fixture
def haab(org_a):
    return ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        capacity=10,
        intake_open_until_session=3,
        offers_accompaniment=True,
        accompaniment_limit_months=6,
        eligibility_rules=SECTION_82,
    )


def request_for(n, **extra):
    fields = {
        "name": f"Person {n}",
        "email": f"person{n}@eksempel.dk",
        "birth_date": datetime.date(1990, 1, 1),
        "municipality": "217",
    }
    return services.RegistrationRequest(**{**fields, **extra})


def submit(course, n, needs_review=False, **extra):
    return services.registration_submit(
        course=course,
        request=request_for(n, **extra),
        needs_review=needs_review,
        eligibility={"outcome": "eligible"},
    )


def statuses(course):
    return list(course.registrations.order_by("pk").values_list("status", "waitlist_position"))


def test_seats_are_given_until_full_then_the_waitlist_is_numbered(haab):
    course = open_course(haab, capacity=2)
    for n in range(5):
        submit(course, n)
    assert statuses(course) == [
        ("accepted", None),
        ("accepted", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]


def test_needs_a_conversation_goes_to_review_without_taking_a_seat(haab):
    course = open_course(haab, capacity=1)
    submit(course, 1, needs_review=True)
    submit(course, 2)
    assert statuses(course) == [("needs_review", None), ("accepted", None)]


def test_the_same_person_submitting_twice_is_two_requests_that_change_nothing_stored(haab):
    # The form cannot tell the person from someone who knows their name, birth date and
    # e-mail (issue #17); a repeat from the same browser is caught in the view instead.
    course = open_course(haab)
    first = submit(course, 1)
    second = submit(course, 1, phone="20 30 40 50")
    assert first.pk != second.pk
    assert Registration.objects.count() == 2 and Participant.objects.count() == 2
    first.participant.refresh_from_db()
    assert first.participant.phone == ""


def test_one_person_can_hold_registrations_on_several_courses(haab):
    submit(open_course(haab), 1)
    submit(open_course(haab), 1)
    # One participant row per submission: the public form never reuses a stored person.
    assert Participant.objects.count() == 2
    assert Registration.objects.count() == 2


def test_a_withdrawal_gives_the_seat_to_the_first_on_the_waitlist(
    haab, django_capture_on_commit_callbacks
):
    course = open_course(haab, capacity=1)
    seated = submit(course, 1)
    submit(course, 2)
    submit(course, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_withdraw(registration=seated)
    assert statuses(course) == [("withdrawn", None), ("accepted", None), ("waitlisted", 1)]
    promoted = OutboxMessage.objects.get(kind="registration_promoted")
    assert promoted.recipient_address == "person2@eksempel.dk"
    assert any("Der er blevet en plads til dig" in m.body for m in mail.outbox)


def test_leaving_the_waitlist_closes_the_gap(haab):
    course = open_course(haab, capacity=1)
    submit(course, 1)
    second = submit(course, 2)
    submit(course, 3)
    submit(course, 4)
    services.registration_withdraw(registration=second)
    assert statuses(course)[1:] == [("withdrawn", None), ("waitlisted", 1), ("waitlisted", 2)]


def intake_course(haab, sessions_started):
    """A running course whose first `sessions_started` sessions have begun."""
    course = open_course(haab, capacity=1)
    now = timezone.now()
    for session in course.sessions.order_by("number"):
        offset = datetime.timedelta(days=7 * (session.number - sessions_started - 1) + 1)
        session.starts_at = now + offset
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
        session.save()
    course.status = Course.Status.RUNNING
    course.save()
    return course


@pytest.mark.parametrize("started", [0, 1, 2])
def test_haab_takes_registrations_until_session_three_starts(haab, started):
    course = intake_course(haab, started)
    assert course.takes_registrations()
    assert submit(course, 1).status == "accepted"


def test_haab_refuses_registrations_once_session_three_has_started(haab):
    # "Open for the first three sessions": a newcomer may join at session 3, not later.
    course = intake_course(haab, 3)
    assert not course.takes_registrations()
    with pytest.raises(services.RegistrationClosed):
        submit(course, 1)
    assert not Registration.objects.exists()


def test_without_late_intake_registration_closes_when_the_course_starts(org_a):
    course = open_course(ProgramFactory(organisation=org_a))
    first = course.sessions.get(number=1)
    first.starts_at = timezone.now() - datetime.timedelta(hours=1)
    first.ends_at = timezone.now() + datetime.timedelta(hours=1)
    first.save()
    assert not course.takes_registrations()


def test_waitlist_promotion_stops_when_intake_closes(haab):
    course = intake_course(haab, 2)
    seated = submit(course, 1)
    submit(course, 2)
    # Session 3 begins: intake is over, so a freed seat stays free.
    session_three = course.sessions.get(number=3)
    session_three.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    session_three.save()
    services.registration_withdraw(registration=seated)
    assert statuses(course) == [("withdrawn", None), ("waitlisted", 1)]


def test_a_coordinator_cannot_accept_beyond_capacity(haab, coordinator_a):
    course = open_course(haab, capacity=1)
    submit(course, 1)
    review = submit(course, 2, needs_review=True)
    with pytest.raises(ValidationError, match="Forløbet er fuldt"):
        services.registration_decide(registration=review, status="accepted", user=coordinator_a)
    services.registration_decide(
        registration=review, status="waitlisted", user=coordinator_a, note="Fuldt"
    )
    review.refresh_from_db()
    assert (review.status, review.waitlist_position, review.decided_by) == (
        "waitlisted",
        1,
        coordinator_a,
    )
    assert review.decision_note == "Fuldt"


def test_declining_an_accepted_registration_promotes_the_next(haab, coordinator_a):
    course = open_course(haab, capacity=1)
    seated = submit(course, 1)
    submit(course, 2)
    services.registration_decide(
        registration=seated, status="declined", user=coordinator_a, note="Passer ikke"
    )
    assert statuses(course) == [("declined", None), ("accepted", None)]


def test_moving_to_another_course_frees_the_seat_and_takes_one_there(haab, coordinator_a):
    full = open_course(haab, capacity=1)
    seated = submit(full, 1)
    submit(full, 2)
    other = open_course(haab, capacity=5)
    moved = services.registration_move(
        registration=seated, course=other, user=coordinator_a, note="Tættere på"
    )
    assert (moved.course, moved.status) == (other, "accepted")
    assert "Tættere på" in moved.decision_note
    assert statuses(full) == [("accepted", None)]


def test_the_status_link_lives_only_in_the_sent_message(
    haab, client, django_capture_on_commit_callbacks
):
    course = open_course(haab)
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(course, 1)
    (sent,) = mail.outbox
    path = "/" + sent.body.split("http://", 1)[1].split("/", 1)[1].split()[0]
    token = path.rstrip("/").rsplit("/", 1)[-1]
    (link,) = registration.status_links.all()
    assert token not in link.token_hash
    assert link.token_hash == services.token_hash(token)
    message = OutboxMessage.objects.get(kind="registration_confirmation")
    assert token not in message.body + str(message.context)

    page = client.get(path)
    assert "Optaget" in page.content.decode()
    asked = client.post(path, {"withdraw": "ask"})
    assert "Vil du framelde dig?" in asked.content.decode()
    registration.refresh_from_db()
    assert registration.status == "accepted"
    client.post(path, {"withdraw": "confirmed"})
    registration.refresh_from_db()
    assert registration.status == "withdrawn"


def test_an_ineligible_person_is_shown_the_reasons_and_nothing_is_stored(haab, client):
    course = open_course(haab)
    data = {
        "name": "Ida Ikke",
        "email": "ida@eksempel.dk",
        "birth_date": "1990-01-01",
        "municipality": "217",
        "reduced_mental_functioning": "yes",
        "psychiatric_services_months": "30",
    }
    response = client.post(reverse("participants:register", args=[course.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Forløbet passer desværre ikke til dig" in html
    assert "24 måneder" in html
    assert 'value="Ida Ikke"' in html and 'value="30"' in html
    assert not Participant.objects.exists() and not OutboxMessage.objects.exists()


def test_registering_through_the_form_confirms_and_accepts(haab, client):
    course = open_course(haab)
    data = {
        "name": "Sofie Selv",
        "email": "sofie@eksempel.dk",
        "birth_date": "1990-01-01",
        "municipality": "217",
        "reduced_mental_functioning": "yes",
        "psychiatric_services_months": "12",
        "referral_source": "self",
    }
    response = client.post(reverse("participants:register", args=[course.pk]), data, follow=True)
    assert "Du har fået en plads" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "accepted"
    assert registration.eligibility_result["outcome"] == "eligible"
    assert registration.eligibility_answers["psychiatric_services_months"] == 12
    assert registration.privacy_notice_version == services.PRIVACY_NOTICE_VERSION
    assert registration.registered_by is None


def test_a_coordinator_registers_a_citizen_on_their_behalf(haab, client_for, coordinator_a):
    course = open_course(haab)
    client = client_for(coordinator_a)
    data = {
        "name": "Borger Henvist",
        "phone": "20 30 40 50",
        "birth_date": "1985-06-01",
        "municipality": "607",
        "reduced_mental_functioning": "unknown",
        "psychiatric_services_months": "",
        "psychiatric_services_months_unknown": "on",
    }
    url = reverse("participants:register", args=[course.pk])
    refused = client.post(url, data)
    assert "citizen_agreed" in refused.context["form"].errors
    client.post(url, {**data, "citizen_agreed": "on"})
    registration = Registration.objects.get()
    assert registration.registered_by == coordinator_a and registration.citizen_agreed
    assert registration.status == "needs_review"


def test_a_child_under_15_needs_a_custody_holder(org_a, client):
    program = ProgramFactory(
        organisation=org_a,
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
    )
    course = open_course(program)
    url = reverse("participants:register", args=[course.pk])
    child = {
        "name": "Barn",
        "email": "familie@eksempel.dk",
        "birth_date": "2016-03-01",
        "municipality": "350",
    }
    errors = client.post(url, child).context["form"].errors
    assert {"guardian_name", "guardian_consent", "guardian_email"} <= set(errors)
    client.post(
        url,
        {
            **child,
            "guardian_name": "Forælder",
            "guardian_phone": "20304050",
            "guardian_consent": "on",
        },
    )
    registration = Registration.objects.get()
    assert registration.guardian_name == "Forælder"
    # The consent is recorded when the custody holder confirms through their link
    # (tests/participants/test_families.py); until then the seat is held.
    assert registration.status == "awaiting_custody" and registration.guardian_consent_at is None


def test_an_association_asks_for_explicit_consent(haab, client):
    haab.organisation.data_protection_basis = "consent"
    haab.organisation.save()
    course = open_course(haab)
    response = client.get(reverse("participants:register", args=[course.pk]))
    assert "consent" in response.context["form"].fields
    assert response.context["form"].fields["consent"].required


def test_accepted_participants_get_session_reminders(haab):
    from groups.reminders import session_reminders_create

    course = open_course(haab, first_date=timezone.localdate() + datetime.timedelta(days=1))
    RegistrationFactory(course=course, status="accepted")
    RegistrationFactory(course=course, status="waitlisted", waitlist_position=1)
    first = course.sessions.get(number=1)
    assert session_reminders_create(now=first.starts_at - datetime.timedelta(hours=2)) == 1


def test_the_rate_limit_stops_a_flood_with_a_friendly_message(haab, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REGISTRATION_LIMIT_PER_IP_HOUR = 2
    course = open_course(haab)
    url = reverse("participants:register", args=[course.pk])
    for _ in range(2):
        client.post(url, {"name": "x"})
    response = client.post(url, {"name": "Mia", "email": "mia@eksempel.dk"})
    assert response.status_code == 429
    assert "Vent lidt" in response.content.decode()
    assert 'value="Mia"' in response.content.decode()
    assert 'href="tel:112"' in response.content.decode()
    cache.clear()


def test_a_municipal_referrer_signs_in_and_registers_a_citizen(haab, client, org_b):
    from tests.factories import PASSWORD, ReferrerFactory

    referrer = ReferrerFactory(username="henviser", organisations=[org_b])
    signed_in = client.post(
        reverse("login"), {"username": "henviser", "password": PASSWORD}, follow=True
    )
    assert "henviser" in signed_in.content.decode()
    course = open_course(haab)
    url = reverse("participants:register", args=[course.pk])
    page = client.get(url).content.decode()
    assert "registreres som en henvisning fra dig" in page
    client.post(
        url,
        {
            "name": "Borger",
            "email": "borger@eksempel.dk",
            "birth_date": "1980-02-02",
            "municipality": "101",
            "reduced_mental_functioning": "yes",
            "psychiatric_services_months": "3",
            "citizen_agreed": "on",
        },
    )
    registration = Registration.objects.get()
    assert registration.registered_by == referrer and registration.citizen_agreed


def test_a_registrant_with_only_a_mobile_number_gets_the_confirmation_and_changes_by_sms(
    haab, client, django_capture_on_commit_callbacks
):
    from groups.services import session_move
    from peerprogram.outbox.sms import LocmemSmsBackend

    course = open_course(haab)
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(course, 1, email="", phone="20 30 40 51")  # no SMS tick
    (confirmation,) = LocmemSmsBackend.outbox
    assert confirmation["to"] == "+4520304051"  # stored and sent in E.164
    path = "/" + confirmation["body"].split("http://", 1)[1].split("/", 1)[1].split()[0]
    assert "Optaget" in client.get(path).content.decode()
    registration.refresh_from_db()
    assert registration.status == "accepted"

    first = course.sessions.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=first, starts_at=first.starts_at + datetime.timedelta(hours=2))
    assert [m.channel for m in OutboxMessage.objects.filter(kind="session_moved")] == ["sms"]


def test_with_an_email_a_phone_and_no_sms_tick_the_confirmation_goes_to_both(haab):
    course = open_course(haab)
    submit(course, 1, phone="20 30 40 51")
    confirmations = OutboxMessage.objects.filter(kind="registration_confirmation")
    assert sorted(m.channel for m in confirmations) == ["email", "sms"]


def test_the_confirmation_is_danish_when_the_page_was_in_english(
    haab, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from peerprogram.outbox.sms import LocmemSmsBackend

    course = open_course(haab)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        submit(course, 1, email="", phone="20 30 40 51")
    (sent,) = LocmemSmsBackend.outbox
    assert "Du har fået en plads" in sent["body"] and "You have a place" not in sent["body"]


def test_a_months_question_left_blank_asks_for_a_number_or_an_explicit_ved_ikke(haab, client):
    course = open_course(haab)
    url = reverse("participants:register", args=[course.pk])
    data = {
        "name": "Sofie Borger",
        "phone": "20 30 40 50",
        "birth_date": "1985-06-01",
        "municipality": "607",
        "reduced_mental_functioning": "unknown",
        "psychiatric_services_months": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "sæt kryds i “Ved ikke”" in refused.content.decode()
    assert 'value="Sofie Borger"' in refused.content.decode()
    assert not Registration.objects.exists()
    client.post(url, {**data, "psychiatric_services_months_unknown": "on"})
    assert Registration.objects.get().eligibility_answers["psychiatric_services_months_unknown"]


def test_the_form_helps_a_phone_fill_it_in_and_lists_errors_in_page_order(haab, client):
    course = open_course(haab)
    url = reverse("participants:register", args=[course.pk])
    page = client.get(url).content.decode()
    assert 'autocomplete="name"' in page and 'autocomplete="email"' in page
    assert 'autocomplete="bday"' in page
    assert 'type="tel"' in page and 'inputmode="tel"' in page and 'autocomplete="tel"' in page
    assert "Vælg kommune" in page and "---------" not in page
    # What each channel gets, said beside the fields.
    assert "som SMS, hvis du skriver et mobilnummer" in page
    assert "Som SMS får du den kun, hvis du sætter kryds her." in page
    form = client.post(url, {"name": ""}).context["form"]
    order = list(form.fields)
    assert order.index("name") < order.index("birth_date") < order.index("municipality")
    assert order.index("municipality") < order.index("email") < order.index("phone")
