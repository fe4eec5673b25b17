"""The audit trail: views, changes, exports and erasures, per organisation, without a single
personal value in it."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core import serializers
from django.urls import reverse
from django.utils import translation

from groups.services import course_plan_sessions
from participants import services
from participants.models import Participant, Registration
from peerprogram.audit import trail
from peerprogram.models import AuditEntry
from tests.factories import (
    CourseFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgramFactory,
    RegistrationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    CourseFacilitatorFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers.models import ChildCertificate

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Xylofonia Quendelbæk", "xylofonia.q@eksempel.dk", "+4561234987"
BIRTH_DATE = datetime.date(1987, 3, 14)
GUARDIAN, GUARDIAN_EMAIL = "Ingeborg Quendelbæk", "ingeborg.q@eksempel.dk"
ANSWER, NOTE = "Jeg har angst og sover dårligt", "Talte med Xylofonia om søvnen"
LIVED_EXPERIENCE = "Har selv været indlagt på Vestervangsklinikken"


def entries(**lookup):
    return list(AuditEntry.objects.filter(**lookup).order_by("pk"))


def change_participant(client, participant, **changes):
    data = {
        "organisation": participant.organisation_id,
        "name": participant.name,
        "email": participant.email,
        "phone": participant.phone,
        "birth_date": participant.birth_date.isoformat(),
        "municipality": participant.municipality,
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
        **changes,
    }
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_opening_a_participants_admin_page_records_a_view(client_for, coordinator_a, org_a):
    participant = ParticipantFactory(organisation=org_a)
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    assert client_for(coordinator_a).get(url).status_code == 200

    [view] = entries(action=AuditEntry.Action.ACCESS)
    assert view.actor == coordinator_a
    assert view.organisation == org_a
    assert view.object_repr == f"Deltager #{participant.pk}"
    assert view.object_id == participant.pk


def test_lists_and_other_organisations_pages_record_no_view(
    client_for, coordinator_b, org_a, coordinator_a
):
    participant = ParticipantFactory(organisation=org_a)
    client_for(coordinator_a).get(reverse("admin:participants_participant_changelist"))
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    assert client_for(coordinator_b).get(url).status_code == 404
    assert entries(action=AuditEntry.Action.ACCESS) == []


def test_changing_a_participant_in_the_admin_records_which_fields_changed_not_the_values(
    client_for, coordinator_a, org_a
):
    participant = ParticipantFactory(organisation=org_a, name="Anna Berg", phone="")
    change_participant(client_for(coordinator_a), participant, name=NAME, phone=PHONE)

    [change] = entries(action=AuditEntry.Action.UPDATE)
    assert change.actor == coordinator_a
    assert change.organisation == org_a
    assert change.object_repr == f"Deltager #{participant.pk}"
    assert change.changes == {"name": ["***", "***"], "phone": ["***", "***"]}
    assert change.remote_addr is None


def test_deciding_on_a_registration_records_the_change_by_that_coordinator(
    client_for, coordinator_a, course_a
):
    registration = RegistrationFactory(course=course_a, status="needs_review")
    client_for(coordinator_a).post(
        reverse("admin:participants_registration_changelist"),
        {"action": "accept", "_selected_action": [registration.pk], "apply": "1", "note": NOTE},
    )

    updates = entries(
        action=AuditEntry.Action.UPDATE,
        object_id=registration.pk,
        content_type__model="registration",
    )
    assert updates
    assert {(e.actor, e.organisation, e.object_repr) for e in updates} == {
        (coordinator_a, course_a.program.organisation, f"Tilmelding #{registration.pk}")
    }
    changes = {name: values for e in updates for name, values in e.changes.items()}
    # Statuses are plain; the coordinator's note is masked.
    assert changes["status"] == ["needs_review", "accepted"]
    assert changes["decision_note"] == ["***", "***"]


def test_a_change_through_a_service_is_recorded_without_an_actor(course_a):
    registration = RegistrationFactory(course=course_a, status="accepted")
    services.registration_withdraw(registration=registration)

    updates = entries(
        action=AuditEntry.Action.UPDATE,
        object_id=registration.pk,
        content_type__model="registration",
    )
    assert {(e.actor, e.organisation) for e in updates} == {(None, course_a.program.organisation)}
    assert ["accepted", "withdrawn"] in [e.changes.get("status") for e in updates]


@pytest.mark.parametrize("action", [trail.EXPORT, trail.ERASE])
def test_exports_and_erasures_are_recorded_with_user_and_organisation(coordinator_a, org_a, action):
    participant = ParticipantFactory(organisation=org_a)
    peer = PeerFactory(organisation=org_a)

    trail.record(user=coordinator_a, action=action, obj=participant, organisation=org_a)
    trail.record(user=coordinator_a, action=action, obj=peer)  # organisation from the peer

    code = AuditEntry.Action.EXPORT if action == trail.EXPORT else AuditEntry.Action.ERASE
    recorded = entries(action=code)
    assert [e.object_repr for e in recorded] == [
        f"Deltager #{participant.pk}",
        f"Facilitator #{peer.pk}",
    ]
    assert {e.organisation for e in recorded} == {org_a}
    assert {e.actor for e in recorded} == {coordinator_a}


def test_an_erased_participant_leaves_a_trail_that_needs_no_editing(coordinator_a, org_a):
    participant = ParticipantFactory(organisation=org_a, name=NAME, email=EMAIL)
    trail.record(user=coordinator_a, action=trail.ERASE, obj=participant)
    pk = participant.pk
    participant.delete()

    kinds = [e.action for e in entries(object_id=pk, content_type__model="participant")]
    assert kinds == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.ERASE,
        AuditEntry.Action.DELETE,
    ]
    assert NAME not in dump_audit_trail()


def test_an_unknown_action_or_a_deleted_object_is_refused(coordinator_a, org_a):
    participant = ParticipantFactory(organisation=org_a)
    with pytest.raises(ValueError, match="Unknown audit action"):
        trail.record(user=coordinator_a, action="print", obj=participant)
    participant.delete()
    with pytest.raises(ValueError, match="before the object is deleted"):
        trail.record(user=coordinator_a, action=trail.ERASE, obj=participant)


def test_the_attendance_sheet_records_a_view_of_the_course(client_for, coordinator_a, course_a):
    url = reverse("admin:participants_registration_attendance_sheet", args=[course_a.pk])
    assert client_for(coordinator_a).get(url).status_code == 200

    [view] = entries(action=AuditEntry.Action.ACCESS)
    assert (view.actor, view.organisation) == (coordinator_a, course_a.program.organisation)
    assert view.object_repr == f"Forløb #{course_a.pk}"
    assert view.detail == "fremmødeliste"


@pytest.mark.parametrize("signed", [True, False])
def test_the_peer_portal_records_a_view_when_it_shows_participants(client, org_a, signed):
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.a"))
    if signed:
        DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    else:
        DeclarationFactory(organisation=org_a)
    program = ProgramFactory(organisation=org_a)
    ThemeFactory(program=program, number=1)
    course = CourseFactory(program=program, status="open")
    course_plan_sessions(course=course)
    CourseFacilitatorFactory(course=course, peer=peer)
    RegistrationFactory(course=course, participant__name=NAME)
    client.force_login(peer.user)

    response = client.get(reverse("volunteers:session", args=[course.sessions.first().pk]))
    assert response.status_code == 200

    views = entries(action=AuditEntry.Action.ACCESS)
    if signed:
        assert NAME.split()[0] in response.content.decode()
        assert [(v.actor, v.organisation, v.object_repr) for v in views] == [
            (peer.user, org_a, f"Forløb #{course.pk}")
        ]
    else:
        assert views == []


def dump_audit_trail() -> str:
    """Every audit entry, every column, as text (JSON in both escaped and plain form)."""
    rows = serializers.serialize("json", AuditEntry.objects.all())
    values = list(AuditEntry.objects.values())
    return rows + json.dumps(values, default=str, ensure_ascii=False) + str(values)


def forbidden_forms(value: str) -> list[str]:
    """The value and what django-auditlog's default mask would leave of it (its second half)."""
    return [value, value[len(value) // 2 :]]


def test_no_personal_value_reaches_the_audit_trail(client_for, coordinator_a, org_a, course_a):
    participant = ParticipantFactory(
        organisation=org_a, name="Anna Berg", email="anna@eksempel.dk", birth_date=BIRTH_DATE
    )
    client = client_for(coordinator_a)
    change_participant(client, participant, name=NAME, email=EMAIL, phone=PHONE)
    client.get(reverse("admin:participants_participant_change", args=[participant.pk]))
    registration = RegistrationFactory(
        course=course_a,
        participant=participant,
        status="needs_review",
        eligibility_answers={"challenge": ANSWER},
        referral_source="health",
        guardian_name=GUARDIAN,
        guardian_email=GUARDIAN_EMAIL,
    )
    services.registration_decide(
        registration=registration, status="accepted", user=coordinator_a, note=NOTE
    )
    peer = PeerFactory(organisation=org_a, name="Quirinus Mørkeblå", email="quirinus@eksempel.dk")
    peer.lived_experience = LIVED_EXPERIENCE
    peer.save()
    certificate = ChildCertificate.objects.create(
        peer=peer, requested_on=datetime.date(2026, 1, 5), outcome="needs_assessment"
    )
    certificate.outcome = "not_approved"
    certificate.save()
    trail.record(user=coordinator_a, action=trail.EXPORT, obj=participant)
    trail.record(user=coordinator_a, action=trail.ERASE, obj=participant)
    Participant.objects.get(pk=participant.pk).delete()

    dump = dump_audit_trail()
    assert AuditEntry.objects.count() >= 8
    # Free text and contact data, and what auditlog's default mask would leave of them.
    personal = [
        NAME,
        "Anna Berg",
        EMAIL,
        "anna@eksempel.dk",
        PHONE,
        "61234987",
        ANSWER,
        NOTE,
        GUARDIAN,
        GUARDIAN_EMAIL,
        "Quirinus Mørkeblå",
        "quirinus@eksempel.dk",
        LIVED_EXPERIENCE,
    ]
    for value in personal:
        for form in forbidden_forms(value):
            assert form not in dump, f"{form!r} is in the audit trail"
    # Dates and choices that say something about the person.
    for value in [BIRTH_DATE.isoformat(), "health", "needs_assessment", "not_approved"]:
        assert value not in dump, f"{value!r} is in the audit trail"
    # Nor in Django's own admin history of the same objects.
    history = str(list(AdminLogEntry.objects.values()))
    for value in personal:
        assert value not in history


def test_labels_are_neutral_and_danish_whatever_the_language(course_a):
    registration = RegistrationFactory(course=course_a)
    with translation.override("en"):
        assert trail.label(registration) == f"Tilmelding #{registration.pk}"
        assert trail.label(registration.participant) == (f"Deltager #{registration.participant.pk}")


def test_a_field_not_declared_plain_is_masked(org_a):
    """A field added later to a tracked model is masked until someone decides otherwise."""
    from auditlog.registry import auditlog

    masked = set(auditlog.get_model_fields(Participant)["mask_fields"])
    assert {"name", "email", "phone", "birth_date", "municipality"} <= masked
    assert "organisation" not in masked
    assert "outcome" in auditlog.get_model_fields(ChildCertificate)["mask_fields"]
    assert "status" not in auditlog.get_model_fields(Registration)["mask_fields"]


# The trail in the admin.


def trail_url(view="changelist", *args):
    return reverse(f"admin:peerprogram_auditentry_{view}", args=args)


@pytest.fixture
def entries_a_and_b(org_a, org_b, coordinator_a, coordinator_b):
    participant_a = ParticipantFactory(organisation=org_a)
    participant_b = ParticipantFactory(organisation=org_b)
    trail.record(user=coordinator_a, action=trail.VIEW, obj=participant_a)
    trail.record(user=coordinator_b, action=trail.VIEW, obj=participant_b)
    return (
        AuditEntry.objects.filter(organisation=org_a),
        AuditEntry.objects.filter(organisation=org_b),
    )


def test_a_coordinator_sees_only_their_organisations_entries(
    client_for, coordinator_b, entries_a_and_b
):
    of_a, of_b = entries_a_and_b
    client = client_for(coordinator_b)
    response = client.get(trail_url())
    assert response.status_code == 200
    listed = {entry.pk for entry in response.context["cl"].result_list}
    assert listed == {entry.pk for entry in of_b}
    assert client.get(trail_url("change", of_a.first().pk)).status_code == 404
    assert client.get(trail_url("change", of_b.first().pk)).status_code == 200


def test_a_superuser_sees_every_organisations_entries(client_for, superuser, entries_a_and_b):
    of_a, of_b = entries_a_and_b
    response = client_for(superuser).get(trail_url())
    listed = {entry.pk for entry in response.context["cl"].result_list}
    assert listed == {entry.pk for entry in [*of_a, *of_b]}


@pytest.mark.parametrize("who", ["coordinator_a", "superuser"])
def test_nobody_adds_changes_or_deletes_entries(client_for, request, entries_a_and_b, who):
    client = client_for(request.getfixturevalue(who))
    entry = entries_a_and_b[0].first()
    assert client.get(trail_url("add")).status_code == 403
    assert client.get(trail_url("delete", entry.pk)).status_code == 403
    assert client.post(trail_url("delete", entry.pk), {"post": "yes"}).status_code == 403
    page = client.get(trail_url("change", entry.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(trail_url("change", entry.pk), {"detail": "x"}).status_code == 403
    assert client.get(trail_url()).context["action_form"] is None  # no bulk delete either
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_statistics_partners_do_not_see_the_trail(client_for, org_a, entries_a_and_b):
    partner = PartnerFactory(username="partner.a", organisations=[org_a])
    client = client_for(partner)
    assert client.get(trail_url()).status_code == 403
    assert client.get(trail_url("change", entries_a_and_b[0].first().pk)).status_code in (403, 404)


def test_the_list_shows_who_what_and_which_fields_without_values(client_for, coordinator_a, org_a):
    participant = ParticipantFactory(organisation=org_a, name="Anna Berg")
    client = client_for(coordinator_a)
    change_participant(client, participant, name=NAME)
    html = client.get(trail_url(), {"action__exact": AuditEntry.Action.UPDATE}).content.decode()
    assert "koordinator.a" in html
    assert f"Deltager #{participant.pk}" in html
    assert "Navn" in html and "Ændret" in html
    assert NAME not in html and "Anna Berg" not in html
    detail = client.get(trail_url("change", AuditEntry.objects.get(action=1).pk)).content
    assert "***" in detail.decode() and NAME not in detail.decode()


def test_the_trail_filters_by_model_and_action(client_for, coordinator_a, course_a):
    registration = RegistrationFactory(course=course_a)
    trail.record(user=coordinator_a, action=trail.EXPORT, obj=registration.participant)
    client = client_for(coordinator_a)
    from django.contrib.contenttypes.models import ContentType

    registrations = ContentType.objects.get_for_model(Registration).pk
    listed = client.get(trail_url(), {"model": registrations}).context["cl"].result_list
    assert {e.object_repr for e in listed} == {f"Tilmelding #{registration.pk}"}
    exports = client.get(trail_url(), {"action__exact": AuditEntry.Action.EXPORT})
    assert [e.object_repr for e in exports.context["cl"].result_list] == [
        f"Deltager #{registration.participant.pk}"
    ]


def test_the_list_keeps_its_query_count_from_10_to_100_entries(
    client_for, coordinator_a, org_a, django_assert_max_num_queries
):
    client = client_for(coordinator_a)
    participants = ParticipantFactory.create_batch(5, organisation=org_a)
    client.get(trail_url())  # content types cached, as in a running site
    # 4 for the OTP device and the session, 2 for the date hierarchy.
    with django_assert_max_num_queries(16):
        assert client.get(trail_url()).status_code == 200
    for index in range(90):
        trail.record(user=coordinator_a, action=trail.VIEW, obj=participants[index % 5])
    with django_assert_max_num_queries(16):
        response = client.get(trail_url())
    assert len(response.context["cl"].result_list) == 95


def test_changing_a_peer_in_the_admin_names_it_without_its_name_in_both_logs(
    client_for, coordinator_a, org_a
):
    peer = PeerFactory(organisation=org_a, name="Quirinus Mørkeblå")
    data = {
        "organisation": org_a.pk,
        "kind": peer.kind,
        "name": "Quirinus Mørkeblå-Hansen",
        "email": peer.email,
        "facilitates_groups": "on",
    }
    for prefix in ["training_records", "supervisions", "signatures", "certificates"]:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data |= {"status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0}
    url = reverse("admin:volunteers_peer_change", args=[peer.pk])
    response = client_for(coordinator_a).post(url, data)
    assert response.status_code == 302

    [change] = entries(action=AuditEntry.Action.UPDATE, content_type__model="peer")
    assert change.changes == {"name": ["***", "***"]}
    [history] = AdminLogEntry.objects.filter(object_id=str(peer.pk), content_type__model="peer")
    assert history.object_repr == f"Facilitator #{peer.pk}"
    assert "Quirinus" not in dump_audit_trail() + str(list(AdminLogEntry.objects.values()))
