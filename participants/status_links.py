"""Personal status links: every message about a registration carries its own link, and all
of them work until the registration ends (RegistrationQuerySet.not_ended) or the person asks
for a new one. Only the hashes are kept (StatusLink); retention and erasure delete them with
the registration's personal data (participants.privacy).

"Send me a new link" takes an e-mail address or a mobile number from anyone, so it answers
the same whether or not the contact is known, and only a known one changes anything: its
old links stop working and a new one is sent where that registration's messages go.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import salted_hmac

from participants.message_kinds import StatusLinkSent
from participants.models import Registration, StatusLink
from participants.services import registration_family
from peerprogram.models import OutboxMessage
from peerprogram.outbox.kinds import send_all
from peerprogram.public_forms import within_hourly_limit
from peerprogram.tokens import new_token, token_hash


def registration_status_url(message: OutboxMessage) -> str:
    """Secret provider: a fresh personal status link for this message, beside the links of
    the earlier messages; only its hash is kept."""
    if message.related_id is None:
        raise ValueError("A status link belongs to a message about a registration.")
    token = new_token()
    StatusLink.objects.create(registration_id=message.related_id, token_hash=token_hash(token))
    return settings.SITE_URL + reverse("participants:status", kwargs={"token": token})


class StatusLinkState:
    """What a status link leads to (`status_link_state`)."""

    UNKNOWN = "unknown"  # no such link: mistyped, replaced by a new one, or deleted
    ENDED = "ended"  # the registration has ended (withdrawn, declined, course finished)
    OPEN = "open"  # shows the registration


def status_link_state(
    *, token: str, now: datetime.datetime | None = None
) -> tuple[str, Registration | None]:
    """The registration a link belongs to, and whether it still shows it."""
    link = (
        StatusLink.objects.select_related(
            "registration__course__program__organisation", "registration__participant"
        )
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    if link is None:
        return StatusLinkState.UNKNOWN, None
    registration = link.registration
    if not Registration.objects.filter(pk=registration.pk).not_ended(now=now).exists():
        return StatusLinkState.ENDED, registration
    return StatusLinkState.OPEN, registration


def status_links_renew(
    *, email: str = "", phone: str = "", now: datetime.datetime | None = None
) -> int:
    """A new link for every registration, not ended, made with this e-mail address or (E.164)
    mobile number, as the person's or their custody holder's contact. Each registration's
    old links stop working, and its new link goes where its messages go (for a family, the
    one message about both). Returns how many registrations got a new link; the caller
    must not tell the asker (the same answer whether or not the contact is known)."""
    contact = Q(pk__in=[])
    if email:
        contact |= Q(participant__email__iexact=email) | Q(guardian_email__iexact=email)
    if phone:
        contact |= Q(participant__phone=phone) | Q(guardian_phone=phone)
    matches = Registration.objects.filter(contact).not_ended(now=now)
    leads = sorted({lead or pk for lead, pk in matches.values_list("registered_with", "pk")})
    with transaction.atomic():
        drafts = []
        for lead in leads:
            family = registration_family(Registration.objects.get(pk=lead))
            StatusLink.objects.filter(registration=family[0]).delete()
            drafts.append(StatusLinkSent(family=family))
        send_all(drafts)
    return len(drafts)


def status_link_contact_allowed(*, contact: str) -> bool:
    """Count one new-link request for `contact`, known or not; False once it was asked for
    too often within the hour, so nobody can flood someone's inbox or phone. The contact is
    counted by a keyed hash, never as typed."""
    digest = salted_hmac("participants.status-link-contact", contact.lower()).hexdigest()
    return within_hourly_limit(
        f"status-link:contact:{digest}", settings.STATUS_LINK_LIMIT_PER_CONTACT_HOUR
    )
