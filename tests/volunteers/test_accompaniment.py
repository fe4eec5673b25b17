"""Accompaniment (følgeskab) and Ud i Livet's bridging: the rules, the notice and the admin."""

import datetime

import factory
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from groups.models import Program
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import message_deliver
from tests.factories import (
    CourseFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
)
from tests.volunteers.factories import DeclarationFactory, DeclarationSignatureFactory, PeerFactory
from volunteers.accompaniment import (
    accompaniment_end,
    accompaniment_meeting_add,
    accompaniment_start,
    accompaniments_ending_notify,
)
from volunteers.bridging import bridging_record, contact_request_match
from volunteers.models import (
    Accompaniment,
    AccompanimentMeeting,
    Association,
    AssociationActivity,
    Bridging,
    ContactRequest,
    Peer,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 15)
LIMIT_END = datetime.date(2026, 7, 15)  # six calendar months after START
AFTER_LIMIT = datetime.date(2026, 9, 1)  # a "today" when the whole period lies behind us


def problems_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict.get(field, []))


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Forening {n}")


class AssociationActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociationActivity

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Motion for sindet – hold {n}")
    when = "Tirsdag kl. 10.00"
    place = "Idrætshallen"


def accompanying_peer(organisation, **kwargs) -> Peer:
    """A trained peer who gives accompaniment and has signed the current declaration."""
    peer = PeerFactory(organisation=organisation, accompanies=True, **kwargs)
    declaration = organisation.declarations.first() or DeclarationFactory(
        organisation=organisation, published_on=datetime.date(2025, 1, 1)
    )
    DeclarationSignatureFactory(peer=peer, declaration=declaration)
    return peer


@pytest.fixture
def haab(org_a):
    return ProgramFactory(
        organisation=org_a,
        name="Håb og selvbestemmelse i hverdagslivet",
        offers_accompaniment=True,
        accompaniment_limit_months=6,
    )


@pytest.fixture
def peer(org_a):
    return accompanying_peer(org_a, name="Karen Peer", email="karen@eksempel.dk")


@pytest.fixture
def citizen(org_a):
    return ParticipantFactory(organisation=org_a, name="Jens Borger", email="jens@eksempel.dk")


def start(peer, citizen, program, **kwargs):
    kwargs.setdefault("starts_on", START)
    return accompaniment_start(
        peer=peer, participant=citizen, program=program, today=START, **kwargs
    )


# The programme's own limit (six months in Håb og selvbestemmelse) and who may accompany.


def test_the_planned_end_defaults_to_the_programmes_limit(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab, starts_on=datetime.date(2026, 8, 31))
    # Six calendar months on; a month without the 31st ends on its last day.
    assert accompaniment.planned_end_on == datetime.date(2027, 2, 28)


def test_a_planned_end_exactly_at_the_limit_is_accepted(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab, planned_end_on=LIMIT_END)
    assert accompaniment.planned_end_on == LIMIT_END
    assert accompaniment.ended_on is None


def test_a_planned_end_beyond_the_limit_is_refused(peer, citizen, haab):
    with pytest.raises(ValidationError) as caught:
        start(peer, citizen, haab, planned_end_on=LIMIT_END + datetime.timedelta(days=1))
    message = problems_of(caught.value, "planned_end_on")
    assert "varer højst 6 måneder" in message and "senest være 15.07.2026" in message
    assert not Accompaniment.objects.exists()


def test_a_planned_end_before_the_start_is_refused(peer, citizen, haab):
    with pytest.raises(ValidationError) as caught:
        start(peer, citizen, haab, planned_end_on=START)
    assert "efter startdatoen" in problems_of(caught.value, "planned_end_on")


def test_a_programme_without_accompaniment_is_refused(peer, citizen, org_a):
    groups_only = ProgramFactory(organisation=org_a, accompaniment_limit_months=None)
    with pytest.raises(ValidationError) as caught:
        start(peer, citizen, groups_only)
    assert "tilbyder ikke følgeskab" in problems_of(caught.value, "program")


