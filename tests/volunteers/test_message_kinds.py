"""Who gets the volunteers app's messages, on which channel and in which language: a notice
to coordinators goes to the organisation's coordinators only, by e-mail, once; a message to a
facilitator goes by SMS only when they asked for SMS; a citizen hears in the language of their
form; and a facilitator is told when, where and whom to call."""

import dataclasses
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from peerprogram.models import OutboxMessage
from peerprogram.outbox.lock_screen import (
    SMS_MAX_SEGMENTS,
    non_gsm7_characters,
    revealing_words,
    sms_segments,
)
from peerprogram.outbox.services import message_deliver, messages_preview
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    ParticipantFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.message_examples.volunteers import accompaniment
from tests.volunteers.factories import (
    ChildCertificateFactory,
    CourseFacilitatorFactory,
    DeclarationFactory,
    PeerFactory,
)
from volunteers import bridging, notices, portal
from volunteers.accompaniment import accompaniments_ending_notify
from volunteers.models import Accompaniment, SessionResponse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


# --- Notices to coordinators --------------------------------------------------------------------
# Each case makes the thing the notice is about in `org` the way the product does, and returns
# the dedupe key expected for `coordinator` (None: the kind has none), kept as it was.


def declined(org, coordinator):
    course = CourseFactory(program=ProgramFactory(organisation=org))
    session = SessionFactory(course=course, starts_at=in_days(10))
    peer = CourseFacilitatorFactory(course=course, peer__email="afbud@eksempel.dk").peer
    portal.session_answer(peer=peer, session=session, answer=SessionResponse.Answer.DECLINED)
    return None


def certificate_due(org, coordinator):
    peer = PeerFactory(organisation=org, email="attest@eksempel.dk")
    certificate = ChildCertificateFactory(peer=peer, renew_by=TODAY + datetime.timedelta(10))
    notices.certificates_due_notify()
    return f"certificate_due:{certificate.pk}:{certificate.renew_by}:user:{coordinator.pk}:email"


def understaffed(org, coordinator):
    program = ProgramFactory(organisation=org, required_peers=1, required_professionals=1)
    course = CourseFactory(program=program, status="open")
    session = SessionFactory(course=course, number=1, starts_at=in_days(3))
    CourseFacilitatorFactory(course=course, peer__email="alene@eksempel.dk")
    notices.understaffed_courses_notify()
    starts = session.starts_at
    return f"course_understaffed:{course.pk}:{starts:%Y%m%d}:user:{coordinator.pk}:email"


def contact_request(org, coordinator):
    request = bridging.contact_request_submit(
        organisation=org, first_name="Lone", phone="", email="lone@eksempel.dk", wish="peer"
    )
    return f"contact_request_new:{request.pk}:user:{coordinator.pk}:email"


def application(org, coordinator):
    peer = bridging.peer_application_submit(
        organisation=org,
        name="Per Frivillig",
        phone="+4520304050",
        email="per@eksempel.dk",
        lived_experience="",
        availability="",
        health_data_consent=True,
    )
    return f"peer_application_new:{peer.pk}:user:{coordinator.pk}:email"


COORDINATOR_NOTICES = {
    "session_declined": declined,
    "certificate_due": certificate_due,
    "course_understaffed": understaffed,
    "contact_request_new": contact_request,
    "peer_application_new": application,
}


@pytest.mark.parametrize("kind", sorted(COORDINATOR_NOTICES))
def test_a_notice_goes_by_email_to_the_organisations_coordinators_only(
    kind, org_a, org_b, coordinator_a, coordinator_b
):
    coordinator_a.email = "koordinator@lejre.eksempel.dk"
    coordinator_a.save()
    coordinator_b.email = "koordinator@roskilde.eksempel.dk"
    coordinator_b.save()
    CoordinatorFactory(email="kollega@lejre.eksempel.dk", organisations=[org_a])

    key = COORDINATOR_NOTICES[kind](org_a, coordinator_a)

    told = OutboxMessage.objects.filter(kind=kind)
    assert sorted(told.values_list("recipient_address", "channel")) == [
        ("kollega@lejre.eksempel.dk", "email"),
        ("koordinator@lejre.eksempel.dk", "email"),
    ]
    assert {message.organisation for message in told} == {org_a}
    assert told.get(recipient_address=coordinator_a.email).dedupe_key == key


# --- Messages to facilitators -------------------------------------------------------------------


def assigned(peer):
    notices.facilitator_assigned_notify(
        course=CourseFactory(program=ProgramFactory(organisation=peer.organisation)), peer=peer
    )


def unassigned(peer):
    notices.facilitator_unassigned_notify(
        course=CourseFactory(program=ProgramFactory(organisation=peer.organisation)), peer=peer
    )


def invited(peer):
    notices.peer_invite(peer=peer)


def declaration(peer):
    notices.declaration_published(declaration=DeclarationFactory(organisation=peer.organisation))


def accompaniment_ending(peer):
    organisation = peer.organisation
    Accompaniment.objects.create(
        peer=peer,
        participant=ParticipantFactory(organisation=organisation),
        program=ProgramFactory(organisation=organisation, offers_accompaniment=True),
        starts_on=TODAY - datetime.timedelta(days=150),
        planned_end_on=TODAY + datetime.timedelta(days=5),
    )
    accompaniments_ending_notify()


