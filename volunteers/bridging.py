"""Ud i Livet's way in: contact requests matched with peers, applications to become a
volunteer peer, and bridging into associations (brobygning): rules and services.

- a citizen's request from the public "Kontakt en peer" form creates a new request and
  nothing else (it never changes a stored person); coordinators are told by e-mail;
- a matched contact request names a peer of its organisation who may meet citizens one to one,
  and, for a citizen who wants a group of peers, the others in the group under the same rule;
- a request bridged into an association's activity names an activity of its organisation;
- an application from the public "Bliv frivillig peer" form creates a new peer with status
  applicant and a record of the applicant's explicit consent (GDPR art. 9(2)(a)) to the
  processing of what they wrote about their own experience; coordinators are told by e-mail;
- the citizen, the activity and any accompanying peer belong to one organisation, and the peer
  may give accompaniment.

As in volunteers/accompaniment.py, each rule function returns every problem, in plain Danish,
keyed by the form field it is about; an empty dict means the change is fine.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from peerprogram.models import Organisation
from volunteers.accompaniment import Problems, _found, _problems, _raise
from volunteers.message_kinds import ContactRequestNew, PeerApplicationNew
from volunteers.models import (
    AssociationActivity,
    Bridging,
    ContactRequest,
    Peer,
    PeerApplication,
)
from volunteers.qualification import peer_problems

# The privacy notice shown with the "Bliv frivillig peer" form; a new text gets a new version.
APPLICATION_PRIVACY_NOTICE_VERSION = "2026-11"


def contact_request_problems(
    *,
    organisation: Organisation,
    peer: Peer | None,
    status: str,
    check_peer: bool = True,
    other_peers: Sequence[Peer] = (),
    activity: AssociationActivity | None = None,
    bridging_status: str = "",
) -> Problems:
    """A matched request names a peer of its organisation who may meet citizens, and so do
    the other peers of a group; a request bridged into an activity names one of its
    organisation's activities and how far the citizen has come."""
    problems = _problems()
    if peer is not None and check_peer:
        problems["matched_peer"] += peer_problems(peer, organisation, accompanying=False)
    elif peer is None and status == ContactRequest.Status.MATCHED:
        problems["matched_peer"].append(_("Vælg en peer, før forespørgslen kan stå som matchet."))
    if other_peers and peer is None:
        problems["other_peers"].append(
            _("Vælg først den peer, der tager kontakten; de øvrige i gruppen kommer med.")
        )
    if check_peer:
        for other in other_peers:
            if peer is not None and other.pk == peer.pk:
                continue
            problems["other_peers"] += peer_problems(other, organisation, accompanying=False)
    if activity is not None:
        if activity.association.organisation_id != organisation.pk:
            problems["bridged_activity"].append(
                _("Aktiviteten hører til en anden organisations forening.")
            )
        if not bridging_status:
            problems["bridging_status"].append(_("Angiv, hvor langt borgeren er kommet."))
    elif bridging_status:
        problems["bridged_activity"].append(_("Vælg den aktivitet, borgeren er på vej ind i."))
    return _found(problems)


@transaction.atomic
def contact_request_match(
    *, contact_request: ContactRequest, peer: Peer, other_peers: Sequence[Peer] = ()
) -> ContactRequest:
    """Match a citizen's request with a peer, or with a group of peers (`peer` takes the
    contact, `other_peers` are the rest of the group): a new request is then "matched" (a
    closed one stays closed)."""
    others = [other for other in other_peers if other.pk != peer.pk]
    _raise(
        contact_request_problems(
            organisation=contact_request.organisation,
            peer=peer,
            status=ContactRequest.Status.MATCHED,
            other_peers=others,
            activity=contact_request.bridged_activity,
            bridging_status=contact_request.bridging_status,
        )
    )
    contact_request.matched_peer = peer
    if contact_request.status == ContactRequest.Status.NEW:
        contact_request.status = ContactRequest.Status.MATCHED
    contact_request.matched_at = timezone.now()
    contact_request.save()
    contact_request.other_peers.set(others)
    return contact_request


@transaction.atomic
def contact_request_record(
    *, contact_request: ContactRequest, check_peer: bool = True
) -> ContactRequest:
    """Save a contact request a coordinator took or corrected (a call, a changed status, the
    activity it was bridged into), under the same rules as matching; the peers are checked
    again only when they changed (a change of peers goes through `contact_request_match`)."""
    _raise(
        contact_request_problems(
            organisation=contact_request.organisation,
            peer=contact_request.matched_peer,
            status=contact_request.status,
            check_peer=check_peer,
            other_peers=list(contact_request.other_peers.all()) if contact_request.pk else [],
            activity=contact_request.bridged_activity,
            bridging_status=contact_request.bridging_status,
        )
    )
    contact_request.save()
    return contact_request


