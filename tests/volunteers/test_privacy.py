"""Requests from a facilitator: export everything held about them, and erasure on request."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from groups import manuals
from groups.models import Course, RenderedDocument
from groups.reminders import session_reminders_create
from groups.services import course_plan_sessions
from peerprogram.models import AuditEntry, ErasureRecord, OutboxMessage
from peerprogram.privacy import retention
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    ThemeFactory,
)
from tests.traces import database_dump, found, media_text, on_postgresql, phone_forms
from tests.volunteers.factories import (
    ChildCertificateFactory,
    CourseFacilitatorFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
    TrainingModuleFactory,
)
from volunteers import notices, portal, privacy
from volunteers.models import (
    Accompaniment,
    ChildCertificate,
    Concern,
    ContactRequest,
    Peer,
    SessionResponse,
    StatusChange,
    SupervisionAttendance,
    TrainingRecord,
)

NAME = "Xenia Vindelbo-Quarnström"
EMAIL = "xenia.vq.5150@eksempel.dk"
PHONE = "+45 31 51 50 77"
# Stored JSON may escape "ö"; this part of the name is the same either way.
NAME_PART = "Vindelbo-Quarnstr"
OTHER_PEER = "Oskar Andersen-Lykkebo"
CITIZEN = "Cecilie Borgersen-Tvede"
CITIZEN_FIRST = "Lykkeline"


def course_with_sessions(program, first_date):
    ThemeFactory(program=program, number=1, title="Ankomst")
    course = CourseFactory(program=program, first_date=first_date, status=Course.Status.OPEN)
    course_plan_sessions(course=course)
    return course


def a_facilitator(organisation, program, coordinator):
    """A peer with a log-in and everything a few seasons leave behind, next to someone else."""
    peer = PeerFactory(
        organisation=organisation,
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        sms_opt_in=True,
        lived_experience="Har selv haft angst i mange år",
        availability="Tirsdage efter kl. 16",
    )
    other = PeerFactory(organisation=organisation, name=OTHER_PEER)
    notices.peer_invite(peer=peer)
    peer.refresh_from_db()
    declaration = DeclarationFactory(organisation=organisation)
    DeclarationSignatureFactory(peer=peer, declaration=declaration)
    DeclarationSignatureFactory(peer=other, declaration=declaration)
    StatusChange.objects.create(peer=peer, from_status="applicant", to_status="active")
    TrainingRecord.objects.create(
        peer=peer, module=TrainingModuleFactory(organisation=organisation)
    )
    SupervisionAttendance.objects.create(
        peer=peer, date=datetime.date(2026, 3, 1), note=f"{NAME} fortalte om sin uge"
    )
    ChildCertificateFactory(peer=peer)
    course = course_with_sessions(program, timezone.localdate() + datetime.timedelta(days=2))
    CourseFacilitatorFactory(course=course, peer=peer)
    CourseFacilitatorFactory(course=course, peer=other)
    session = course.sessions.get(number=1)
    portal.session_answer(peer=peer, session=session, answer=SessionResponse.Answer.DECLINED)
    session_reminders_create(now=session.starts_at - datetime.timedelta(hours=2))
    Concern.objects.create(
        session=session, reported_by=peer, passed_on=timezone.localdate(), passed_to="Kommunen"
    )
    citizen = ParticipantFactory(organisation=organisation, name=CITIZEN)
    Accompaniment.objects.create(
        peer=peer,
        participant=citizen,
        program=program,
        starts_on=timezone.localdate(),
        planned_end_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    ContactRequest.objects.create(
        organisation=organisation,
        first_name=CITIZEN_FIRST,
        phone="22334455",
        wish="peer",
        status="matched",
        matched_peer=peer,
    )
    manual = manuals.document_get_or_render(RenderedDocument.Kind.COURSE_MANUAL, course)
    # An older admin history row from before facilitators were named neutrally.
    LogEntry.objects.create(
        user_id=coordinator.pk,
        content_type=ContentType.objects.get_for_model(Course),
        object_id=str(course.pk),
        object_repr=course.title,
        action_flag=CHANGE,
        change_message=json.dumps(
            [{"added": {"name": "facilitator på forløb", "object": f"{NAME} – {course}"}}]
        ),
    )
    return {"peer": peer, "other": other, "course": course, "session": session, "manual": manual}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(org_a, program_a, coordinator_a):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    return a_facilitator(org_a, program_a, coordinator_a)


def url(peer, name):
    return reverse(f"admin:volunteers_peer_{name}", args=[peer.pk])


# The export ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_export_holds_every_record_about_the_facilitator_and_nothing_about_anyone_else(
    world,
):
    peer = world["peer"]

    export = privacy.peer_export(peer)

    sections = {section["key"]: section for section in export["sections"]}
    ids = {key: sorted(r.get("id") for r in s["records"]) for key, s in sections.items()}
    assert ids["peer"] == [peer.pk]
    assert ids["account"] == [peer.user_id]
    for key, rows in [
        ("status_changes", peer.status_changes.all()),
        ("training", peer.training_records.all()),
        ("supervision", peer.supervisions.all()),
        ("signatures", peer.signatures.all()),
        ("certificates", peer.certificates.all()),
        ("assignments", peer.assignments.all()),
        ("session_responses", peer.session_responses.all()),
        ("concerns", Concern.objects.filter(reported_by=peer)),
        ("accompaniments", peer.accompaniments.all()),
        ("contact_requests", peer.contact_requests.all()),
    ]:
        assert ids[key] == sorted(rows.values_list("pk", flat=True)), key
        assert ids[key], key
    # Numbers are stored, and messages addressed, in E.164.
    to_them = OutboxMessage.objects.filter(recipient_address__in=[EMAIL, PHONE.replace(" ", "")])
    assert ids["messages"] == sorted(to_them.values_list("pk", flat=True))
    assert {r["kind"] for r in sections["messages"]["records"]} == {
        "peer_invitation",
        "session_reminder",
    }
    text = json.dumps(export, default=str, ensure_ascii=False)
    assert NAME in text and EMAIL in text
    assert found(text, [OTHER_PEER, CITIZEN, CITIZEN_FIRST, "22334455", "password"]) == []
    # A børneattest's outcome only for those allowed to see it.
    assert "outcome" not in sections["certificates"]["records"][0]
    with_outcome = privacy.peer_export(peer, include_certificate_outcome=True)
    certificates = next(s for s in with_outcome["sections"] if s["key"] == "certificates")
    assert certificates["records"][0]["outcome"] == "Godkendt"


@pytest.mark.django_db
def test_coordinators_download_a_facilitators_export_as_json_and_pdf(
    world, client_for, coordinator_a, coordinator_b
):
    peer = world["peer"]
    client = client_for(coordinator_a)

    response = client.get(url(peer, "export_json"))
    assert response.status_code == 200
    assert json.loads(response.content)["sections"][0]["records"][0]["name"] == NAME

    response = client.get(url(peer, "export_pdf"))
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert NAME in text and "Børneattester" in text and OTHER_PEER not in text

    for name in ("export_json", "export_pdf", "erase"):
        assert client_for(coordinator_b).get(url(peer, name)).status_code == 404


# Erasure ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_a_facilitator_keeps_their_history_and_removes_who_they_were(
    world, client_for, coordinator_a, settings, django_capture_on_commit_callbacks
):
    peer, other, course = world["peer"], world["other"], world["course"]
    Peer.objects.filter(pk=peer.pk).update(birth_year=1990)
    account = peer.user
    TOTPDevice.objects.create(user=account, name=f"{NAME}s telefon", confirmed=True)
    manual_path = world["manual"].file.path

    client = client_for(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(peer, "erase"), {"confirm": "on"})

    assert response.status_code == 302
    peer.refresh_from_db()
    assert (peer.name, peer.email, peer.phone) == ("Anonymiseret", "", "")
    assert peer.lived_experience == peer.availability == "" and not peer.sms_opt_in
    assert peer.birth_year is None
    assert peer.anonymised_at is not None
    # What the programme's history needs stays.
    assert peer.status_changes.exists() and peer.training_records.exists()
    assert peer.signatures.exists() and peer.assignments.exists()
    assert peer.session_responses.exists() and peer.accompaniments.exists()
    assert Concern.objects.filter(reported_by=peer).exists()
    assert peer.supervisions.get().note == ""
    assert not ChildCertificate.objects.filter(peer=peer).exists()
    # The log-in can no longer be used and says nothing about them.
    account.refresh_from_db()
    assert account.username == f"anonymiseret-{account.pk}"
    assert (account.first_name, account.last_name, account.email) == ("", "", "")
    assert not account.is_active and not account.has_usable_password()
    assert not TOTPDevice.objects.filter(user=account).exists()
    # The stored course manual named them; the next one does not.
    assert not RenderedDocument.objects.filter(course=course).exists()
    assert not Path(manual_path).exists()
    manuals.document_get_or_render(RenderedDocument.Kind.COURSE_MANUAL, course)
    manual_text = media_text(settings.MEDIA_ROOT)
    assert NAME not in manual_text and OTHER_PEER in manual_text
    # Messages to them or naming them are emptied; others' are not.
    stored = json.dumps(
        [list(OutboxMessage.objects.values()), list(LogEntry.objects.values())],
        default=str,
        ensure_ascii=False,
    )
    assert found(stored, [NAME, NAME_PART, EMAIL, *phone_forms(PHONE)]) == []
    assert OutboxMessage.objects.filter(recipient_name=OTHER_PEER).exists()
    other.refresh_from_db()
    assert other.name == OTHER_PEER
    # A record of the erasure, without personal data.
    record = ErasureRecord.objects.get()
    assert (record.kind, record.object_id, record.erased_by) == ("peer", peer.pk, coordinator_a)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).get().object_repr == (
        f"Facilitator #{peer.pk}"
    )


@pytest.mark.django_db
def test_a_facilitator_whose_log_in_is_a_staff_account_keeps_that_account(org_a, coordinator_a):
    peer = PeerFactory(organisation=org_a, user=coordinator_a, name=NAME)
    coordinator_a.first_name = "Xenia"
    coordinator_a.save()

    privacy.peer_anonymise(peer)

    peer.refresh_from_db()
    coordinator_a.refresh_from_db()
    assert peer.user is None and peer.name == "Anonymiseret"
    assert coordinator_a.is_active and coordinator_a.username == "koordinator.a"


@pytest.mark.django_db
def test_a_stopped_facilitator_is_erased_by_retention_like_on_request(org_a, world):
    peer = world["peer"]
    policy = retention.policy_for(org_a)
    policy.max_share_per_run = 100
    policy.save()
    StatusChange.objects.create(
        peer=peer,
        from_status="active",
        to_status="stopped",
        changed_at=datetime.datetime(2024, 1, 10, 12, tzinfo=datetime.UTC),
    )
    Peer.objects.filter(pk=peer.pk).update(status="stopped")

    retention.run(datetime.date(2026, 1, 9))
    peer.refresh_from_db()
    assert peer.anonymised_at is None

    retention.run(datetime.date(2026, 1, 10))
    peer.refresh_from_db()
    assert peer.name == "Anonymiseret" and not peer.user.is_active
    assert not ErasureRecord.objects.exists()  # retention is counted per run, not per person


# After erasure, nothing is left: the whole database and the media folder ---------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_after_erasure_no_dump_or_stored_file_holds_the_facilitators_name_email_or_phone(
    client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = OrganisationFactory(name="Testby Kommune", slug="testby")
    coordinator = CoordinatorFactory(
        username="koordinator.t", email="k@testby.eksempel.dk", organisations=[organisation]
    )
    program = ProgramFactory(organisation=organisation)
    world = a_facilitator(organisation, program, coordinator)
    peer = world["peer"]
    # The peer uses the portal: their own page, and the course manual.
    peer_client = Client()
    peer_client.force_login(peer.user)
    assert (
        peer_client.get(reverse("volunteers:session", args=[world["session"].pk])).status_code
        == 200
    )
    assert (
        peer_client.get(reverse("volunteers:manual", args=[world["course"].pk])).status_code == 200
    )
    coordinator_client = client_for(coordinator)
    assert coordinator_client.get(url(peer, "export_pdf")).status_code == 200
    assert coordinator_client.get(url(peer, "change")).status_code == 200
    username = peer.user.username
    values = [NAME, NAME_PART, EMAIL, *phone_forms(PHONE), username]
    assert found(database_dump(), values)
    assert found(media_text(settings.MEDIA_ROOT), [NAME])  # the stored manual names them

    response = coordinator_client.post(url(peer, "erase"), {"confirm": "on"})

    assert response.status_code == 302
    dump = database_dump()
    assert found(dump, values) == []
    assert OTHER_PEER in dump
    assert found(media_text(settings.MEDIA_ROOT), values) == []
