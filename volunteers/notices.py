"""What coordinators and facilitators are told about the facilitator side of a course."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from groups.models import Course, Session
from peerprogram.models import Organisation
from peerprogram.outbox.kinds import send_all
from volunteers.message_kinds import (
    CertificateDue,
    CourseUnderstaffed,
    DeclarationNew,
    FacilitatorAssigned,
    FacilitatorUnassigned,
    PeerInvitation,
)
from volunteers.models import Declaration, Peer
from volunteers.selectors import certificates_running_out, courses_understaffed

CERTIFICATE_WARNING_DAYS = 30


@transaction.atomic
def peer_invite(*, peer: Peer) -> None:
    """Give a facilitator a log-in and send the link to choose a password (made at delivery)."""
    User = get_user_model()
    if peer.user is None:
        base = (peer.email or peer.name).split("@")[0].lower().replace(" ", ".")[:140]
        username, suffix = base, 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}{suffix}"
        user = User.objects.create(username=username, email=peer.email, first_name=peer.name)
        user.set_unusable_password()
        user.save()
        peer.user = user
        peer.save(update_fields=["user"])
    PeerInvitation(peer=peer).send()


def declaration_published(*, declaration: Declaration) -> int:
    """Ask every working facilitator of the organisation to sign the new version."""
    return DeclarationNew(declaration=declaration).send()


def certificates_due_notify(*, today: datetime.date | None = None) -> int:
    """Coordinators hear once when a facilitator's børneattest runs out within 30 days or
    before the last session of a course it is needed for (`certificates_running_out`)."""
    today = today or timezone.localdate()
    return send_all(
        CertificateDue(row=row)
        for row in certificates_running_out(
            organisation_ids=Organisation.objects.values_list("pk", flat=True),
            today=today,
            within_days=CERTIFICATE_WARNING_DAYS,
        )
    )


def understaffed_courses_notify(*, now: datetime.datetime | None = None) -> int:
    """Coordinators hear once when a course with a session within the warning window lacks a
    kind of facilitator (`courses_understaffed`, the rule the work queue shows too), told
    which kind."""
    now = now or timezone.now()
    return send_all(
        CourseUnderstaffed(row=row)
        for row in courses_understaffed(
            organisation_ids=Organisation.objects.values_list("pk", flat=True), now=now
        )
    )


def facilitator_assigned_notify(
    *, course: Course, peer: Peer, substitute_for: Session | None = None
) -> int:
    """Tell a facilitator they are on `course`: where, and the first session ahead (or, for a
    substitute, the session they stand in for and are on the course from). Returns how many
    messages were queued (none when no channel reaches them)."""
    return FacilitatorAssigned(course=course, peer=peer, substitute_for=substitute_for).send()


def facilitator_unassigned_notify(*, course: Course, peer: Peer) -> int:
    """Tell a facilitator they are no longer on `course`. Returns how many messages were
    queued (none when no channel reaches them)."""
    return FacilitatorUnassigned(course=course, peer=peer).send()


def peer_reachable(peer: Peer) -> bool:
    """Whether a message to the facilitator goes anywhere (peerprogram.outbox: e-mail, or SMS
    for those who asked for it), so a page never says they were told when nobody was."""
    return bool(peer.email or (peer.phone and peer.sms_opt_in))
