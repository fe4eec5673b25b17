"""The course page's actions on participants (issue #12, item 3): register a citizen who
phoned or walked in, record or correct attendance, message the course, print the roster and
the attendance sheet; and the course page's attendance so far and messages sent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Program
from participants import attendance, course_messages, staff_registration
from participants.figures import course_figures
from participants.models import Attendance, CustodyConfirmation, Participant, Registration
from participants.services import RegistrationRequest
from peerprogram.models import AuditEntry, OutboxMessage
from peerprogram.outbox.services import MessageDraft, Recipient, messages_create, messages_preview
from tests import factories
from tests.factories import (
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.volunteers.factories import CourseFacilitatorFactory
from tests.workspace.bounds import COURSE_PAGE_QUERIES

pytestmark = pytest.mark.django_db

SECTION_82 = [
    {"rule": "min_age", "value": 18},
    {"rule": "self_declared", "question": "reduced_mental_functioning"},
    {"rule": "max_months_psychiatric_services", "less_than": 24},
]


@pytest.fixture
def haab(org_a):
    return ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        capacity=10,
        intake_open_until_session=3,
        eligibility_rules=SECTION_82,
    )


def open_course(program, capacity=3, first_date=None):
    for number in (1, 2, 3):
        ThemeFactory(program=program, number=number)
    return factories.open_course(program, capacity=capacity, first_date=first_date)


@pytest.fixture
def course(haab):
    return open_course(haab)


@pytest.fixture
def running(haab):
    """A course whose first two sessions have been held and whose third is to come."""
    course = open_course(haab, first_date=timezone.localdate() - datetime.timedelta(days=8))
    course.status = Course.Status.RUNNING
    course.save(update_fields=["status"])
    return course


CALLER = {
    "name": "Bente Ringer",
    "phone": "20 30 40 50",
    "birth_date": "1980-04-02",
    "municipality": "350",
    "reduced_mental_functioning": "yes",
    "psychiatric_services_months": "6",
    "citizen_agreed": "on",
}


def views(**lookup):
    return AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, **lookup)


# --- Registering a citizen who phoned or walked in -------------------------------------------


def test_a_coordinator_registers_a_phone_caller_as_registered_by_staff(
    client_for, coordinator_a, course
):
    client = client_for(coordinator_a)
    url = reverse("workspace:course_register", args=[course.pk])
    page = client.get(url).content.decode()
    assert "Borgeren har sagt ja til, at jeg tilmelder dem" in page

    response = client.post(url, CALLER, follow=True)
    registration = Registration.objects.get()
    assert registration.registered_by == coordinator_a and registration.citizen_agreed
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.participant.phone == "+4520304050"  # stored in E.164
    # On to the person's page, where the contact log and the decisions are.
    assert response.redirect_chain[-1][0] == reverse(
        "workspace:registration", args=[registration.pk]
    )
    assert "Bente Ringer er tilmeldt og har fået en plads." in response.content.decode()
    # The citizen is told, as after the public form.
    assert OutboxMessage.objects.filter(kind="registration_confirmation").count() == 1


def test_a_double_click_registers_the_caller_once(client_for, coordinator_a, course):
    client = client_for(coordinator_a)
    url = reverse("workspace:course_register", args=[course.pk])
    client.post(url, CALLER)
    again = client.post(url, CALLER, follow=True)
    assert "Bente Ringer er tilmeldt og har fået en plads." in again.content.decode()
    assert Registration.objects.count() == 1
    # Another caller from the same page is a new registration.
    client.post(url, {**CALLER, "name": "Carl Ringer"})
    assert Registration.objects.count() == 2


def test_a_phone_registration_with_an_invalid_number_stores_nothing_and_keeps_the_form(
    client_for, coordinator_a, course
):
    response = client_for(coordinator_a).post(
        reverse("workspace:course_register", args=[course.pk]), {**CALLER, "phone": "1234"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Intet er gemt" in html and "8 cifre" in html
    assert 'value="Bente Ringer"' in html and 'value="1234"' in html
    assert not Participant.objects.exists() and not OutboxMessage.objects.exists()


def test_a_phone_registration_without_any_contact_is_refused(client_for, coordinator_a, course):
    response = client_for(coordinator_a).post(
        reverse("workspace:course_register", args=[course.pk]), {**CALLER, "phone": ""}
    )
    assert response.status_code == 400
    assert "Skriv en e-mail eller et mobilnummer" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_staff_registration_needs_the_citizens_agreement(client_for, coordinator_a, course):
    data = {key: value for key, value in CALLER.items() if key != "citizen_agreed"}
    response = client_for(coordinator_a).post(
        reverse("workspace:course_register", args=[course.pk]), data
    )
    assert response.status_code == 400
    assert "citizen_agreed" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_an_ineligible_caller_is_told_why_and_nothing_is_stored(client_for, coordinator_a, course):
    response = client_for(coordinator_a).post(
        reverse("workspace:course_register", args=[course.pk]),
        {**CALLER, "psychiatric_services_months": "30"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Forløbet passer ikke til borgeren" in html and "24 måneder" in html
    assert 'value="30"' in html
    assert not Participant.objects.exists() and not OutboxMessage.objects.exists()


def test_a_ved_ikke_answer_registers_the_caller_for_a_conversation(
    client_for, coordinator_a, course
):
    client_for(coordinator_a).post(
        reverse("workspace:course_register", args=[course.pk]),
        {**CALLER, "reduced_mental_functioning": "unknown"},
    )
    assert Registration.objects.get().status == Registration.Status.NEEDS_REVIEW


@pytest.fixture
def children(org_a):
    program = ProgramFactory(
        organisation=org_a,
        name="Mod og Mestring",
        audience=Program.Audience.CHILDREN_AND_YOUTH,
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
    )
    return open_course(program)


def test_a_coordinator_cannot_consent_for_a_custody_holder(client_for, coordinator_a, children):
    client = client_for(coordinator_a)
    url = reverse("workspace:course_register", args=[children.pk])
    form = client.get(url).context["form"]
    assert "guardian_consent" not in form.fields
    ten_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 10)
    client.post(
        url,
        {
            "name": "Barn Ringer",
            "email": "familie@eksempel.dk",
            "birth_date": ten_years_ago.isoformat(),
            "municipality": "350",
            "guardian_name": "Forælder Ringer",
            "guardian_email": "foraelder@eksempel.dk",
            # Sent anyway (by hand): it changes nothing.
            "guardian_consent": "on",
            "citizen_agreed": "on",
        },
    )
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.AWAITING_CUSTODY
    assert registration.guardian_consent_at is None
    assert CustodyConfirmation.objects.filter(registration=registration).count() == 1
    [request] = OutboxMessage.objects.filter(kind="custody_request")
    assert request.recipient_address == "foraelder@eksempel.dk"


def test_the_staff_registration_service_never_records_a_custody_holders_consent(
    coordinator_a, children
):
    birth_date = timezone.localdate().replace(year=timezone.localdate().year - 10)
    request = RegistrationRequest(
        name="Barn",
        email="familie@eksempel.dk",
        birth_date=birth_date,
        municipality="350",
        guardian_name="Forælder",
        guardian_email="foraelder@eksempel.dk",
        guardian_consent=True,
        citizen_agreed=True,
    )
    registration = staff_registration.staff_registration_submit(
        course=children, request=request, answers={"birth_date": birth_date}, user=coordinator_a
    )
    assert registration.status == Registration.Status.AWAITING_CUSTODY
    assert registration.guardian_consent_at is None
    assert registration.registered_by == coordinator_a


def test_the_registration_page_calls_the_service_once(
    client_for, coordinator_a, course, monkeypatch
):
    calls = []
    original = staff_registration.staff_registration_submit

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(staff_registration, "staff_registration_submit", spy)
    client_for(coordinator_a).post(reverse("workspace:course_register", args=[course.pk]), CALLER)
    assert len(calls) == 1 and calls[0]["user"] == coordinator_a


def test_registering_on_another_organisations_course_is_not_found(
    client_for, coordinator_b, course
):
    response = client_for(coordinator_b).post(
        reverse("workspace:course_register", args=[course.pk]), CALLER
    )
    assert response.status_code == 404
    assert not Participant.objects.exists()


# --- Attendance -------------------------------------------------------------------------------


def held_sessions(course):
    return list(course.sessions.filter(starts_at__lte=timezone.now()).order_by("number"))


def test_a_coordinator_corrects_attendance_and_the_figures_follow(
    client_for, coordinator_a, running
):
    first, second = held_sessions(running)
    anna = RegistrationFactory(course=running, participant__name="Anna Andersen")
    bo = RegistrationFactory(course=running, participant__name="Bo Berg")
    Attendance.objects.create(session=first, registration=anna, status="present")
    client = client_for(coordinator_a)
    url = reverse("workspace:session_attendance", args=[first.pk])
    page = client.get(url).content.decode()
    assert "Anna Andersen" in page and "Bo Berg" in page

    response = client.post(
        url, {f"attendance-{anna.pk}": "absent", f"attendance-{bo.pk}": "present"}, follow=True
    )
    assert "Fremmødet er gemt (2)." in response.content.decode()
    # The same row is corrected, never a second one.
    assert Attendance.objects.get(session=first, registration=anna).status == "absent"
    assert Attendance.objects.get(session=first, registration=bo).recorded_by == coordinator_a
    [figures] = [s for s in course_figures(running).sessions if s.session_id == first.pk]
    assert (figures.present, figures.absent) == (1, 1)


def test_attendance_for_a_future_session_is_refused_and_nothing_is_saved(
    client_for, coordinator_a, running
):
    future = running.sessions.get(number=3)
    anna = RegistrationFactory(course=running)
    client = client_for(coordinator_a)
    url = reverse("workspace:session_attendance", args=[future.pk])
    page = client.get(url).content.decode()
    assert "Gangen er ikke begyndt endnu" in page and "Gem fremmøde" not in page
    response = client.post(url, {f"attendance-{anna.pk}": "present"})
    assert response.status_code == 400
    assert "Gangen er ikke begyndt endnu" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_attendance_service_refuses_a_session_not_yet_held(coordinator_a, running):
    anna = RegistrationFactory(course=running)
    with pytest.raises(ValidationError):
        attendance.attendance_correct(
            session=running.sessions.get(number=3), marks={anna.pk: "present"}, user=coordinator_a
        )
    assert not Attendance.objects.exists()


def test_viewing_the_attendance_page_records_a_view_of_the_course(
    client_for, coordinator_a, running
):
    session = held_sessions(running)[0]
    client_for(coordinator_a).get(reverse("workspace:session_attendance", args=[session.pk]))
    [view] = views()
    assert view.object_id == running.pk and view.actor == coordinator_a
    assert view.detail == "fremmødeliste"


def test_the_attendance_page_calls_the_service_once(
    client_for, coordinator_a, running, monkeypatch
):
    calls = []
    original = attendance.attendance_correct

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(attendance, "attendance_correct", spy)
    session = held_sessions(running)[0]
    anna = RegistrationFactory(course=running)
    client_for(coordinator_a).post(
        reverse("workspace:session_attendance", args=[session.pk]),
        {f"attendance-{anna.pk}": "notified"},
    )
    assert len(calls) == 1 and calls[0]["marks"] == {anna.pk: "notified"}


def test_the_peer_portal_records_attendance_through_the_same_service(
    client, org_a, running, monkeypatch
):
    calls = []
    original = attendance.attendance_record

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(attendance, "attendance_record", spy)
    peer = CourseFacilitatorFactory(
        course=running, peer__user=UserFactory(username="peer.portal")
    ).peer
    anna = RegistrationFactory(course=running)
    session = held_sessions(running)[0]
    client.force_login(peer.user)
    client.post(
        reverse("volunteers:session", args=[session.pk]),
        {"attendance": "1", f"attendance-{anna.pk}": "present"},
    )
    assert len(calls) == 1
    assert Attendance.objects.get().status == "present"


def test_another_organisations_attendance_is_not_found_and_unchanged(
    client_for, coordinator_b, running
):
    session = held_sessions(running)[0]
    anna = RegistrationFactory(course=running)
    Attendance.objects.create(session=session, registration=anna, status="present")
    url = reverse("workspace:session_attendance", args=[session.pk])
    client = client_for(coordinator_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"attendance-{anna.pk}": "absent"}).status_code == 404
    assert Attendance.objects.get().status == "present"
    assert not views().exists()


# --- A message to the course ------------------------------------------------------------------


@pytest.fixture
def people(course):
    """Two accepted participants (one by SMS only), one on the waitlist, one facilitator."""
    RegistrationFactory(course=course, participant__name="Anna Andersen")
    RegistrationFactory(
        course=course,
        participant__name="Bo Berg",
        participant__email="",
        participant__phone="20304050",
    )
    RegistrationFactory(
        course=course,
        participant__name="Ventende Vera",
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    CourseFacilitatorFactory(course=course, peer__name="Mette Peer")
    return course


MESSAGE = {"to_participants": "on", "body": "Vi mødes i lokale 2 i morgen."}


def test_a_message_is_previewed_exactly_then_sent_through_the_outbox(
    client_for, coordinator_a, people
):
    client = client_for(coordinator_a)
    url = reverse("workspace:course_message", args=[people.pk])
    preview = client.post(url, {**MESSAGE, "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Beskeden sendes til 2 personer" in html and "1 e-mails og 1 SMS" in html
    assert "Besked om dit forløb" in html
    assert "Besked fra din gruppe: Vi mødes i lokale 2 i morgen." in html
    assert "Ventende Vera" not in html and "Mette Peer" not in html
    assert not OutboxMessage.objects.exists()

    response = client.post(url, {**MESSAGE, "send": "1"}, follow=True)
    assert "Beskeden er sendt til 2 personer." in response.content.decode()
    sent = OutboxMessage.objects.filter(kind="course_message")
    assert sorted(sent.values_list("recipient_name", "channel")) == [
        ("Anna Andersen", "email"),
        ("Bo Berg", "sms"),
    ]
    assert all(message.related_object == people for message in sent)
    assert sent.first().context["body"] == "Vi mødes i lokale 2 i morgen."


def test_the_waitlist_and_the_facilitators_are_told_only_when_chosen(coordinator_a, people):
    reached = course_messages.course_message_send(
        course=people,
        body="Husk i morgen.",
        to_participants=False,
        to_waitlist=True,
        to_facilitators=True,
        user=coordinator_a,
    )
    assert reached == 2
    assert set(OutboxMessage.objects.values_list("recipient_name", flat=True)) == {
        "Ventende Vera",
        "Mette Peer",
    }


def test_a_message_about_a_child_under_15_goes_to_the_custody_holder(coordinator_a, org_a):
    program = ProgramFactory(organisation=org_a, min_age=8, max_age=18)
    course = open_course(program)
    RegistrationFactory(
        course=course,
        participant__name="Lille Lise",
        participant__birth_date=timezone.localdate().replace(year=timezone.localdate().year - 9),
        guardian_name="Forælder Lise",
        guardian_email="foraelder@eksempel.dk",
    )
    course_messages.course_message_send(
        course=course,
        body="Vi ses.",
        to_participants=True,
        to_waitlist=False,
        to_facilitators=False,
        user=coordinator_a,
    )
    message = OutboxMessage.objects.get()
    assert (message.recipient_name, message.recipient_address) == (
        "Forælder Lise",
        "foraelder@eksempel.dk",
    )


def test_the_subject_and_the_sms_opening_name_no_programme_or_organisation(people):
    _recipients, previews = course_messages.course_message_preview(
        course=people,
        body="Tekst.",
        to_participants=True,
        to_waitlist=False,
        to_facilitators=False,
    )
    texts = [f"{m.subject} {m.body}" for m in previews]
    assert {m.subject for m in previews if m.channel == "email"} == {"Besked om dit forløb"}
    assert [m.body for m in previews if m.channel == "sms"] == [
        "Hej. Besked fra din gruppe: Tekst."
    ]
    organisation = people.program.organisation.name
    assert not any(people.program.name in t or organisation in t for t in texts)
    assert messages_preview(drafts=[]) == []


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_message_is_refused_and_nothing_is_sent(client_for, coordinator_a, people, body):
    response = client_for(coordinator_a).post(
        reverse("workspace:course_message", args=[people.pk]),
        {"to_participants": "on", "body": body, "send": "1"},
    )
    assert response.status_code == 400
    assert "Skriv beskeden, før den sendes." in response.content.decode()
    assert not OutboxMessage.objects.exists()
    with pytest.raises(ValidationError):
        course_messages.course_message_send(
            course=people,
            body=body,
            to_participants=True,
            to_waitlist=False,
            to_facilitators=False,
            user=coordinator_a,
        )
    assert not OutboxMessage.objects.exists()


def test_a_message_to_nobody_is_refused(client_for, coordinator_a, people):
    response = client_for(coordinator_a).post(
        reverse("workspace:course_message", args=[people.pk]),
        {"body": "Hej", "send": "1"},
    )
    assert response.status_code == 400
    assert "Vælg hvem beskeden skal sendes til." in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_template_fills_in_the_body_for_the_coordinator_to_edit(
    client_for, coordinator_a, course
):
    url = reverse("workspace:course_message", args=[course.pk])
    response = client_for(coordinator_a).get(url, {"skabelon": "lokaleskift"})
    assert "Vi mødes et andet sted næste gang" in response.content.decode()
    assert response.context["form"].initial["to_participants"] is True


def test_sending_calls_the_service_once(client_for, coordinator_a, people, monkeypatch):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return 2

    monkeypatch.setattr(course_messages, "course_message_send", spy)
    client_for(coordinator_a).post(
        reverse("workspace:course_message", args=[people.pk]), {**MESSAGE, "send": "1"}
    )
    assert len(calls) == 1
    assert calls[0]["body"] == MESSAGE["body"] and calls[0]["user"] == coordinator_a
    assert calls[0]["to_participants"] and not calls[0]["to_waitlist"]


def test_a_message_to_another_organisations_course_is_not_found(client_for, coordinator_b, people):
    response = client_for(coordinator_b).post(
        reverse("workspace:course_message", args=[people.pk]), {**MESSAGE, "send": "1"}
    )
    assert response.status_code == 404
    assert not OutboxMessage.objects.exists()


# --- The course page: attendance so far and messages sent ----------------------------------


def test_the_course_page_shows_attendance_so_far_and_the_messages_sent(
    client_for, coordinator_a, running
):
    first, second = held_sessions(running)
    anna = RegistrationFactory(course=running, participant__name="Anna Andersen")
    Attendance.objects.create(session=first, registration=anna, status="present")
    Attendance.objects.create(session=second, registration=anna, status="absent")
    course_messages.course_message_send(
        course=running,
        body="Hemmelig tekst til Anna",
        to_participants=True,
        to_waitlist=False,
        to_facilitators=False,
        user=coordinator_a,
    )
    page = client_for(coordinator_a).get(reverse("workspace:course", args=[running.pk]))
    html = page.content.decode()
    assert "Fremmøde indtil nu" in html and "1 af 2 gange" in html
    assert reverse("workspace:session_attendance", args=[first.pk]) in html
    assert "Beskeder om forløbet" in html and "Besked til forløbet" in html
    # Who was told and how, never what another person was told.
    assert "Hemmelig tekst" not in html
    for name in ["course_register", "course_message", "course_roster", "course_attendance_sheet"]:
        assert reverse(f"workspace:{name}", args=[running.pk]) in html


def test_messages_about_registrations_and_sessions_are_listed_newest_first(running):
    registration = RegistrationFactory(course=running)
    other = RegistrationFactory()
    session = held_sessions(running)[0]

    def draft(kind, related):
        return MessageDraft(
            kind=kind,
            recipient=Recipient(key=kind, name="X", email="x@eksempel.dk"),
            template="notifications/course_message",
            organisation=related.course.program.organisation
            if hasattr(related, "course")
            else None,
            related=related,
        )

    messages_create(drafts=[draft("registration_decision", registration)])
    messages_create(drafts=[draft("session_moved", session)])
    messages_create(drafts=[draft("registration_decision", other)])
    kinds = list(
        course_messages.course_outbox_messages(course=running).values_list("kind", flat=True)
    )
    assert kinds == ["session_moved", "registration_decision"]


def fill_course(course, size):
    sessions = held_sessions(course)
    for _n in range(size):
        registration = RegistrationFactory(course=course)
        for session in sessions:
            Attendance.objects.create(session=session, registration=registration, status="present")
    course_messages.course_message_send(
        course=course,
        body="Hej",
        to_participants=True,
        to_waitlist=False,
        to_facilitators=False,
        user=None,
    )


@pytest.mark.parametrize("size", [2, 12])
def test_the_course_page_reads_in_the_same_number_of_queries_at_any_size(
    client_for, coordinator_a, running, size, django_assert_max_num_queries
):
    fill_course(running, size)
    client = client_for(coordinator_a)
    url = reverse("workspace:course", args=[running.pk])
    client.get(url)
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# --- Printing -----------------------------------------------------------------------------


def test_the_roster_lists_who_has_a_seat_and_records_a_view(client_for, coordinator_a, people):
    response = client_for(coordinator_a).get(reverse("workspace:course_roster", args=[people.pk]))
    html = response.content.decode()
    assert "Anna Andersen" in html and "20 30 40 50" in html and "Optaget" in html
    assert "Ventende Vera" not in html
    assert "workspace-print.css" in html
    [view] = views()
    assert view.object_id == people.pk and view.detail == "deltagerliste"


def test_the_attendance_sheet_is_the_printable_one_and_records_a_view(
    client_for, coordinator_a, people
):
    response = client_for(coordinator_a).get(
        reverse("workspace:course_attendance_sheet", args=[people.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [view] = views()
    assert view.object_id == people.pk and view.detail == "fremmødeliste"


def test_the_course_page_records_a_view_of_its_roster(client_for, coordinator_a, people):
    """The course page lists people with their contact details, as the printed roster does."""
    response = client_for(coordinator_a).get(reverse("workspace:course", args=[people.pk]))
    assert response.status_code == 200
    [view] = views()
    assert view.object_id == people.pk and view.detail == "deltagerliste"
