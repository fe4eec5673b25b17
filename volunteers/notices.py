"""What coordinators and facilitators are told about the facilitator side of a course."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Session
from groups.workspace.pages import course_page_url
from peerprogram.models import Organisation
from peerprogram.outbox.services import (
    MessageDraft,
    Recipient,
    coordinator_recipients,
    messages_create,
    notify,
)
from volunteers.models import Declaration, Peer
from volunteers.selectors import certificates_running_out, courses_understaffed

CERTIFICATE_WARNING_DAYS = 30


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
    peers = Peer.objects.working().filter(organisation=declaration.organisation)
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
    """Coordinators hear once when a facilitator's børneattest runs out within 30 days or
    before the last session of a course it is needed for (`certificates_running_out`)."""
    today = today or timezone.localdate()
    drafts = []
    for row in certificates_running_out(
        organisation_ids=Organisation.objects.values_list("pk", flat=True),
        today=today,
        within_days=CERTIFICATE_WARNING_DAYS,
    ):
        organisation = row.peer.organisation
        courses = ", ".join(
            f"{need.course} ({need.last_session_day:%d.%m.%Y})" for need in row.courses
        )
        for recipient in coordinator_recipients(organisation):
            drafts.append(
                MessageDraft(
                    kind="certificate_due",
                    recipient=recipient,
                    template="notifications/certificate_due",
                    context={
                        "peer": row.peer.name,
                        "until": row.valid_until.strftime("%d.%m.%Y"),
                        "courses": courses,
                    },
                    organisation=organisation,
                    related=row.peer,
                    dedupe_key=f"certificate_due:{row.certificate.pk}:{row.valid_until}:"
                    f"{recipient.key}",
                )
            )
    return len(messages_create(drafts=drafts))


def understaffed_courses_notify(*, now: datetime.datetime | None = None) -> int:
    """Coordinators hear once when a course with a session within the warning window lacks a
    kind of facilitator (`courses_understaffed`, the rule the work queue shows too), told
    which kind."""
    now = now or timezone.now()
    drafts = []
    for row in courses_understaffed(
        organisation_ids=Organisation.objects.values_list("pk", flat=True), now=now
    ):
        course, staffing = row.course, row.staffing
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
                        "starts": timezone.localtime(row.next_at).strftime("%d.%m.%Y"),
                        "assigned": staffing.assigned,
                        "required": staffing.required,
                        "missing": staffing.missing_text(),
                        "course_url": settings.SITE_URL
                        + course_page_url(course.pk, "facilitators"),
                    },
                    organisation=organisation,
                    related=course,
                    dedupe_key=f"course_understaffed:{course.pk}:{row.starts_at:%Y%m%d}:"
                    f"{recipient.key}",
                )
            )
    return len(messages_create(drafts=drafts))


def _assignment_context(course: Course, session: Session | None) -> dict:
    """What a facilitator is told about a course: which, where, and the session they start
    from. The programme's name stays out of the subject and the SMS (the templates)."""
    context = {
        "organisation": course.program.organisation.name,
        "program": course.program.name,
        "course": course.title,
        "address": course.address,
        "place": session.place if session else course.place,
        "portal_url": settings.SITE_URL + reverse("volunteers:schedule"),
    }
    if session is not None:
        context["number"] = session.number
        context["first"] = timezone.localtime(session.starts_at).strftime("%d.%m.%Y kl. %H.%M")
    return context


def facilitator_assigned_notify(
    *, course: Course, peer: Peer, substitute_for: Session | None = None
) -> int:
    """Tell a facilitator they are on `course`: where, and the first session ahead (or, for a
    substitute, the session they stand in for and are on the course from). Returns how many
    messages were queued (none when no channel reaches them)."""
    session = substitute_for or (
        course.sessions.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
        .order_by("starts_at", "number")
        .first()
    )
    context = {**_assignment_context(course, session), "substitute": substitute_for is not None}
    return len(
        notify(
            kind="facilitator_assigned",
            recipient=peer_recipient(peer),
            template="notifications/facilitator_assigned",
            context=context,
            organisation=course.program.organisation,
            related=course,
        )
    )


def facilitator_unassigned_notify(*, course: Course, peer: Peer) -> int:
    """Tell a facilitator they are no longer on `course`. Returns how many messages were
    queued (none when no channel reaches them)."""
    return len(
        notify(
            kind="facilitator_unassigned",
            recipient=peer_recipient(peer),
            template="notifications/facilitator_unassigned",
            context=_assignment_context(course, None),
            organisation=course.program.organisation,
            related=course,
        )
    )


def peer_reachable(peer: Peer) -> bool:
    """Whether a message to the facilitator goes anywhere (peerprogram.outbox: e-mail, or SMS
    for those who asked for it), so a page never says they were told when nobody was."""
    return bool(peer.email or (peer.phone and peer.sms_opt_in))
