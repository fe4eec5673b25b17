"""Requests from a participant: export everything held about them, and erasure on request."""

import datetime
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from groups.reminders import session_reminders_create
from groups.services import course_plan_sessions
from participants import privacy, services
from participants.models import Attendance, Participant, Registration
from peerprogram.models import AuditEntry, ErasureRecord, OutboxMessage
from peerprogram.privacy import retention
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
)
from tests.pdf_structure import assert_accessible_pdf
from tests.traces import database_dump, found, media_text, on_postgresql, phone_forms
from tests.volunteers.factories import PeerFactory
from volunteers.accompaniment import accompaniments_ending_notify
from volunteers.models import Accompaniment, AccompanimentMeeting

NAME = "Zacharias Qvistgaard-Ulvedal"
EMAIL = "zq.ulvedal.4711@eksempel.dk"
PHONE = "+45 29 47 11 83"
GUARDIAN = "Henrietta Qvistgaard-Ulvedal"
GUARDIAN_EMAIL = "henrietta.qu.4711@eksempel.dk"
OTHER_NAME = "Birthe Anderledes-Holm"
OTHER_EMAIL = "birthe.ah.9090@eksempel.dk"


def open_course(program):
    for number in range(1, 4):
        ThemeFactory(program=program, number=number)
    course = CourseFactory(program=program, first_date=timezone.localdate() + datetime.timedelta(7))
    course_plan_sessions(course=course)
    return course


def register(course, name, email, phone="", **extra):
    return services.registration_submit(
        course=course,
        request=services.RegistrationRequest(
            name=name,
            email=email,
            phone=phone,
            sms_opt_in=bool(phone),
            birth_date=datetime.date(1991, 3, 14),
            municipality="350",
            answers={"birth_date": "1991-03-14", "reduced_mental_functioning": "yes"},
            consent_given=True,
            **extra,
        ),
        needs_review=False,
        eligibility={"outcome": "eligible", "reasons": [], "open_questions": []},
    )


