"""What coordinators and facilitators are told about the facilitator side of a course."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from groups.models import Course, Session
from peerprogram.outbox.services import (
    MessageDraft,
    Recipient,
    coordinator_recipients,
    messages_create,
    notify,
)
from volunteers.models import ChildCertificate, Declaration, Peer
from volunteers.qualification import certificate_valid_until

CERTIFICATE_WARNING_DAYS = 30
UNDERSTAFFED_WARNING_DAYS = 7
WORKING = [Peer.Status.TRAINED, Peer.Status.ACTIVE]


def peer_recipient(peer: Peer) -> Recipient:
    return Recipient(
        key=f"peer:{peer.pk}",
        name=peer.name,
        email=peer.email,
        phone=peer.phone,
        sms_opt_in=peer.sms_opt_in,
    )


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
    notify(
        kind="peer_invitation",
        recipient=peer_recipient(peer),
        template="notifications/peer_invitation",
        context={"organisation": peer.organisation.name, "username": peer.user.get_username()},
        organisation=peer.organisation,
        related=peer.user,
        secret_provider="password_reset",  # noqa: S106 - a provider name
    )


def declaration_published(*, declaration: Declaration) -> int:
    """Ask every working facilitator of the organisation to sign the new version."""
    peers = Peer.objects.filter(organisation=declaration.organisation, status__in=WORKING)
    drafts = [
        MessageDraft(
            kind="declaration_new",
            recipient=peer_recipient(peer),
            template="notifications/declaration_new",
            context={"organisation": declaration.organisation.name, "version": declaration.version},
            organisation=declaration.organisation,
            related=declaration,
            dedupe_key=f"declaration_new:{declaration.pk}:peer:{peer.pk}",
        )
        for peer in peers
    ]
    return len(messages_create(drafts=drafts))


def certificates_due_notify(*, today: datetime.date | None = None) -> int:
    """Coordinators hear once when a facilitator's børneattest runs out within 30 days."""
    today = today or timezone.localdate()
    drafts = []
    certificates = ChildCertificate.objects.filter(
        outcome=ChildCertificate.Outcome.APPROVED, peer__status__in=WORKING
    ).select_related("peer__organisation")
    for certificate in certificates:
        until = certificate_valid_until(certificate)
        if not today <= until <= today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS):
            continue
        organisation = certificate.peer.organisation
        for recipient in coordinator_recipients(organisation):
            drafts.append(
                MessageDraft(
                    kind="certificate_due",
                    recipient=recipient,
                    template="notifications/certificate_due",
                    context={"peer": certificate.peer.name, "until": until.strftime("%d.%m.%Y")},
                    organisation=organisation,
                    related=certificate.peer,
                    dedupe_key=f"certificate_due:{certificate.pk}:{until}:{recipient.key}",
                )
            )
    return len(messages_create(drafts=drafts))


def understaffed_courses_notify(*, now: datetime.datetime | None = None) -> int:
    """Coordinators hear once when a course starting within 7 days lacks facilitators."""
    now = now or timezone.now()
    courses = (
        Course.objects.filter(status__in=[Course.Status.OPEN, Course.Status.RUNNING])
        .annotate(
            starts=Min("sessions__starts_at", filter=Q(sessions__status=Session.Status.PLANNED)),
            assigned=Count("facilitators", distinct=True),
        )
        .filter(
            starts__gt=now, starts__lte=now + datetime.timedelta(days=UNDERSTAFFED_WARNING_DAYS)
        )
        .select_related("program__organisation")
    )
    drafts = []
    for course in courses:
        required = course.program.required_peers + course.program.required_professionals
        if course.assigned >= required:
            continue
        organisation = course.program.organisation
        for recipient in coordinator_recipients(organisation):
            drafts.append(
                MessageDraft(
                    kind="course_understaffed",
                    recipient=recipient,
                    template="notifications/course_understaffed",
                    context={
                        "program": course.program.name,
                        "course": course.title,
                        "starts": timezone.localtime(course.starts).strftime("%d.%m.%Y"),
                        "assigned": course.assigned,
                        "required": required,
                    },
                    organisation=organisation,
                    related=course,
                    dedupe_key=f"course_understaffed:{course.pk}:{course.starts:%Y%m%d}:"
                    f"{recipient.key}",
                )
            )
    return len(messages_create(drafts=drafts))
