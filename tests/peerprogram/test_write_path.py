"""One write path (issue #15): the admin changes state through the same services as the
portal, tasks and tests; bad input gets a Danish message and changes nothing; and a page
that is only read (GET) writes no row."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services as evaluation_services
from evaluation.instruments import WHO5_NAME
from evaluation.models import Phase, Questionnaire, ReportRelease, Response
from peerprogram.models import Membership, RetentionPolicy
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    ParticipantFactory,
    ProgramFactory,
)
from tests.test_url_roles import (  # noqa: F401
    COORDINATOR_A,
    ORG_ADMIN_A,
    module_world,
    org_a_objects,
    world,
)
from tests.volunteers.factories import (
    ChildCertificateFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from tests.volunteers.test_accompaniment import (
    START,
    AssociationActivityFactory,
    accompaniment_form,
    accompanying_peer,
    start,
)
from volunteers import accompaniment as accompaniment_rules
from volunteers import bridging as bridging_rules
from volunteers import services
from volunteers.models import (
    Accompaniment,
    AccompanimentMeeting,
    Bridging,
    ChildCertificate,
    ContactRequest,
    CourseFacilitator,
    Peer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def haab(org_a):
    return ProgramFactory(
        organisation=org_a, accompaniment_limit_months=6, offers_accompaniment=True
    )


@pytest.fixture
def peer(org_a):
    return accompanying_peer(org_a, name="Karen Peer")


@pytest.fixture
def citizen(org_a):
    return ParticipantFactory(organisation=org_a, name="Jens Borger")


@pytest.fixture
def calls(monkeypatch):
    """Wrap services so a test can see the admin went through them (they still run)."""
    seen = []

    def wrap(module, name):
        original = getattr(module, name)

        def wrapper(**kwargs):
            seen.append(name)
            return original(**kwargs)

        monkeypatch.setattr(module, name, wrapper)

    return seen, wrap


# The admin saves through the services ---------------------------------------------------------


def test_the_accompaniment_admin_starts_ends_and_corrects_through_the_services(
    client_for, coordinator_a, peer, citizen, haab, calls
):
    seen, wrap = calls
    for name in [
        "accompaniment_start",
        "accompaniment_end",
        "accompaniment_update",
        "accompaniment_meeting_add",
        "accompaniment_meeting_update",
        "accompaniment_meeting_delete",
    ]:
        wrap(accompaniment_rules, name)
    client = client_for(coordinator_a)
    data = accompaniment_form(
        peer,
        citizen,
        haab,
        **{
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-date": "02.02.2026",
            "meetings-0-kind": "conversation",
        },
    )
    assert client.post(reverse("admin:volunteers_accompaniment_add"), data).status_code == 302
    assert seen == ["accompaniment_start", "accompaniment_meeting_add"]
    accompaniment = Accompaniment.objects.get()
    meeting = accompaniment.meetings.get()
    url = reverse("admin:volunteers_accompaniment_change", args=[accompaniment.pk])
    existing = {
        "meetings-TOTAL_FORMS": "1",
        "meetings-INITIAL_FORMS": "1",
        "meetings-0-id": str(meeting.pk),
        "meetings-0-accompaniment": str(accompaniment.pk),
        "meetings-0-date": "03.02.2026",
        "meetings-0-kind": "conversation",
    }

    seen.clear()
    data = accompaniment_form(peer, citizen, haab, planned_end_on="01.07.2026", **existing)
    assert client.post(url, data).status_code == 302
    assert seen == ["accompaniment_update", "accompaniment_meeting_update"]
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 2, 3)

    seen.clear()
    data = accompaniment_form(
        peer,
        citizen,
        haab,
        planned_end_on="01.07.2026",
        ended_on="01.03.2026",
        end_reason="citizen",
        **{**existing, "meetings-0-DELETE": "on"},
    )
    assert client.post(url, data).status_code == 302
    assert seen == ["accompaniment_end", "accompaniment_meeting_delete"]
    accompaniment.refresh_from_db()
    assert (accompaniment.ended_on, accompaniment.end_reason) == (
        datetime.date(2026, 3, 1),
        "citizen",
    )
    assert not AccompanimentMeeting.objects.exists()


def test_the_bridging_admin_records_and_corrects_through_the_services(
    client_for, coordinator_a, org_a, citizen, calls
):
    seen, wrap = calls
    wrap(bridging_rules, "bridging_record")
    wrap(bridging_rules, "bridging_update")
    activity = AssociationActivityFactory(association__organisation=org_a)
    client = client_for(coordinator_a)
    data = {"participant": citizen.pk, "activity": activity.pk, "status": "contacted"}
    assert client.post(reverse("admin:volunteers_bridging_add"), data).status_code == 302
    bridging = Bridging.objects.get()
    url = reverse("admin:volunteers_bridging_change", args=[bridging.pk])
    assert client.post(url, {**data, "status": "joined"}).status_code == 302
    assert seen == ["bridging_record", "bridging_update"]
    bridging.refresh_from_db()
    assert bridging.status == "joined"


def test_the_contact_request_admin_takes_a_call_and_closes_it_through_the_services(
    client_for, coordinator_a, org_a, calls
):
    seen, wrap = calls
    wrap(bridging_rules, "contact_request_record")
    client = client_for(coordinator_a)
    data = {
        "organisation": org_a.pk,
        "first_name": "Bente",
        "phone": "20 30 40 50",
        "email": "",
        "wish": "peer",
        "status": "new",
        "matched_peer": "",
    }
    assert client.post(reverse("admin:volunteers_contactrequest_add"), data).status_code == 302
    request = ContactRequest.objects.get()
    url = reverse("admin:volunteers_contactrequest_change", args=[request.pk])
    assert client.post(url, {**data, "status": "closed"}).status_code == 302
    assert seen == ["contact_request_record", "contact_request_record"]
    request.refresh_from_db()
    assert request.status == "closed"


def test_a_contact_request_marked_matched_without_a_peer_is_refused_and_unchanged(
    client_for, coordinator_a, org_a
):
    request = ContactRequest.objects.create(
        organisation=org_a, first_name="Bente", phone="20304050", wish="peer"
    )
    url = reverse("admin:volunteers_contactrequest_change", args=[request.pk])
    data = {
        "organisation": org_a.pk,
        "first_name": "Bente",
        "phone": "20 30 40 50",
        "email": "",
        "wish": "peer",
        "status": "matched",
        "matched_peer": "",
    }
    response = client_for(coordinator_a).post(url, data)
    assert response.status_code == 200
    assert "Vælg en peer, før forespørgslen kan stå som matchet." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "new"
    with pytest.raises(ValidationError):
        bridging_rules.contact_request_record(
            contact_request=ContactRequest(
                organisation=org_a, first_name="X", phone="20304050", status="matched"
            )
        )
    assert ContactRequest.objects.count() == 1


def course_form(course, facilitators):
    data = {
        "program": course.program.pk,
        "title": course.title,
        "status": course.status,
        "place": course.place,
        "address": "",
        "municipality": course.municipality,
        "first_date": course.first_date.strftime("%d.%m.%Y"),
        "start_time": "10.00",
        "capacity": str(course.capacity),
        "facilitators-TOTAL_FORMS": str(len(facilitators)),
        "facilitators-INITIAL_FORMS": str(sum(1 for pk, _peer in facilitators if pk)),
        "facilitators-MIN_NUM_FORMS": "0",
        "facilitators-MAX_NUM_FORMS": "1000",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, facilitator) in enumerate(facilitators):
        data[f"facilitators-{index}-peer"] = str(facilitator.pk)
        data[f"facilitators-{index}-course"] = str(course.pk)
        if pk:
            data[f"facilitators-{index}-id"] = str(pk)
    return data


def qualified_peer(organisation, **kwargs):
    peer = PeerFactory(organisation=organisation, **kwargs)
    DeclarationSignatureFactory(
        peer=peer,
        declaration=organisation.declarations.first()
        or DeclarationFactory(organisation=organisation),
    )
    return peer


def test_the_course_admin_assigns_reassigns_and_unassigns_through_the_services(
    client_for, coordinator_a, org_a, program_a, calls
):
    seen, wrap = calls
    for name in ["facilitator_assign", "facilitator_reassign", "facilitator_unassign"]:
        wrap(services, name)
    course = CourseFactory(program=program_a)
    first, second = qualified_peer(org_a), qualified_peer(org_a)
    client = client_for(coordinator_a)
    url = reverse("admin:groups_course_change", args=[course.pk])

    assert client.post(url, course_form(course, [(None, first)])).status_code == 302
    assignment = CourseFacilitator.objects.get()
    assert client.post(url, course_form(course, [(assignment.pk, second)])).status_code == 302
    assert CourseFacilitator.objects.get().peer == second
    data = {**course_form(course, [(assignment.pk, second)]), "facilitators-0-DELETE": "on"}
    assert client.post(url, data).status_code == 302
    assert seen == ["facilitator_assign", "facilitator_reassign", "facilitator_unassign"]
    assert not CourseFacilitator.objects.exists()


def peer_form(peer, certificate, **certificate_fields):
    data = {
        "organisation": peer.organisation_id,
        "kind": peer.kind,
        "name": peer.name,
        "email": peer.email,
        "phone": "",
        "lived_experience": "",
        "availability": "",
        "facilitates_groups": "on",
    }
    for prefix in ["training_records", "supervisions", "signatures", "status_changes"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "certificates-TOTAL_FORMS": "1",
            "certificates-INITIAL_FORMS": "1",
            "certificates-MIN_NUM_FORMS": "0",
            "certificates-MAX_NUM_FORMS": "1000",
            "certificates-0-id": str(certificate.pk),
            "certificates-0-peer": str(peer.pk),
            "certificates-0-requested_on": certificate.requested_on.strftime("%d.%m.%Y"),
            "certificates-0-consent": certificate.consent,
            "certificates-0-received_on": certificate.received_on.strftime("%d.%m.%Y")
            if certificate.received_on
            else "",
            "certificates-0-renew_by": "",
        }
    )
    data.update({f"certificates-0-{key}": value for key, value in certificate_fields.items()})
    return data


@pytest.fixture
def assessor(coordinator_a):
    coordinator_a.user_permissions.add(Permission.objects.get(codename="view_certificate_outcome"))
    return type(coordinator_a).objects.get(pk=coordinator_a.pk)


def test_a_certificate_is_assessed_in_the_admin_through_the_service(
    client_for, assessor, org_a, calls
):
    seen, wrap = calls
    wrap(services, "child_certificate_record")
    peer = PeerFactory(organisation=org_a)
    certificate = ChildCertificateFactory(
        peer=peer, outcome=ChildCertificate.Outcome.NEEDS_ASSESSMENT, assessed_on=None
    )
    url = reverse("admin:volunteers_peer_change", args=[peer.pk])
    response = client_for(assessor).post(url, peer_form(peer, certificate, outcome="approved"))
    assert response.status_code == 302
    assert seen == ["child_certificate_record"]
    certificate.refresh_from_db()
    assert (certificate.outcome, certificate.assessed_by) == ("approved", assessor)
    assert certificate.assessed_on == datetime.date.today()
    assert certificate.renew_by is not None


def test_the_admin_refuses_to_assess_a_certificate_not_yet_received_and_saves_nothing(
    client_for, assessor, org_a
):
    peer = PeerFactory(organisation=org_a)
    certificate = ChildCertificateFactory(
        peer=peer, outcome=ChildCertificate.Outcome.PENDING, received_on=None, assessed_on=None
    )
    url = reverse("admin:volunteers_peer_change", args=[peer.pk])
    response = client_for(assessor).post(url, peer_form(peer, certificate, outcome="approved"))
    assert response.status_code == 200
    assert "Angiv hvornår børneattesten er modtaget, før den vurderes." in (
        response.content.decode()
    )
    certificate.refresh_from_db()
    assert (certificate.outcome, certificate.assessed_by) == ("pending", None)


# Each service refuses bad input in Danish and changes nothing ----------------------------------


def test_correcting_an_accompaniment_beyond_the_limit_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    with pytest.raises(ValidationError) as refused:
        accompaniment_rules.accompaniment_update(
            accompaniment=accompaniment,
            peer=peer,
            participant=citizen,
            program=haab,
            starts_on=START,
            planned_end_on=datetime.date(2026, 9, 1),
            today=START,
        )
    assert "varer højst 6 måneder" in " ".join(refused.value.message_dict["planned_end_on"])
    accompaniment.refresh_from_db()
    assert accompaniment.planned_end_on == datetime.date(2026, 7, 15)


def test_moving_a_meeting_outside_the_accompaniment_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    meeting = accompaniment_rules.accompaniment_meeting_add(
        accompaniment=accompaniment, date=datetime.date(2026, 2, 1), kind="conversation"
    )
    with pytest.raises(ValidationError) as refused:
        accompaniment_rules.accompaniment_meeting_update(
            meeting=meeting, date=datetime.date(2026, 1, 1), kind="conversation"
        )
    assert "uden for følgeskabets periode" in " ".join(refused.value.message_dict["date"])
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 2, 1)


def test_moving_a_bridging_to_another_organisations_activity_is_refused(org_a, org_b, citizen):
    bridging = bridging_rules.bridging_record(
        participant=citizen, activity=AssociationActivityFactory(association__organisation=org_a)
    )
    stranger = AssociationActivityFactory(association__organisation=org_b)
    with pytest.raises(ValidationError) as refused:
        bridging_rules.bridging_update(
            bridging=bridging, participant=citizen, activity=stranger, status="joined"
        )
    assert refused.value.message_dict["participant"] == [
        "Borgeren hører til en anden organisation end foreningen."
    ]
    bridging.refresh_from_db()
    assert (bridging.activity_id, bridging.status) != (stranger.pk, "joined")


def test_reassigning_to_a_peer_who_is_not_trained_is_refused(org_a, program_a):
    course = CourseFactory(program=program_a)
    assignment = services.facilitator_assign(course=course, peer=qualified_peer(org_a))
    novice = qualified_peer(org_a, name="Ny Peer", status=Peer.Status.IN_TRAINING)
    with pytest.raises(ValidationError) as refused:
        services.facilitator_reassign(assignment=assignment, peer=novice)
    assert "Ny Peer er ikke uddannet endnu" in " ".join(refused.value.messages)
    assignment.refresh_from_db()
    assert assignment.peer != novice


@pytest.mark.parametrize(
    ("before", "after", "received", "may_assess", "message"),
    [
        ("pending", "approved", True, False, "Du har ikke adgang til at vurdere børneattester."),
        ("pending", "approved", False, True, "Angiv hvornår børneattesten er modtaget"),
        ("approved", "needs_assessment", True, True, "kan kun stå som godkendt eller ikke"),
    ],
)
def test_a_certificate_assessment_against_the_rules_is_refused(
    org_a, assessor, before, after, received, may_assess, message
):
    certificate = ChildCertificateFactory(
        peer=PeerFactory(organisation=org_a),
        outcome=before,
        received_on=datetime.date.today() if received else None,
    )
    certificate.outcome = after
    with pytest.raises(ValidationError) as refused:
        services.child_certificate_record(
            certificate=certificate,
            user=assessor if may_assess else CoordinatorFactory(organisations=[org_a]),
        )
    assert message in " ".join(refused.value.messages)
    certificate.refresh_from_db()
    assert certificate.outcome == before


# Copying a questionnaire ----------------------------------------------------------------------


def copy(client, questionnaire, follow=False, **extra):
    return client.post(
        reverse("admin:evaluation_questionnaire_changelist"),
        {"action": "copy_to_my_organisation", "_selected_action": [questionnaire.pk], **extra},
        follow=follow,
    )


def test_a_coordinator_of_two_organisations_chooses_where_the_copy_goes(
    client_for, coordinator_a, org_a, org_b
):
    coordinator_a.memberships.create(organisation=org_b, role=Membership.Role.COORDINATOR)
    template = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)
    client = client_for(coordinator_a)

    page = copy(client, template)
    assert page.status_code == 200
    html = page.content.decode()
    assert org_a.name in html and org_b.name in html
    assert not Questionnaire.objects.filter(name=WHO5_NAME, organisation__isnull=False).exists()

    assert copy(client, template, organisation=org_b.pk).status_code == 302
    (copied,) = Questionnaire.objects.filter(name=WHO5_NAME, organisation__isnull=False)
    assert copied.organisation == org_b
    assert copied.items.count() == template.items.count() == 5


def test_a_copy_into_an_organisation_the_user_does_not_coordinate_is_refused(
    client_for, coordinator_a, org_a, org_b
):
    coordinator_a.memberships.create(organisation=org_b, role=Membership.Role.STATISTICS)
    template = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)
    response = copy(client_for(coordinator_a), template, organisation=org_b.pk, follow=True)
    assert "Vælg en af de organisationer, du er koordinator i. Intet er kopieret." in (
        response.content.decode()
    )
    assert not Questionnaire.objects.filter(name=WHO5_NAME, organisation__isnull=False).exists()


# Releases are made when answers arrive ---------------------------------------------------------


def test_the_fifth_answer_makes_the_release_and_reading_the_report_makes_none(
    course_a, client_for, coordinator_a
):
    who5 = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)

    def submit():
        token = evaluation_services.invitation_create(course_id=course_a.pk, phase=Phase.AFTER)
        answers = {who5.pk: {str(n): 3 for n in range(1, 6)}}
        assert evaluation_services.response_submit(token=token, answers=answers)

    for _n in range(4):
        submit()
    url = reverse("admin:evaluation_report_course", args=[course_a.pk])
    client = client_for(coordinator_a)
    assert client.get(url).status_code == 200
    assert not ReportRelease.objects.exists()
    submit()
    (release,) = ReportRelease.objects.all()
    assert (release.number, len(release.response_ids)) == (1, 5)
    assert client.get(url).status_code == 200
    assert ReportRelease.objects.count() == 1


# No rows on GET --------------------------------------------------------------------------------

# SQLite spells an insert that ignores conflicts "INSERT OR IGNORE INTO".
WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE
)
# Sessions and sign-in throttling are the framework's own; an audit entry for opening a
# person's page is the access log the GDPR asks for (peerprogram.audit.trail), made on purpose.
WRITES_ALLOWED_ON_GET = re.compile(r"^(django_session|axes_\w+|peerprogram_auditentry)$")


def _get_pages(objects_of):
    objects = org_a_objects(objects_of)
    course = objects_of["course_a"]
    program = course.program
    for obj in objects.values():
        info = (obj._meta.app_label, obj._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    for name, pk in [
        ("evaluation_report_course", course.pk),
        ("evaluation_report_csv", program.pk),
        ("evaluation_report_tariff", program.pk),
    ]:
        yield reverse(f"admin:{name}", args=[pk])
    yield reverse("admin:peerprogram_retentionpolicy_dry_run", args=[objects_of["org_a"].pk])
    yield reverse("admin:peerprogram_retentionpolicy_changelist")
    yield reverse("admin:index")


@pytest.mark.parametrize("role", [COORDINATOR_A, ORG_ADMIN_A])
def test_reading_admin_and_report_pages_writes_nothing(world, client_for, role):  # noqa: F811
    client = client_for(world[role])
    who5 = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)
    for _n in range(5):  # stored, not yet released: a report must not release them
        Response.objects.create(
            course=world["course_a"],
            phase=Phase.AFTER,
            questionnaire=who5,
            iso_week="2027-W10",
            answers={str(n): 3 for n in range(1, 6)},
        )
    pages = list(_get_pages(world))
    # Organisation A still on the defaults: its policy page is gone, the list and dry run stay.
    RetentionPolicy.objects.all().delete()
    pages = [url for url in pages if not re.search(r"/retentionpolicy/\d+/change/", url)]
    client.get(pages[0])  # the session and sign-in rows of a first request
    writes = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        for query in queries.captured_queries:
            match = WRITE.match(query["sql"])
            if match and not WRITES_ALLOWED_ON_GET.match(match.group(1)):
                writes.append((url, query["sql"][:120]))
    assert writes == []
    assert not ReportRelease.objects.exists()
    assert not RetentionPolicy.objects.exists()