def _reachable(*, phone: str, email: str) -> None:
    if not (phone or email):
        raise ValidationError(
            {"phone": [_("Skriv en e-mail eller et telefonnummer, så vi kan nå dig.")]}
        )


@transaction.atomic
def contact_request_submit(
    *, organisation: Organisation, first_name: str, phone: str, email: str, wish: str
) -> ContactRequest:
    """A citizen's request from the public form: a new request, nothing else (input from
    someone not signed in never changes a stored person). Coordinators are told by e-mail,
    without the citizen's name or contact details."""
    _reachable(phone=phone, email=email)
    contact_request = ContactRequest(
        organisation=organisation, first_name=first_name, phone=phone, email=email, wish=wish
    )
    contact_request.full_clean()
    contact_request.save()
    ContactRequestNew(contact_request=contact_request).send()
    return contact_request


@transaction.atomic
def peer_application_submit(
    *,
    organisation: Organisation,
    name: str,
    phone: str,
    email: str,
    lived_experience: str,
    availability: str,
    health_data_consent: bool,
) -> Peer:
    """An application from the public "Bliv frivillig peer" form: a new peer with status
    applicant, never a change to a stored one, and the record of the applicant's explicit
    consent to the processing of what they wrote about their own experience (health data,
    GDPR art. 9(2)(a)), without which nothing is stored. Coordinators are told by e-mail,
    without the applicant's name or what they wrote."""
    _reachable(phone=phone, email=email)
    if not health_data_consent:
        raise ValidationError(
            {
                "health_data_consent": [
                    _("Vi kan kun modtage ansøgningen, hvis du giver dit samtykke.")
                ]
            }
        )
    peer = Peer(
        organisation=organisation,
        kind=Peer.Kind.PEER,
        status=Peer.Status.APPLICANT,
        name=name,
        phone=phone,
        email=email,
        lived_experience=lived_experience,
        availability=availability,
    )
    peer.full_clean()
    peer.save()
    now = timezone.now()
    PeerApplication.objects.create(
        peer=peer,
        applied_at=now,
        health_data_consent_at=now,
        privacy_notice_version=APPLICATION_PRIVACY_NOTICE_VERSION,
    )
    PeerApplicationNew(peer=peer).send()
    return peer


def bridging_problems(
    *,
    participant: Participant | None,
    activity: AssociationActivity | None,
    peer: Peer | None,
    check_peer: bool = True,
) -> Problems:
    """The citizen, the activity and any accompanying peer belong to one organisation."""
    problems = _problems()
    if activity is None:
        return {}
    organisation = activity.association.organisation
    if participant is not None and participant.organisation_id != organisation.pk:
        problems["participant"].append(
            _("Borgeren hører til en anden organisation end foreningen.")
        )
    if peer is not None and check_peer:
        problems["peer"] += peer_problems(peer, organisation, accompanying=True)
    return _found(problems)


@transaction.atomic
def bridging_record(
    *,
    participant: Participant,
    activity: AssociationActivity,
    status: str = Bridging.Status.CONTACTED,
    peer: Peer | None = None,
) -> Bridging:
    """Record how far a citizen has come into an activity (one row per citizen × activity)."""
    _raise(bridging_problems(participant=participant, activity=activity, peer=peer))
    bridging, _created = Bridging.objects.update_or_create(
        participant=participant, activity=activity, defaults={"status": status, "peer": peer}
    )
    return bridging


@transaction.atomic
def bridging_update(
    *,
    bridging: Bridging,
    participant: Participant,
    activity: AssociationActivity,
    status: str,
    peer: Peer | None = None,
) -> Bridging:
    """Correct a recorded bridging (citizen, activity, status, peer); the peer is checked again
    only when the peer or the activity changes."""
    bridging = Bridging.objects.select_for_update().get(pk=bridging.pk)
    _raise(
        bridging_problems(
            participant=participant,
            activity=activity,
            peer=peer,
            check_peer=(getattr(peer, "pk", None), activity.pk)
            != (bridging.peer_id, bridging.activity_id),
        )
    )
    bridging.participant, bridging.activity = participant, activity
    bridging.status, bridging.peer = status, peer
    bridging.validate_constraints()
    bridging.save()
    return bridging