PEER_MESSAGES = {
    "facilitator_assigned": assigned,
    "facilitator_unassigned": unassigned,
    "peer_invitation": invited,
    "declaration_new": declaration,
    "accompaniment_ending": accompaniment_ending,
}


@pytest.mark.parametrize("kind", sorted(PEER_MESSAGES))
@pytest.mark.parametrize(
    ("email", "sms_opt_in", "channels"),
    [
        pytest.param("karen@eksempel.dk", False, ["email"], id="e-mail-no-sms-tick"),
        pytest.param("karen@eksempel.dk", True, ["email", "sms"], id="e-mail-and-sms-tick"),
        pytest.param("", True, ["sms"], id="phone-and-sms-tick"),
        pytest.param("", False, [], id="phone-without-sms-tick"),
    ],
)
def test_a_facilitator_gets_an_sms_only_when_they_asked_for_sms(
    kind, email, sms_opt_in, channels, org_a
):
    peer = PeerFactory(
        organisation=org_a,
        name="Karen Peer",
        email=email,
        phone="+4520304050",
        sms_opt_in=sms_opt_in,
    )
    PEER_MESSAGES[kind](peer)
    told = OutboxMessage.objects.filter(kind=kind, recipient_name="Karen Peer")
    assert sorted(told.values_list("channel", flat=True)) == channels


def test_a_facilitator_is_told_when_where_and_whom_to_call(
    org_a, django_capture_on_commit_callbacks
):
    org_a.contact_name = "Mette Koordinator"
    org_a.contact_phone = "+4520304050"
    org_a.save()
    course = CourseFactory(program=ProgramFactory(organisation=org_a), title="Forår")
    SessionFactory(
        course=course,
        number=1,
        starts_at=datetime.datetime(2031, 3, 11, 17, 30, tzinfo=datetime.UTC),
        place="Medborgerhuset, lokale 2",
    )
    peer = PeerFactory(organisation=org_a, email="karen@eksempel.dk")
    with django_capture_on_commit_callbacks(execute=True):
        notices.facilitator_assigned_notify(course=course, peer=peer)
    [email] = mail.outbox
    assert email.subject == "Du er sat på et nyt forløb fra tirsdag den 11. marts"
    assert "Første gang: gang 1, tirsdag den 11. marts kl. 18.30" in email.body
    assert "Sted: Medborgerhuset, lokale 2" in email.body
    assert "Mette Koordinator på 20 30 40 50" in email.body


# --- The citizen told that an accompaniment ends ------------------------------------------------


def _ending_for(citizen, peer, program):
    return Accompaniment.objects.create(
        peer=peer,
        participant=citizen,
        program=program,
        starts_on=TODAY - datetime.timedelta(days=150),
        planned_end_on=TODAY + datetime.timedelta(days=5),
    )


@pytest.mark.parametrize(("form_language", "language"), [("en", "en"), ("da", "da"), (None, "da")])
def test_a_citizen_hears_that_an_accompaniment_ends_in_the_language_of_their_form(
    org_a, form_language, language
):
    program = ProgramFactory(organisation=org_a, offers_accompaniment=True)
    citizen = ParticipantFactory(organisation=org_a, email="jens@eksempel.dk")
    if form_language:
        RegistrationFactory(
            participant=citizen,
            course=CourseFactory(program=program),
            language=form_language,
        )
    _ending_for(citizen, PeerFactory(organisation=org_a), program)
    accompaniments_ending_notify()
    told = OutboxMessage.objects.get(recipient_address="jens@eksempel.dk")
    assert told.language == language


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_citizens_ending_notice_is_neutral_on_a_lock_screen_and_names_the_contact(language):
    instance = accompaniment(for_peer=False)
    drafts = instance.drafts()
    assert [draft.recipient.key for draft in drafts] == [
        f"participant:{instance.accompaniment.participant.pk}"
    ]
    for draft in drafts:
        draft.recipient = dataclasses.replace(draft.recipient, language=language)
    previews = messages_preview(drafts=drafts)
    assert sorted(preview.channel for preview in previews) == ["email", "sms"]
    program = instance.accompaniment.program.name
    for preview in previews:
        visible = preview.body if preview.channel == "sms" else preview.subject
        assert not revealing_words(visible) and program not in visible, visible
        if preview.channel == "sms":
            assert not non_gsm7_characters(preview.body)
            assert sms_segments(preview.body) <= SMS_MAX_SEGMENTS
        else:
            assert "Mette Kristine Andersen-Holm" in preview.body
            assert "20 30 40 50" in preview.body


def test_the_ending_notice_is_delivered_to_the_citizen_in_english(
    org_a, django_capture_on_commit_callbacks
):
    program = ProgramFactory(organisation=org_a, offers_accompaniment=True)
    citizen = ParticipantFactory(organisation=org_a, name="Jens Hansen", email="jens@eksempel.dk")
    RegistrationFactory(participant=citizen, course=CourseFactory(program=program), language="en")
    _ending_for(citizen, PeerFactory(organisation=org_a, name="Karen Peer"), program)
    accompaniments_ending_notify()
    told = OutboxMessage.objects.get(recipient_address="jens@eksempel.dk")
    assert message_deliver(message_id=told.pk).sent
    [email] = [email for email in mail.outbox if email.to == ["jens@eksempel.dk"]]
    assert email.subject.startswith("The accompaniment ends on ")
    assert "Your accompaniment with Karen Peer" in email.body
