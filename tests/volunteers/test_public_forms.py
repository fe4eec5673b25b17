"""Ud i Livet's way in: the public "Kontakt en peer" and "Bliv frivillig peer" forms, matching a
request with a group of peers and an association's activity, and what happens to applicants
who never start."""

import datetime
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from groups import manuals
from groups.models import RenderedDocument
from participants.models import Participant
from peerprogram.models import OutboxMessage
from peerprogram.printing import qr_data_uri
from peerprogram.privacy import retention
from tests.factories import CoordinatorFactory, ParticipantFactory, ProgramFactory
from tests.volunteers.factories import (
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
)
from volunteers import bridging
from volunteers.models import (
    Association,
    ContactRequest,
    Peer,
    PeerApplication,
    StatusChange,
)
from volunteers.selectors import contact_requests_open

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def told(org_a):
    """A coordinator of the organisation who has an e-mail address."""
    return CoordinatorFactory(
        username="koordinator.post", email="koordinator@lejre.eksempel.dk", organisations=[org_a]
    )


def contact_url(organisation):
    return reverse("volunteers:contact_request", args=[organisation.slug])


def application_url(organisation):
    return reverse("volunteers:peer_application", args=[organisation.slug])


CONTACT = {"first_name": "Lone", "phone": "20 30 40 50", "email": "", "wish": "activity"}
APPLICATION = {
    "name": "Per Frivillig",
    "phone": "",
    "email": "per@eksempel.dk",
    "lived_experience": "Angst i mange år; gåture og et fællesskab hjalp mig.",
    "availability": "Hverdage efter kl. 16",
    "health_data_consent": "on",
}


# Kontakt en peer ------------------------------------------------------------------------------


def test_a_citizen_sends_kontakt_en_peer_and_the_coordinators_get_an_email(
    client, org_a, told, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(org_a), CONTACT)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:contact_request_sent", args=["lejre"])
    request = ContactRequest.objects.get()
    assert (request.organisation, request.first_name, request.wish) == (org_a, "Lone", "activity")
    assert request.status == ContactRequest.Status.NEW
    (email,) = mail.outbox
    assert email.to == ["koordinator@lejre.eksempel.dk"]
    assert "Følgeskab til en aktivitet eller forening" in email.body
    # The e-mail says where to look, not who wrote.
    assert "Lone" not in email.body and "20 30 40 50" not in email.body
    assert f"/admin/volunteers/contactrequest/{request.pk}/" in email.body
    # Staff get e-mail only.
    assert set(OutboxMessage.objects.values_list("channel", flat=True)) == {"email"}
    thanks = client.get(response["Location"])
    assert "vi kontakter dig" in thanks.content.decode()


def test_the_form_shows_its_privacy_notice_and_retention(client, org_a):
    html = client.get(contact_url(org_a)).content.decode()
    assert "Sådan bruger vi dine oplysninger" in html
    assert "Lejre Kommune er dataansvarlig" in html
    assert "anonymiseres 6 måneder efter, at du skrev" in html
    assert "anonymiseres de 12 måneder efter matchet" in html
    assert reverse("organisation_privacy", args=["lejre"]) in html


