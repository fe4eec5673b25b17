"""Ud i Livet: contact requests matched with peers, and bridging into associations
(brobygning): rules and services.

- a matched contact request names a peer of its organisation who may meet citizens one to one;
- the citizen, the activity and any accompanying peer belong to one organisation, and the peer
  may give accompaniment.

As in volunteers/accompaniment.py, each rule function returns every problem, in plain Danish,
keyed by the form field it is about; an empty dict means the change is fine.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from peerprogram.models import Organisation
from volunteers.accompaniment import Problems, _found, _problems, _raise
from volunteers.models import AssociationActivity, Bridging, ContactRequest, Peer
from volunteers.qualification import peer_problems


def contact_request_problems(
    *, organisation: Organisation, peer: Peer | None, status: str, check_peer: bool = True
) -> Problems:
    """A matched request names a peer of its organisation who may meet citizens."""
    problems = _problems()
    if peer is not None and check_peer:
        problems["matched_peer"] += peer_problems(peer, organisation, accompanying=False)
    elif status == ContactRequest.Status.MATCHED:
        problems["matched_peer"].append(_("Vælg en peer, før forespørgslen kan stå som matchet."))
    return _found(problems)


@transaction.atomic
def contact_request_match(*, contact_request: ContactRequest, peer: Peer) -> ContactRequest:
    """Match a citizen's request with a peer: a new request is then "matched" (a closed one
    stays closed)."""
    _raise(
        contact_request_problems(
            organisation=contact_request.organisation,
            peer=peer,
            status=ContactRequest.Status.MATCHED,
        )
    )
    contact_request.matched_peer = peer
    if contact_request.status == ContactRequest.Status.NEW:
        contact_request.status = ContactRequest.Status.MATCHED
    contact_request.matched_at = timezone.now()
    contact_request.save()
    return contact_request


@transaction.atomic
def contact_request_record(
    *, contact_request: ContactRequest, check_peer: bool = True
) -> ContactRequest:
    """Save a contact request a coordinator took or corrected (a call, a changed status),
    under the same rule as matching; the peer is checked again only when it changed."""
    _raise(
        contact_request_problems(
            organisation=contact_request.organisation,
            peer=contact_request.matched_peer,
            status=contact_request.status,
            check_peer=check_peer,
        )
    )
    contact_request.save()
    return contact_request


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