def test_a_peer_who_does_not_accompany_is_refused(org_a, citizen, haab):
    group_leader = accompanying_peer(org_a, name="Gruppe Leder")
    group_leader.accompanies = False
    group_leader.save()
    with pytest.raises(ValidationError) as caught:
        start(group_leader, citizen, haab)
    assert "Gruppe Leder giver ikke følgeskab" in problems_of(caught.value, "peer")


@pytest.mark.parametrize(
    ("status", "phrase"),
    [(Peer.Status.IN_TRAINING, "er ikke uddannet endnu"), (Peer.Status.PAUSED, "er ikke aktiv")],
)
def test_a_peer_who_is_not_trained_or_active_is_refused(org_a, citizen, haab, status, phrase):
    learner = accompanying_peer(org_a, name="Ny Peer", status=status)
    with pytest.raises(ValidationError) as caught:
        start(learner, citizen, haab)
    assert f"Ny Peer {phrase}" in problems_of(caught.value, "peer")


def test_a_peer_who_has_not_signed_the_declaration_is_refused(org_a, citizen, haab, peer):
    unsigned = PeerFactory(organisation=org_a, accompanies=True, name="Usigneret")
    with pytest.raises(ValidationError) as caught:
        start(unsigned, citizen, haab)
    assert "ikke underskrevet den gældende tavshedserklæring" in problems_of(caught.value, "peer")


def test_a_peer_of_another_organisation_is_refused(org_b, citizen, haab):
    stranger = accompanying_peer(org_b, name="Fremmed Peer")
    with pytest.raises(ValidationError) as caught:
        start(stranger, citizen, haab)
    assert "Fremmed Peer hører til en anden organisation" in problems_of(caught.value, "peer")


def test_a_citizen_of_another_organisation_is_refused(org_b, peer, haab):
    stranger = ParticipantFactory(organisation=org_b)
    with pytest.raises(ValidationError) as caught:
        start(peer, stranger, haab)
    assert "anden organisation" in problems_of(caught.value, "participant")


def test_a_citizen_has_one_ongoing_accompaniment_at_a_time(org_a, peer, citizen, haab):
    start(peer, citizen, haab)
    with pytest.raises(ValidationError) as caught:
        start(accompanying_peer(org_a), citizen, haab)
    assert "allerede et igangværende følgeskab med Karen Peer" in problems_of(
        caught.value, "participant"
    )


# Ending.