def test_a_filled_honeypot_stores_nothing_and_tells_nobody(client, org_a, told):
    response = client.post(contact_url(org_a), {**CONTACT, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in response.content.decode()
    assert not ContactRequest.objects.exists() and not OutboxMessage.objects.exists()


def test_a_request_with_neither_phone_nor_email_is_refused_in_danish_and_refilled(
    client, org_a, told
):
    response = client.post(contact_url(org_a), {**CONTACT, "phone": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en e-mail eller et telefonnummer, så vi kan nå dig." in html
    assert 'id="error-summary"' in html and "autofocus" in html
    assert 'value="Lone"' in html and 'value="activity"  id="id_wish_0" required checked' in html
    assert not ContactRequest.objects.exists() and not OutboxMessage.objects.exists()


def test_the_service_refuses_a_request_nobody_can_answer():
    with pytest.raises(ValidationError) as caught:
        bridging.contact_request_submit(
            organisation=ParticipantFactory().organisation,
            first_name="Lone",
            phone="",
            email="",
            wish="peer",
        )
    assert "så vi kan nå dig" in " ".join(caught.value.message_dict["phone"])
    assert not ContactRequest.objects.exists()


def test_the_rate_limit_stops_a_flood_with_a_danish_message(client, org_a, settings):
    settings.REGISTRATION_LIMIT_PER_IP_HOUR = 2
    for _ in range(2):
        client.post(contact_url(org_a), {"first_name": "x"})
    response = client.post(contact_url(org_a), CONTACT)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Vent lidt, og prøv igen" in html and 'value="Lone"' in html
    assert not ContactRequest.objects.exists()


def test_the_organisations_hourly_limit_counts_only_valid_requests(client, org_a, settings):
    settings.PUBLIC_FORM_LIMIT_PER_ORGANISATION_HOUR = 1
    client.post(contact_url(org_a), {"first_name": "junk"})  # invalid: does not count
    assert client.post(contact_url(org_a), CONTACT).status_code == 302
    response = client.post(contact_url(org_a), {**CONTACT, "first_name": "Mia"})
    assert response.status_code == 429
    assert ContactRequest.objects.count() == 1


def test_a_double_submit_stores_one_request(client, org_a):
    first = client.post(contact_url(org_a), CONTACT)
    second = client.post(contact_url(org_a), CONTACT)
    assert first["Location"] == second["Location"]
    assert ContactRequest.objects.count() == 1


def test_a_request_never_changes_a_stored_person(client, org_a):
    citizen = ParticipantFactory(organisation=org_a, name="Lone Hansen", phone="20 30 40 50")
    client.post(contact_url(org_a), {**CONTACT, "first_name": "Anden"})
    citizen.refresh_from_db()
    assert citizen.name == "Lone Hansen"
    assert Participant.objects.count() == 1 and ContactRequest.objects.count() == 1


def test_an_unknown_organisation_is_a_404(client, org_a):
    response = client.get(reverse("volunteers:contact_request", args=["findes-ikke"]))
    assert response.status_code == 404


def test_the_thank_you_page_needs_a_request_first(client, org_a):
    response = client.get(reverse("volunteers:contact_request_sent", args=["lejre"]))
    assert response["Location"] == contact_url(org_a)


def test_an_association_asks_for_consent_and_stores_nothing_without_it(client, org_b):
    org_b.data_protection_basis = "consent"
    org_b.save()
    response = client.post(contact_url(org_b), CONTACT)
    assert response.status_code == 400
    assert "Jeg giver samtykke til" in response.content.decode()
    assert not ContactRequest.objects.exists()
    assert client.post(contact_url(org_b), {**CONTACT, "consent": "on"}).status_code == 302


# Matching with a peer or a group of peers, and bridging, recorded on the request -------------


def meeting_peer(organisation, **kwargs):
    """A peer who may meet citizens: trained and signed the organisation's declaration."""
    peer = PeerFactory(organisation=organisation, **kwargs)
    declaration = organisation.declarations.first() or DeclarationFactory(organisation=organisation)
    DeclarationSignatureFactory(peer=peer, declaration=declaration)
    return peer


def new_request(organisation):
    return ContactRequest.objects.create(
        organisation=organisation, first_name="Lone", phone="20304050", wish="group"
    )


def test_a_request_is_matched_with_a_group_of_peers(org_a):
    request = new_request(org_a)
    lead, second, third = (meeting_peer(org_a) for _ in range(3))
    bridging.contact_request_match(
        contact_request=request, peer=lead, other_peers=[second, third, lead]
    )
    request.refresh_from_db()
    assert (request.status, request.matched_peer) == ("matched", lead)
    assert set(request.other_peers.all()) == {second, third}


def test_a_group_with_a_peer_who_may_not_meet_citizens_is_refused_and_nothing_changes(org_a):
    request = new_request(org_a)
    lead = meeting_peer(org_a)
    applicant = meeting_peer(org_a, name="Ny Ansøger", status=Peer.Status.APPLICANT)
    with pytest.raises(ValidationError) as caught:
        bridging.contact_request_match(contact_request=request, peer=lead, other_peers=[applicant])
    assert "Ny Ansøger" in " ".join(caught.value.message_dict["other_peers"])
    request.refresh_from_db()
    assert (request.status, request.matched_peer) == ("new", None)
    assert not request.other_peers.exists()


def test_bridging_into_an_activity_is_recorded_on_the_request(org_a, org_b):
    request = new_request(org_a)
    ours = Association.objects.create(organisation=org_a, name="Hillerød Fodbold")
    activity = ours.activities.create(name="Motion for sindet")
    request.bridged_activity, request.bridging_status = activity, "visited"
    bridging.contact_request_record(contact_request=request)
    request.refresh_from_db()
    assert (request.bridged_activity, request.bridging_status) == (activity, "visited")

    theirs = Association.objects.create(organisation=org_b, name="Anden forening")
    request.bridged_activity = theirs.activities.create(name="Løbehold")
    with pytest.raises(ValidationError) as caught:
        bridging.contact_request_record(contact_request=request)
    assert "anden organisations forening" in " ".join(caught.value.message_dict["bridged_activity"])
    request.refresh_from_db()
    assert request.bridged_activity == activity


def test_the_admin_matches_a_group_and_records_the_bridging(client_for, coordinator_a, org_a):
    request = new_request(org_a)
    lead, second = meeting_peer(org_a), meeting_peer(org_a)
    activity = Association.objects.create(organisation=org_a, name="DGI").activities.create(
        name="Motion for sindet"
    )
    url = reverse("admin:volunteers_contactrequest_change", args=[request.pk])
    data = {
        "organisation": org_a.pk,
        "first_name": "Lone",
        "phone": "20304050",
        "email": "",
        "wish": "group",
        "status": "new",
        "matched_peer": lead.pk,
        "other_peers": [second.pk],
        "bridged_activity": activity.pk,
        "bridging_status": "contacted",
    }
    response = client_for(coordinator_a).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert (request.status, request.matched_peer, request.bridged_activity) == (
        "matched",
        lead,
        activity,
    )
    assert list(request.other_peers.all()) == [second]


# Bliv frivillig peer --------------------------------------------------------------------------


def test_an_application_lands_as_an_applicant_with_the_consent_recorded(
    client, org_a, told, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(application_url(org_a), APPLICATION)
    assert response.status_code == 302
    peer = Peer.objects.get()
    assert (peer.organisation, peer.status, peer.kind) == (org_a, "applicant", "peer")
    assert peer.lived_experience.startswith("Angst i mange år")
    application = PeerApplication.objects.get(peer=peer)
    assert application.health_data_consent_at is not None
    assert application.privacy_notice_version == bridging.APPLICATION_PRIVACY_NOTICE_VERSION
    (email,) = mail.outbox
    assert email.to == ["koordinator@lejre.eksempel.dk"]
    assert "Per Frivillig" not in email.body and "Angst" not in email.body
    assert f"/admin/volunteers/peer/{peer.pk}/" in email.body


def test_the_application_form_states_the_art_9_basis_and_the_retention(client, org_a):
    html = client.get(application_url(org_a)).content.decode()
    assert "helbredsoplysninger" in html
    assert "art. 9, stk. 2, litra a" in html
    assert "anonymiseres dine oplysninger 6 måneder efter din ansøgning" in html


def test_an_application_without_consent_stores_nothing(client, org_a, told):
    data = {key: value for key, value in APPLICATION.items() if key != "health_data_consent"}
    response = client.post(application_url(org_a), data)
    assert response.status_code == 400
    assert "kun modtage ansøgningen, hvis du giver dit samtykke" in response.content.decode()
    assert not Peer.objects.exists() and not OutboxMessage.objects.exists()


def test_an_application_with_neither_phone_nor_email_is_refused_and_refilled(client, org_a):
    response = client.post(application_url(org_a), {**APPLICATION, "email": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "så vi kan nå dig" in html and 'value="Per Frivillig"' in html
    assert not Peer.objects.exists()


def test_an_application_with_a_filled_honeypot_stores_nothing(client, org_a):
    response = client.post(application_url(org_a), {**APPLICATION, "website": "x"})
    assert response.status_code == 400
    assert not Peer.objects.exists()


def test_applications_are_rate_limited(client, org_a, settings):
    settings.REGISTRATION_LIMIT_PER_IP_HOUR = 1
    client.post(application_url(org_a), {"name": "x"})
    response = client.post(application_url(org_a), APPLICATION)
    assert response.status_code == 429
    assert "Vent lidt, og prøv igen" in response.content.decode()
    assert not Peer.objects.exists()


def test_an_application_never_changes_a_stored_peer(client, org_a):
    active = PeerFactory(organisation=org_a, name="Per Aktiv", email="per@eksempel.dk")
    client.post(application_url(org_a), APPLICATION)
    active.refresh_from_db()
    assert (active.name, active.status) == ("Per Aktiv", "active")
    assert Peer.objects.count() == 2


# Applicants who never start ------------------------------------------------------------------


def applicant(organisation, applied_on: datetime.date) -> Peer:
    peer = bridging.peer_application_submit(
        organisation=organisation,
        name="Ansøger",
        phone="",
        email="ansoger@eksempel.dk",
        lived_experience="Egne erfaringer.",
        availability="",
        health_data_consent=True,
    )
    PeerApplication.objects.filter(peer=peer).update(
        applied_at=datetime.datetime.combine(applied_on, datetime.time(12), tzinfo=UTC)
    )
    return peer


@pytest.fixture
def generous(org_a):
    policy = retention.policy_for(org_a)
    policy.max_share_per_run = 100
    policy.save()
    return policy


@pytest.mark.parametrize(("after_days", "expected"), [(-1, False), (0, True)])
def test_an_applicant_who_never_starts_is_anonymised_months_after_applying(
    org_a, generous, after_days, expected
):
    peer = applicant(org_a, datetime.date(2026, 3, 1))
    # 6 months (the default) after 1 March 2026.
    retention.run(datetime.date(2026, 9, 1) + datetime.timedelta(days=after_days))
    peer.refresh_from_db()
    assert (peer.anonymised_at is not None) == expected
    assert (peer.lived_experience == "" and peer.email == "") == expected
    assert PeerApplication.objects.filter(peer=peer).exists()  # dates only: kept


def test_the_period_after_an_application_is_the_organisations_setting(org_a, generous):
    generous.months_after_application = 2
    generous.save()
    peer = applicant(org_a, datetime.date(2026, 3, 1))
    retention.run(datetime.date(2026, 5, 1))
    peer.refresh_from_db()
    assert peer.anonymised_at is not None


def test_an_applicant_who_started_or_was_never_an_application_is_kept(org_a, generous):
    started = applicant(org_a, datetime.date(2025, 1, 1))
    StatusChange.objects.create(
        peer=started, from_status=Peer.Status.APPLICANT, to_status=Peer.Status.IN_TRAINING
    )
    Peer.objects.filter(pk=started.pk).update(status=Peer.Status.IN_TRAINING)
    entered_by_hand = PeerFactory(organisation=org_a, status=Peer.Status.APPLICANT)
    Peer.objects.filter(pk=entered_by_hand.pk).update(
        created_at=datetime.datetime(2025, 1, 1, 12, tzinfo=UTC)
    )
    retention.run(datetime.date(2027, 1, 1))
    assert not Peer.objects.filter(anonymised_at__isnull=False).exists()


def test_the_dry_run_names_the_reason_without_the_person(org_a, generous):
    applicant(org_a, datetime.date(2026, 3, 1))
    plan = retention.plan(org_a, datetime.date(2026, 9, 1))
    (labels,) = [source.labels for source in plan.sources if source.source.name == "peers"]
    assert len(labels) == 1 and "kom aldrig i gang" in labels[0]
    assert "Ansøger" not in labels[0].split("–", 1)[1]


# The contact card leads to the form -----------------------------------------------------------


def test_the_contact_card_prints_the_forms_address_and_a_qr_code_with_crisis_lines_apart(
    org_a, settings, tmp_path
):
    settings.SITE_URL = "https://peer.example.dk"
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(organisation=org_a, name="Ud i Livet", format="open_activity")
    context = manuals.contact_card_context(program)
    form_url = "https://peer.example.dk" + contact_url(org_a)
    assert context["url"] == form_url
    assert context["qr_svg"] == qr_data_uri(form_url)
    document = manuals.document_get_or_render(RenderedDocument.Kind.CONTACT_CARD, program)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    (page,) = reader.pages
    text = " ".join((page.extract_text() or "").split())
    assert "".join(text.split()).count("".join(form_url.split())) == 8  # eight cards a sheet
    assert "Kontakt en peer:" in text
    # The crisis lines keep their own box, after the way to a peer.
    assert text.count("Brug for hjælp nu?") == 8 and "Lejres akuttilbud" in text
    assert text.index("Kontakt en peer:") < text.index("Brug for hjælp nu?")


def test_coordinators_see_the_contact_requests_nobody_has_taken_oldest_first(org_a, org_b):
    def request(organisation, status=ContactRequest.Status.NEW):
        return ContactRequest.objects.create(
            organisation=organisation, first_name="Bente", phone="20304050", status=status
        )

    first = request(org_a)
    second = request(org_a)
    request(org_a, status=ContactRequest.Status.CLOSED)
    request(org_b)

    assert list(contact_requests_open(organisation_ids=[org_a.pk])) == [first, second]