def a_life(organisation, course, peer):
    """The person and someone else on the same course, with what a course leaves behind."""
    mine = register(
        course, NAME, EMAIL, PHONE, guardian_name=GUARDIAN, guardian_email=GUARDIAN_EMAIL
    )
    theirs = register(course, OTHER_NAME, OTHER_EMAIL)
    session = course.sessions.order_by("number").first()
    for registration in (mine, theirs):
        Attendance.objects.create(session=session, registration=registration, status="present")
    Registration.objects.filter(pk=mine.pk).update(decision_note=f"Talte med {NAME} i telefonen")
    session_reminders_create(now=session.starts_at - datetime.timedelta(hours=2))
    accompaniment = Accompaniment.objects.create(
        peer=peer,
        participant=mine.participant,
        program=course.program,
        starts_on=timezone.localdate(),
        planned_end_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    AccompanimentMeeting.objects.create(
        accompaniment=accompaniment,
        date=timezone.localdate(),
        kind="appointment",
        note=f"Fulgtes med {NAME} til jobcentret",
    )
    accompaniments_ending_notify()
    # An older admin history row that still named the person.
    LogEntry.objects.create(
        user_id=CoordinatorFactory().pk,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(mine.participant_id),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": [NAME]}}]),
    )
    return mine, theirs, accompaniment


@pytest.fixture
def world(org_a, program_a, coordinator_a):
    peer = PeerFactory(organisation=org_a, name="Peer Pedersen", email="peer.p@eksempel.dk")
    course = open_course(program_a)
    mine, theirs, accompaniment = a_life(org_a, course, peer)
    return {"mine": mine, "theirs": theirs, "accompaniment": accompaniment, "course": course}


def export_url(participant, kind):
    return reverse(f"admin:participants_participant_export_{kind}", args=[participant.pk])


def erase_url(participant):
    return reverse("admin:participants_participant_erase", args=[participant.pk])


# The export ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_export_holds_every_record_about_the_person_and_nothing_about_anyone_else(world):
    mine = world["mine"]
    participant = mine.participant

    export = privacy.participant_export(participant)

    sections = {section["key"]: section for section in export["sections"]}
    ids = {key: [record.get("id") for record in s["records"]] for key, s in sections.items()}
    assert ids["participant"] == [participant.pk]
    assert ids["registrations"] == [mine.pk]
    assert ids["attendance"] == list(mine.attendance.values_list("pk", flat=True))
    assert ids["accompaniments"] == [world["accompaniment"].pk]
    assert len(ids["accompaniment_meetings"]) == 1
    # Numbers are stored, and messages addressed, in E.164.
    own_messages = OutboxMessage.objects.filter(
        recipient_address__in=[EMAIL, PHONE.replace(" ", "")]
    ).values_list("pk", flat=True)
    assert sorted(ids["messages"]) == sorted(own_messages)
    assert {record["kind"] for record in sections["messages"]["records"]} == {
        "registration_confirmation",
        "session_reminder",
        "accompaniment_ending",
    }
    text = json.dumps(export, default=str, ensure_ascii=False)
    assert NAME in text and EMAIL in text and GUARDIAN in text
    assert found(text, [OTHER_NAME, OTHER_EMAIL, "Peer Pedersen", "peer.p@eksempel.dk"]) == []
    assert "status_token_hash" not in text


@pytest.mark.django_db
def test_coordinators_download_the_export_as_json_and_as_a_readable_pdf(
    world, client_for, coordinator_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    participant = world["mine"].participant
    client = client_for(coordinator_a)

    response = client.get(export_url(participant, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["kind"] == "participant" and data["id"] == participant.pk
    assert data["sections"][0]["records"][0]["name"] == NAME

    response = client.get(export_url(participant, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert_accessible_pdf(response.content)
    assert NAME in text and EMAIL in text and "Tilmeldinger" in text
    assert OTHER_NAME not in text
    # Nothing is stored: the export is made for the request.
    assert not any(tmp_path.rglob("*.pdf"))

    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert sorted(exports.values_list("detail", flat=True)) == ["json", "pdf"]


@pytest.mark.django_db
def test_only_the_persons_own_coordinators_export_or_erase(world, client_for, coordinator_b, org_a):
    participant = world["mine"].participant
    partner = PartnerFactory(username="partner.a", organisations=[org_a])
    for url in (
        export_url(participant, "json"),
        export_url(participant, "pdf"),
        erase_url(participant),
    ):
        assert client_for(coordinator_b).get(url).status_code == 404
        assert client_for(partner).get(url).status_code in (403, 404)
        assert client_for(None).get(url).status_code == 302
    assert (
        client_for(coordinator_b).post(erase_url(participant), {"confirm": "on"}).status_code == 404
    )
    participant.refresh_from_db()
    assert participant.anonymised_at is None


# Erasure on request -------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_asks_first_then_anonymises_and_records_who_and_when(
    world, client_for, coordinator_a
):
    participant = world["mine"].participant
    client = client_for(coordinator_a)
    change_page = client.get(
        reverse("admin:participants_participant_change", args=[participant.pk])
    )
    assert erase_url(participant) in change_page.content.decode()

    assert client.get(erase_url(participant)).status_code == 200
    unconfirmed = client.post(erase_url(participant), {})
    assert unconfirmed.status_code == 200
    participant.refresh_from_db()
    assert participant.anonymised_at is None

    response = client.post(erase_url(participant), {"confirm": "on"})

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.anonymised_at is not None
    assert (participant.name, participant.email, participant.phone) == ("Anonymiseret", "", "")
    record = ErasureRecord.objects.get()
    assert (record.kind, record.object_id) == ("participant", participant.pk)
    assert record.erased_by == coordinator_a
    assert record.organisation == participant.organisation
    assert record.erased_at is not None
    stored = json.dumps(list(ErasureRecord.objects.values()), default=str, ensure_ascii=False)
    assert found(stored, [NAME, EMAIL, "29471183"]) == []
    erase_entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert erase_entry.object_repr == f"Deltager #{participant.pk}"
    # Done is done: the button is gone, and a second request changes nothing.
    assert client.post(erase_url(participant), {"confirm": "on"}).status_code == 302
    assert ErasureRecord.objects.count() == 1


@pytest.mark.django_db
def test_anonymising_empties_messages_notes_and_history_but_keeps_the_others(world):
    mine, theirs = world["mine"], world["theirs"]
    pending = OutboxMessage.objects.create(
        organisation=mine.course.program.organisation,
        kind="registration_decision",
        channel="email",
        recipient_name=NAME,
        recipient_address=EMAIL,
        template="notifications/registration_decision",
        related_object=mine,
    )

    assert privacy.participant_anonymise(mine.participant) is True

    mine.refresh_from_db()
    assert mine.eligibility_answers == {} and mine.eligibility_result == {"outcome": "eligible"}
    assert mine.guardian_name == mine.guardian_email == mine.decision_note == ""
    assert mine.attendance.get().status == "present"
    participant = mine.participant
    participant.refresh_from_db()
    assert participant.birth_date == datetime.date(1991, 7, 1)
    assert not participant.sms_opt_in
    pending.refresh_from_db()
    assert pending.status == OutboxMessage.Status.DISCARDED
    assert pending.recipient_address == pending.recipient_name == pending.body == ""
    everything = json.dumps(
        [
            list(OutboxMessage.objects.values()),
            list(LogEntry.objects.values()),
            list(AccompanimentMeeting.objects.values()),
        ],
        default=str,
        ensure_ascii=False,
    )
    assert found(everything, [NAME, EMAIL, "29471183", GUARDIAN, GUARDIAN_EMAIL]) == []
    # The other participant's messages are untouched.
    assert OutboxMessage.objects.filter(recipient_address=OTHER_EMAIL, recipient_name=OTHER_NAME)
    theirs.participant.refresh_from_db()
    assert theirs.participant.name == OTHER_NAME
    # Running it again does nothing.
    assert privacy.participant_anonymise(participant) is False


@pytest.mark.django_db
def test_only_an_anonymised_participant_may_have_no_contact_data(org_a):
    participant = ParticipantFactory(organisation=org_a, email="", phone="12345678")
    participant.phone = ""
    with pytest.raises(ValidationError):
        participant.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        participant.save()
    privacy.participant_anonymise(participant)
    participant.refresh_from_db()
    participant.full_clean()


@pytest.mark.django_db
def test_an_ongoing_accompaniment_keeps_a_participant_from_retention(org_a, program_a):
    registration = RegistrationFactory(
        course__program=program_a, course__first_date=datetime.date(2020, 1, 6)
    )
    Accompaniment.objects.create(
        peer=PeerFactory(organisation=org_a),
        participant=registration.participant,
        program=program_a,
        starts_on=datetime.date(2020, 2, 1),
        planned_end_on=datetime.date(2020, 8, 1),
    )
    policy = retention.policy_for(org_a)

    assert retention.plan(org_a, datetime.date(2030, 1, 1)).total == 0

    Accompaniment.objects.update(ended_on=datetime.date(2020, 7, 1), end_reason="completed")
    dates = privacy.participant_due_dates(
        Participant.objects.filter(pk=registration.participant_id), policy
    )
    assert dates[registration.participant_id][0] == datetime.date(2021, 7, 1)


# After erasure, nothing is left: the whole database and the media folder ---------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_after_erasure_no_dump_or_stored_file_holds_the_name_email_or_phone(
    client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = OrganisationFactory(name="Ulvedal Kommune", slug="ulvedal")
    coordinator = CoordinatorFactory(
        username="koordinator.u", email="k@ulvedal.eksempel.dk", organisations=[organisation]
    )
    program = ProgramFactory(organisation=organisation)
    peer = PeerFactory(organisation=organisation, name="Peer Pedersen", email="pp@eksempel.dk")
    course = open_course(program)
    mine, _theirs, _accompaniment = a_life(organisation, course, peer)
    participant = mine.participant
    client = client_for(coordinator)
    assert client.get(export_url(participant, "json")).status_code == 200
    assert client.get(export_url(participant, "pdf")).status_code == 200
    assert (
        client.get(
            reverse("admin:participants_participant_change", args=[participant.pk])
        ).status_code
        == 200
    )
    values = [NAME, EMAIL, GUARDIAN, GUARDIAN_EMAIL, *phone_forms(PHONE)]
    before = database_dump()
    assert found(before, values)  # the check can see them
    assert OutboxMessage.objects.filter(recipient_address=EMAIL).exclude(body="").exists()

    response = client.post(erase_url(participant), {"confirm": "on"})

    assert response.status_code == 302
    dump = database_dump()
    assert found(dump, values) == []
    assert OTHER_NAME in dump  # someone else's data is still there
    assert found(media_text(settings.MEDIA_ROOT), values) == []