def test_ending_early_needs_a_reason(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    early = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as caught:
        accompaniment_end(accompaniment=accompaniment, ended_on=early, today=AFTER_LIMIT)
    assert "vælg, hvorfor det stopper før tid" in problems_of(caught.value, "end_reason")
    with pytest.raises(ValidationError):
        accompaniment_end(
            accompaniment=accompaniment,
            ended_on=early,
            end_reason=Accompaniment.EndReason.COMPLETED,
            today=AFTER_LIMIT,
        )
    accompaniment.refresh_from_db()
    assert accompaniment.ended_on is None

    accompaniment_end(
        accompaniment=accompaniment,
        ended_on=early,
        end_reason=Accompaniment.EndReason.CITIZEN,
        today=AFTER_LIMIT,
    )
    accompaniment.refresh_from_db()
    assert (accompaniment.ended_on, accompaniment.end_reason) == (early, "citizen")


def test_ending_on_the_planned_day_is_completed_as_planned(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    ended = accompaniment_end(accompaniment=accompaniment, ended_on=LIMIT_END, today=AFTER_LIMIT)
    assert ended.end_reason == Accompaniment.EndReason.COMPLETED


def test_ending_after_the_limit_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    with pytest.raises(ValidationError) as caught:
        accompaniment_end(
            accompaniment=accompaniment,
            ended_on=LIMIT_END + datetime.timedelta(days=1),
            today=AFTER_LIMIT,
        )
    assert "skal slutte senest 15.07.2026" in problems_of(caught.value, "ended_on")


def test_an_end_in_the_future_or_a_second_end_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    with pytest.raises(ValidationError) as caught:
        accompaniment_end(accompaniment=accompaniment, ended_on=LIMIT_END, today=START)
    assert "fremtiden" in problems_of(caught.value, "ended_on")
    accompaniment_end(accompaniment=accompaniment, ended_on=LIMIT_END, today=AFTER_LIMIT)
    with pytest.raises(ValidationError) as caught:
        accompaniment_end(accompaniment=accompaniment, ended_on=LIMIT_END, today=AFTER_LIMIT)
    assert "allerede afsluttet (15.07.2026)" in problems_of(caught.value, "ended_on")


def test_a_peer_who_stopped_can_still_be_recorded_as_having_ended(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    Peer.objects.filter(pk=peer.pk).update(status=Peer.Status.STOPPED, accompanies=False)
    accompaniment_end(
        accompaniment=accompaniment,
        ended_on=datetime.date(2026, 3, 1),
        end_reason=Accompaniment.EndReason.PEER,
        today=AFTER_LIMIT,
    )
    assert Accompaniment.objects.get().end_reason == Accompaniment.EndReason.PEER


# Meetings: the kind and date, and at most a short neutral note.


def test_meetings_store_no_free_text_beyond_the_short_note():
    def free_text(model):
        return {
            field.name: field.max_length
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        }

    assert free_text(Accompaniment) == {}
    assert free_text(AccompanimentMeeting) == {"note": 200}
    note = AccompanimentMeeting._meta.get_field("note")
    assert "ingen helbredsoplysninger" in str(note.help_text)


def test_a_meeting_note_longer_than_200_characters_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    with pytest.raises(ValidationError) as caught:
        accompaniment_meeting_add(
            accompaniment=accompaniment,
            date=START,
            kind=AccompanimentMeeting.Kind.CONVERSATION,
            note="x" * 201,
        )
    assert "note" in caught.value.message_dict
    meeting = accompaniment_meeting_add(
        accompaniment=accompaniment,
        date=START,
        kind=AccompanimentMeeting.Kind.APPOINTMENT,
        note="Fulgtes til jobcentret",
    )
    assert str(meeting) == "Følgeskab til aftale (15.01.2026)"


def test_a_meeting_outside_the_accompaniment_is_refused(peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    with pytest.raises(ValidationError) as caught:
        accompaniment_meeting_add(
            accompaniment=accompaniment,
            date=LIMIT_END + datetime.timedelta(days=1),
            kind=AccompanimentMeeting.Kind.OTHER,
        )
    assert "uden for følgeskabets periode" in problems_of(caught.value, "date")


# The notice 14 days before the planned end.


def ongoing(peer, citizen, program, *, ends_in_days, today, **kwargs):
    planned_end = today + datetime.timedelta(days=ends_in_days)
    return Accompaniment.objects.create(
        peer=peer,
        participant=citizen,
        program=program,
        starts_on=planned_end - datetime.timedelta(days=150),
        planned_end_on=planned_end,
        **kwargs,
    )


def test_the_ending_notice_is_created_once_when_run_twice(peer, citizen, haab):
    today = datetime.date(2026, 11, 2)
    accompaniment = ongoing(peer, citizen, haab, ends_in_days=14, today=today)
    accompaniments_ending_notify(today=today)
    accompaniments_ending_notify(today=today)
    accompaniments_ending_notify(today=today + datetime.timedelta(days=1))
    messages = OutboxMessage.objects.order_by("recipient_address")
    assert [(m.kind, m.recipient_address) for m in messages] == [
        ("accompaniment_ending", "jens@eksempel.dk"),
        ("accompaniment_ending", "karen@eksempel.dk"),
    ]
    assert {m.dedupe_key for m in messages} == {
        f"accompaniment_ending:{accompaniment.pk}:2026-11-16:participant:{citizen.pk}:email",
        f"accompaniment_ending:{accompaniment.pk}:2026-11-16:peer:{peer.pk}:email",
    }


def test_the_ending_notice_tells_the_peer_and_the_citizen_in_plain_danish(peer, citizen, haab):
    today = datetime.date(2026, 11, 2)
    ongoing(peer, citizen, haab, ends_in_days=10, today=today)
    accompaniments_ending_notify(today=today)
    for message in OutboxMessage.objects.all():
        assert message_deliver(message_id=message.pk).sent
    by_address = {email.to[0]: email for email in mail.outbox}
    to_peer, to_citizen = by_address["karen@eksempel.dk"], by_address["jens@eksempel.dk"]
    assert to_peer.subject == "Følgeskabet slutter torsdag den 12. november"
    assert "Dit følgeskab med Jens i Håb og selvbestemmelse" in to_peer.body
    assert "torsdag den 12. november 2026" in to_peer.body
    assert "Dit følgeskab med Karen Peer" in to_citizen.body


def test_no_notice_for_ended_accompaniments_or_ones_further_away(org_a, peer, haab):
    today = datetime.date(2026, 11, 2)
    ongoing(peer, ParticipantFactory(organisation=org_a), haab, ends_in_days=15, today=today)
    ongoing(peer, ParticipantFactory(organisation=org_a), haab, ends_in_days=-1, today=today)
    ongoing(
        peer,
        ParticipantFactory(organisation=org_a),
        haab,
        ends_in_days=5,
        today=today,
        ended_on=today - datetime.timedelta(days=3),
        end_reason=Accompaniment.EndReason.CITIZEN,
    )
    assert accompaniments_ending_notify(today=today) == 0
    assert not OutboxMessage.objects.exists()


def test_a_citizen_who_cannot_be_reached_gets_no_notice_but_the_peer_does(org_a, peer, haab):
    today = datetime.date(2026, 11, 2)
    no_sms = ParticipantFactory(organisation=org_a, email="", phone="+45 12345678")
    ongoing(peer, no_sms, haab, ends_in_days=3, today=today)
    accompaniments_ending_notify(today=today)
    assert list(OutboxMessage.objects.values_list("recipient_address", flat=True)) == [
        "karen@eksempel.dk"
    ]


def test_a_moved_planned_end_gets_a_fresh_notice(peer, citizen, haab):
    today = datetime.date(2026, 11, 2)
    accompaniment = ongoing(peer, citizen, haab, ends_in_days=10, today=today)
    accompaniments_ending_notify(today=today)
    accompaniment.planned_end_on += datetime.timedelta(days=2)
    accompaniment.save()
    accompaniments_ending_notify(today=today)
    assert OutboxMessage.objects.count() == 4


# Ud i Livet: contact requests and bridging.


def test_matching_a_contact_request_moves_it_to_matched(org_a, peer):
    request = ContactRequest.objects.create(
        organisation=org_a, first_name="Lone", phone="+45 12345678", wish="peer"
    )
    contact_request_match(contact_request=request, peer=peer)
    request.refresh_from_db()
    assert (request.status, request.matched_peer) == ("matched", peer)
    assert request.matched_at is not None


def test_a_contact_request_is_not_matched_with_a_peer_of_another_organisation(org_a, org_b):
    request = ContactRequest.objects.create(
        organisation=org_a, first_name="Lone", email="lone@eksempel.dk", wish="activity"
    )
    with pytest.raises(ValidationError):
        contact_request_match(contact_request=request, peer=accompanying_peer(org_b))
    request.refresh_from_db()
    assert request.status == "new"


def test_bridging_is_one_row_per_citizen_and_activity(org_a, peer, citizen):
    activity = AssociationActivityFactory(association__organisation=org_a)
    bridging_record(participant=citizen, activity=activity, peer=peer)
    bridging_record(participant=citizen, activity=activity, status=Bridging.Status.JOINED)
    bridging = Bridging.objects.get()
    assert (bridging.status, bridging.peer) == ("joined", None)


def test_bridging_refuses_a_citizen_of_another_organisation(org_b, citizen):
    activity = AssociationActivityFactory(association__organisation=org_b)
    with pytest.raises(ValidationError) as caught:
        bridging_record(participant=citizen, activity=activity)
    assert "anden organisation" in problems_of(caught.value, "participant")
    assert not Bridging.objects.exists()


# The admin.


@pytest.fixture
def admin_client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


def accompaniment_form(peer, citizen, program, **overrides):
    data = {
        "peer": peer.pk,
        "participant": citizen.pk,
        "program": program.pk,
        "starts_on": START.strftime("%d.%m.%Y"),
        "planned_end_on": "",
        "ended_on": "",
        "end_reason": "",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_the_admin_starts_an_accompaniment_with_the_default_end(
    admin_client_a, coordinator_a, peer, citizen, haab
):
    data = accompaniment_form(
        peer,
        citizen,
        haab,
        **{
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-date": "02.02.2026",
            "meetings-0-kind": "conversation",
            "meetings-0-note": "Kaffe på biblioteket",
        },
    )
    response = admin_client_a.post(reverse("admin:volunteers_accompaniment_add"), data)
    assert response.status_code == 302
    accompaniment = Accompaniment.objects.get()
    assert accompaniment.planned_end_on == LIMIT_END
    assert accompaniment.created_by == coordinator_a
    assert accompaniment.meetings.get().kind == "conversation"


def test_the_admin_refuses_a_planned_end_beyond_the_limit_and_saves_nothing(
    admin_client_a, peer, citizen, haab
):
    data = accompaniment_form(peer, citizen, haab, planned_end_on="16.07.2026")
    response = admin_client_a.post(reverse("admin:volunteers_accompaniment_add"), data)
    assert response.status_code == 200
    assert "den planlagte slutdato må senest være 15.07.2026" in response.content.decode()
    assert not Accompaniment.objects.exists()


def test_the_admin_refuses_a_meeting_outside_the_period_and_saves_nothing(
    admin_client_a, peer, citizen, haab
):
    data = accompaniment_form(
        peer,
        citizen,
        haab,
        **{
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-date": "01.01.2026",
            "meetings-0-kind": "other",
        },
    )
    response = admin_client_a.post(reverse("admin:volunteers_accompaniment_add"), data)
    assert response.status_code == 200
    assert "uden for følgeskabets periode" in response.content.decode()
    assert not Accompaniment.objects.exists()


def test_the_admin_asks_why_an_accompaniment_ended_early_and_saves_nothing(
    admin_client_a, peer, citizen, haab
):
    accompaniment = start(peer, citizen, haab)
    url = reverse("admin:volunteers_accompaniment_change", args=[accompaniment.pk])
    data = accompaniment_form(
        peer, citizen, haab, planned_end_on="15.07.2026", ended_on="01.03.2026"
    )
    response = admin_client_a.post(url, data)
    assert response.status_code == 200
    assert "vælg, hvorfor det stopper før tid" in response.content.decode()
    accompaniment.refresh_from_db()
    assert accompaniment.ended_on is None

    response = admin_client_a.post(url, {**data, "end_reason": "citizen"})
    assert response.status_code == 302
    accompaniment.refresh_from_db()
    assert (accompaniment.ended_on, accompaniment.end_reason) == (
        datetime.date(2026, 3, 1),
        "citizen",
    )


def test_the_admin_offers_only_the_organisations_peers(admin_client_a, org_b, citizen, haab):
    stranger = accompanying_peer(org_b)
    data = accompaniment_form(stranger, citizen, haab)
    response = admin_client_a.post(reverse("admin:volunteers_accompaniment_add"), data)
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Accompaniment.objects.exists()


def test_matching_in_the_admin_moves_the_request_to_matched(admin_client_a, org_a, peer):
    request = ContactRequest.objects.create(
        organisation=org_a, first_name="Lone", phone="+45 22345678", wish="peer"
    )
    url = reverse("admin:volunteers_contactrequest_change", args=[request.pk])
    data = {
        "organisation": org_a.pk,
        "first_name": "Lone",
        "phone": "+45 22345678",
        "email": "",
        "wish": "peer",
        "status": "new",
        "matched_peer": peer.pk,
    }
    assert admin_client_a.post(url, data).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.matched_peer) == ("matched", peer)


def test_the_admin_refuses_a_contact_request_nobody_can_answer(admin_client_a, org_a):
    data = {"organisation": org_a.pk, "first_name": "Lone", "wish": "peer", "status": "new"}
    response = admin_client_a.post(reverse("admin:volunteers_contactrequest_add"), data)
    assert response.status_code == 200
    assert "Angiv telefon eller e-mail" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_the_admin_refuses_bridging_a_citizen_of_another_organisation(
    admin_client_a, org_a, coordinator_a, org_b
):
    # A coordinator of both organisations could pick either; the rule keeps them apart.
    coordinator_a.memberships.create(organisation=org_b, role="coordinator")
    activity = AssociationActivityFactory(association__organisation=org_a)
    stranger = ParticipantFactory(organisation=org_b)
    data = {"participant": stranger.pk, "activity": activity.pk, "status": "contacted"}
    response = admin_client_a.post(reverse("admin:volunteers_bridging_add"), data)
    assert response.status_code == 200
    assert "Borgeren hører til en anden organisation end foreningen." in (response.content.decode())
    assert not Bridging.objects.exists()


def make_accompaniment(organisation, program):
    citizen = ParticipantFactory(organisation=organisation)
    return ongoing(accompanying_peer(organisation), citizen, program, ends_in_days=30, today=START)


def make_contact_request(organisation, program):
    return ContactRequest.objects.create(
        organisation=organisation, first_name="Lone", email="lone@eksempel.dk", wish="group"
    )


def make_association(organisation, program):
    return AssociationActivityFactory(association__organisation=organisation).association


def make_bridging(organisation, program):
    return Bridging.objects.create(
        participant=ParticipantFactory(organisation=organisation),
        activity=AssociationActivityFactory(association__organisation=organisation),
        peer=accompanying_peer(organisation),
    )


MAKERS = {
    "accompaniment": make_accompaniment,
    "contactrequest": make_contact_request,
    "association": make_association,
    "bridging": make_bridging,
}


@pytest.mark.parametrize("model", MAKERS)
def test_another_organisations_object_is_a_404(
    client_for, coordinator_a, coordinator_b, org_a, haab, model
):
    obj = MAKERS[model](org_a, haab)
    for view in ["change", "history", "delete"]:
        url = reverse(f"admin:volunteers_{model}_{view}", args=[obj.pk])
        assert client_for(coordinator_b).get(url).status_code == 404
        assert client_for(coordinator_a).get(url).status_code == 200
    changelist = client_for(coordinator_b).get(reverse(f"admin:volunteers_{model}_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == []


@pytest.mark.parametrize("model", MAKERS)
def test_the_changelists_keep_a_constant_number_of_queries(
    admin_client_a, org_a, haab, model, django_assert_max_num_queries
):
    url = reverse(f"admin:volunteers_{model}_changelist")
    MAKERS[model](org_a, haab)
    admin_client_a.get(url)  # warm caches (content types, sessions) before counting
    with django_assert_max_num_queries(14):  # 4 for the OTP device and the session
        assert admin_client_a.get(url).context["cl"].result_count == 1
    for _ in range(15):
        MAKERS[model](org_a, haab)
    with django_assert_max_num_queries(14):
        assert admin_client_a.get(url).context["cl"].result_count == 16


def test_the_change_page_shows_the_citizens_name(admin_client_a, peer, citizen, haab):
    accompaniment = start(peer, citizen, haab)
    html = admin_client_a.get(
        reverse("admin:volunteers_accompaniment_change", args=[accompaniment.pk])
    ).content.decode()
    assert f"Jens Borger (#{citizen.pk})" in html


def test_the_ending_soon_filter_lists_what_the_notice_is_about(admin_client_a, org_a, peer, haab):
    today = timezone.localdate()
    soon = ongoing(peer, ParticipantFactory(organisation=org_a), haab, ends_in_days=5, today=today)
    ongoing(peer, ParticipantFactory(organisation=org_a), haab, ends_in_days=40, today=today)
    response = admin_client_a.get(
        reverse("admin:volunteers_accompaniment_changelist"), {"state": "ending_soon"}
    )
    assert list(response.context["cl"].result_list) == [soon]


# Offering accompaniment is the programme's own flag; the limit is optional programme data.


def test_a_programme_with_a_limit_but_not_offering_accompaniment_is_refused(peer, citizen, org_a):
    stale = ProgramFactory(organisation=org_a, accompaniment_limit_months=6)
    with pytest.raises(ValidationError) as caught:
        start(peer, citizen, stale)
    assert "tilbyder ikke følgeskab" in problems_of(caught.value, "program")
    assert not Accompaniment.objects.exists()


def test_a_programme_offering_accompaniment_without_a_limit_sets_no_cap(peer, citizen, org_a):
    vejen = ProgramFactory(
        organisation=org_a, name="Vejen til Hverdagslivet", offers_accompaniment=True
    )
    long_after = datetime.date(2028, 1, 15)
    accompaniment = start(peer, citizen, vejen, planned_end_on=long_after)
    assert accompaniment.planned_end_on == long_after


def test_without_a_limit_the_planned_end_must_be_agreed(peer, citizen, org_a):
    vejen = ProgramFactory(organisation=org_a, offers_accompaniment=True)
    with pytest.raises(ValidationError) as caught:
        start(peer, citizen, vejen)
    assert "ingen fast grænse" in problems_of(caught.value, "planned_end_on")
    assert not Accompaniment.objects.exists()


def test_a_programme_that_stops_offering_accompaniment_can_still_end_a_running_one(
    peer, citizen, haab
):
    accompaniment = start(peer, citizen, haab)
    haab.offers_accompaniment = False
    haab.accompaniment_limit_months = None
    haab.save()
    ended = accompaniment_end(accompaniment=accompaniment, ended_on=LIMIT_END, today=AFTER_LIMIT)
    assert ended.ended_on == LIMIT_END


def test_the_limit_has_no_hard_coded_maximum_and_needs_the_flag(org_a):
    year_long = ProgramFactory.build(
        organisation=org_a, offers_accompaniment=True, accompaniment_limit_months=12
    )
    year_long.full_clean()
    without_flag = ProgramFactory.build(organisation=org_a, accompaniment_limit_months=12)
    with pytest.raises(ValidationError) as caught:
        without_flag.full_clean()
    assert "tilbyder følgeskab" in problems_of(caught.value, "accompaniment_limit_months")


def test_the_limit_help_text_names_no_statute():
    field = Program._meta.get_field("accompaniment_limit_months")
    assert "§" not in str(field.help_text)
    # Only the database's own range caps it.
    assert max(getattr(v, "limit_value", 0) for v in field.validators) > 1000


def test_the_planned_end_help_text_names_no_fixed_limit():
    """One programme's six months is data, not the rule for every accompaniment."""
    help_text = str(Accompaniment._meta.get_field("planned_end_on").help_text)
    assert "seks" not in help_text and "måneder" not in help_text
    assert "Har programmet en grænse" in help_text and "Uden grænse" in help_text


def test_the_course_page_marks_a_limit_the_organisation_gave_as_an_example(client, org_a):
    program = ProgramFactory(
        organisation=org_a,
        offers_accompaniment=True,
        accompaniment_limit_months=3,
        accompaniment_limit_is_example=True,
    )
    course = CourseFactory(program=program)
    html = client.get(reverse("participants:course", args=[course.pk])).content.decode()
    assert "i op til 3 måneder" in html and "Eksempel" in html


def test_the_course_page_offers_accompaniment_without_a_limit(client, org_a, haab):
    haab.accompaniment_limit_months = None
    haab.save()
    course = CourseFactory(program=haab)
    html = client.get(reverse("participants:course", args=[course.pk])).content.decode()
    assert "Du kan også få en frivillig med dig til aftaler og aktiviteter." in html
    assert "Eksempel" not in html


def test_the_programme_list_shows_an_example_limit(admin_client_a, org_a):
    ProgramFactory(
        organisation=org_a,
        offers_accompaniment=True,
        accompaniment_limit_months=4,
        accompaniment_limit_is_example=True,
    )
    html = admin_client_a.get(reverse("admin:groups_program_changelist")).content.decode()
    assert "højst 4 mdr. (Eksempel)" in html


def test_where_an_accompaniment_is_recorded_it_says_peers_are_not_bisiddere_or_a_party(
    admin_client_a, peer, citizen, haab, client_for
):
    accompaniment = start(peer, citizen, haab)
    for url in [
        reverse("admin:volunteers_accompaniment_add"),
        reverse("admin:volunteers_accompaniment_change", args=[accompaniment.pk]),
    ]:
        html = admin_client_a.get(url).content.decode()
        assert "hverken bisiddere eller part i borgerens sag" in html
    peer.user = UserFactory()
    peer.save()
    portal = client_for(peer.user).get(reverse("volunteers:schedule")).content.decode()
    assert "hverken bisiddere eller part i borgerens sag" in portal
