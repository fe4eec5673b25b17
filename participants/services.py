"""Registrations: seats, waitlist and decisions. Capacity is decided under a row lock on the
course, so concurrent submits never overbook."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups.models import Course
from participants.models import Participant, Registration
from participants.selectors import next_course_taking_registrations
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import MessageDraft, Recipient, messages_create, notify
from peerprogram.tokens import new_token, token_hash

# Bump when the wording of the privacy notice shown with the form changes.
PRIVACY_NOTICE_VERSION = "2026-11-1"


class RegistrationClosed(Exception):
    """The course takes no registrations now."""


@dataclass
class RegistrationRequest:
    """What a citizen (or someone registering them) typed, already validated."""

    name: str
    birth_date: datetime.date
    municipality: str
    email: str = ""
    phone: str = ""
    sms_opt_in: bool = False
    answers: dict = field(default_factory=dict)
    referral_source: str = ""
    wants_accompaniment: bool = False
    consent_given: bool = False
    guardian_name: str = ""
    guardian_email: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False
    registered_by: Any = None  # the referrer's user, for a referral
    citizen_agreed: bool = False


def next_waitlist_position(course: Course) -> int:
    last = course.registrations.filter(status=Registration.Status.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    return (last or 0) + 1


def _seat_or_waitlist(course: Course) -> tuple[Registration.Status, int | None]:
    accepted = course.registrations.holding_a_seat().count()
    if accepted < course.capacity:
        return Registration.Status.ACCEPTED, None
    return Registration.Status.WAITLISTED, next_waitlist_position(course)


def _lock(course: Course) -> Course:
    return (
        Course.objects.select_for_update().select_related("program__organisation").get(pk=course.pk)
    )


def registration_submit(
    *, course: Course, request: RegistrationRequest, needs_review: bool, eligibility: dict
) -> Registration:
    """Register someone who is eligible (or needs a conversation) for a course.

    Every submission is a new participant, also when the name, birth date and contact match
    someone already stored: the form is open to anyone (and a referrer usually works for
    another organisation), so what it says about a person never changes a stored person nor
    tells the sender anything about them. A coordinator links such duplicates by hand.
    """
    now = timezone.now()
    with transaction.atomic():
        course = _lock(course)
        if not course.takes_registrations(now=now):
            raise RegistrationClosed
        participant = Participant.objects.create(
            organisation=course.program.organisation,
            name=request.name,
            email=request.email,
            phone=request.phone,
            birth_date=request.birth_date,
            municipality=request.municipality,
            sms_opt_in=request.sms_opt_in,
        )
        if needs_review:
            status, position = Registration.Status.NEEDS_REVIEW, None
        else:
            status, position = _seat_or_waitlist(course)
        registration = Registration.objects.create(
            participant=participant,
            course=course,
            status=status,
            status_changed_at=now,
            accepted_at=now if status == Registration.Status.ACCEPTED else None,
            waitlist_position=position,
            eligibility_answers=request.answers,
            eligibility_result=eligibility,
            referral_source=request.referral_source,
            registered_by=request.registered_by,
            citizen_agreed=request.citizen_agreed,
            wants_accompaniment=request.wants_accompaniment,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            consent_given_at=now if request.consent_given else None,
            guardian_name=request.guardian_name,
            guardian_email=request.guardian_email,
            guardian_phone=request.guardian_phone,
            guardian_consent_at=now if request.guardian_consent else None,
        )
        _tell(registration, "registration_confirmation")
    return registration


def registration_recipient(registration: Registration) -> Recipient:
    participant = registration.participant
    return Recipient(
        key=f"participant:{participant.pk}",
        name=participant.name,
        email=participant.email or registration.guardian_email,
        phone=participant.phone or registration.guardian_phone,
        sms_opt_in=participant.sms_opt_in,
    )


def _danish(label: Callable[[], Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(label())


def _tell(registration: Registration, kind: str) -> None:
    course = registration.course
    notify(
        kind=kind,
        recipient=registration_recipient(registration),
        template=f"notifications/{kind}",
        context={
            "program": course.program.name,
            "course": course.title,
            "organisation": course.program.organisation.name,
            "place": course.place,
            "first_date": course.first_date.strftime("%d.%m.%Y"),
            "status": registration.status,
            # Messages are Danish whatever language the page was in (rendered at delivery).
            "status_label": _danish(registration.get_status_display),
            "waitlist_position": registration.waitlist_position,
        },
        organisation=course.program.organisation,
        related=registration,
        secret_provider="registration_status",  # noqa: S106 - a provider name
        must_reach=True,
    )


def registration_status_url(message: OutboxMessage) -> str:
    """Secret provider: a fresh personal status link; only its hash is kept."""
    if message.related_id is None:
        raise ValueError("A status link belongs to a message about a registration.")
    token = new_token()
    Registration.objects.filter(pk=message.related_id).update(status_token_hash=token_hash(token))
    return settings.SITE_URL + reverse("participants:status", kwargs={"token": token})


def registration_for_token(token: str) -> Registration | None:
    if not token:
        return None
    return (
        Registration.objects.select_related("course__program__organisation", "participant")
        .filter(status_token_hash=token_hash(token))
        .first()
    )


def _close_waitlist_gap(course: Course, position: int) -> None:
    # One row at a time, lowest first, so no two rows ever share a position.
    behind = course.registrations.filter(
        status=Registration.Status.WAITLISTED, waitlist_position__gt=position
    ).order_by("waitlist_position")
    for registration in behind:
        registration.waitlist_position = (registration.waitlist_position or 0) - 1
        registration.save(update_fields=["waitlist_position"])


def _promote_from_waitlist(course: Course) -> Registration | None:
    """Give a freed seat to the first on the waitlist, while the course takes registrations
    (groups.models.CourseQuerySet.taking_registrations): never after intake has closed."""
    if not course.takes_registrations():
        return None
    accepted = course.registrations.holding_a_seat().count()
    if accepted >= course.capacity:
        return None
    first = (
        course.registrations.filter(status=Registration.Status.WAITLISTED)
        .select_related("participant")
        .order_by("waitlist_position")
        .first()
    )
    if first is None:
        return None
    _leave_waitlist(first, Registration.Status.ACCEPTED)
    _tell(first, "registration_promoted")
    return first


def _change_status(registration: Registration, status: str) -> None:
    """Set the status (unsaved), noting when it changed and when a seat was first given."""
    now = timezone.now()
    if registration.status != status:
        registration.status_changed_at = now
    if status == Registration.Status.ACCEPTED and registration.accepted_at is None:
        registration.accepted_at = now
    registration.status = status


def _leave_waitlist(registration: Registration, status: str) -> None:
    position = registration.waitlist_position
    _change_status(registration, status)
    registration.waitlist_position = None
    registration.save(
        update_fields=["status", "waitlist_position", "status_changed_at", "accepted_at"]
    )
    if position is not None:
        _close_waitlist_gap(registration.course, position)


def _set_status(
    registration: Registration, status: str, *, user: Any = None, note: str = ""
) -> Registration:
    """Change a registration's status under the course lock, keeping the waitlist whole and
    handing a freed seat on."""
    with transaction.atomic():
        course = _lock(registration.course)
        registration = Registration.objects.select_related("participant").get(pk=registration.pk)
        registration.course = course
        was_accepted = registration.status == Registration.Status.ACCEPTED
        if status == Registration.Status.ACCEPTED and not was_accepted:
            accepted = course.registrations.holding_a_seat().count()
            if accepted >= course.capacity:
                raise ValidationError(
                    _("Forløbet er fuldt (%(capacity)d pladser). Sæt personen på venteliste.")
                    % {"capacity": course.capacity}
                )
        if status == Registration.Status.WAITLISTED:
            if registration.status != Registration.Status.WAITLISTED:
                _change_status(registration, status)
                registration.waitlist_position = next_waitlist_position(course)
        else:
            _leave_waitlist(registration, status)
        if user is not None:
            registration.decided_by, registration.decided_at = user, timezone.now()
            registration.decision_note = note
        registration.save()
        if was_accepted and status != Registration.Status.ACCEPTED:
            _promote_from_waitlist(course)
    return registration


def registration_withdraw(*, registration: Registration) -> Registration:
    """The citizen withdraws through their status link."""
    if registration.status not in Registration.LIVE:
        return registration
    return _set_status(registration, Registration.Status.WITHDRAWN)


# Decisions the person hears about; completion and dropout are recorded without a message.
TOLD_DECISIONS = {
    Registration.Status.ACCEPTED,
    Registration.Status.DECLINED,
    Registration.Status.WAITLISTED,
}


def registration_decide(
    *, registration: Registration, status: str, user: Any, note: str = ""
) -> Registration:
    """A coordinator's decision, recorded with who, when and why."""
    registration = _set_status(registration, status, user=user, note=note)
    if status in TOLD_DECISIONS:
        _tell(registration, "registration_decision")
    return registration


def registration_move(
    *, registration: Registration, course: Course, user: Any, note: str = ""
) -> Registration:
    """Move someone to another course of the same organisation that takes registrations now
    (`Course.takes_registrations`, checked under the course's lock as registration does): a seat
    there if one is free, else the end of its waitlist; their old seat goes to the next in
    line. A refusal changes nothing."""
    if course.program.organisation_id != registration.course.program.organisation_id:
        raise ValidationError(_("Man kan kun flytte til et forløb i samme organisation."))
    old_course = registration.course
    if Registration.objects.filter(
        course=course, participant=registration.participant, status__in=Registration.LIVE
    ).exists():
        raise ValidationError(_("Personen er allerede tilmeldt det forløb."))
    with transaction.atomic():
        _set_status(registration, Registration.Status.WITHDRAWN, user=user, note=note)
        target = _lock(course)
        if not target.takes_registrations():
            # Raised inside the transaction, so the withdrawal above is undone too.
            raise ValidationError(
                _("%(course)s tager ikke imod tilmeldinger nu. Vælg et andet forløb.")
                % {"course": target}
            )
        registration.refresh_from_db()
        status, position = _seat_or_waitlist(target)
        registration.course = target
        # A seat on the old course says nothing about the new one.
        registration.accepted_at = None
        _change_status(registration, status)
        registration.waitlist_position = position
        registration.decision_note = (
            _("Flyttet fra %(course)s. ") % {"course": old_course} + note
        ).strip()
        registration.save()
        _tell(registration, "registration_decision")
    return registration


def _intake_closed_key(registration_pk: int) -> str:
    return f"intake_closed:{registration_pk}"


def intake_closed_notify(*, now: datetime.datetime | None = None) -> int:
    """Tell everyone left on the waitlist of a course whose intake has closed, once each, and
    offer them the programme's next course that takes registrations (or say there is none yet
    and where to find the organisation). Returns how many people were told now.

    Their registration stays waitlisted: the coordinator still sees who was waiting, and the
    person keeps their place should a coordinator decide to let them in after all. It is no
    longer promoted, because promotion follows intake. Joining the next course is the
    person's own registration through the link; nobody is moved. The dedupe key (one per
    registration) makes a second run, or a run after intake briefly reopened, tell nobody
    twice; a message lost before it was stored is made by the next run.
    """
    now = now or timezone.now()
    courses = (
        Course.objects.intake_closed(now=now)
        .filter(registrations__status=Registration.Status.WAITLISTED)
        .distinct()
        .select_related("program__organisation")
    )
    drafts = []
    for course in courses:
        waiting = list(
            course.registrations.filter(status=Registration.Status.WAITLISTED)
            .select_related("participant")
            .order_by("waitlist_position")
        )
        told = set(
            OutboxMessage.objects.filter(
                dedupe_key__in=[
                    f"{_intake_closed_key(r.pk)}:{channel}"
                    for r in waiting
                    for channel in OutboxMessage.Channel.values
                ]
            ).values_list("related_id", flat=True)
        )
        context = _intake_closed_context(course)
        drafts += [
            MessageDraft(
                kind="intake_closed",
                recipient=registration_recipient(registration),
                template="notifications/intake_closed",
                context=context,
                organisation=course.program.organisation,
                related=registration,
                dedupe_key=_intake_closed_key(registration.pk),
                must_reach=True,
            )
            for registration in waiting
            if registration.pk not in told
        ]
    messages_create(drafts=drafts)
    return len(drafts)


def _intake_closed_context(course: Course) -> dict[str, Any]:
    organisation = course.program.organisation
    context: dict[str, Any] = {
        "program": course.program.name,
        "course": course.title,
        "organisation": organisation.name,
        "organisation_url": settings.SITE_URL + organisation.get_absolute_url(),
        "next_course": "",
        "next_course_first_date": "",
        "next_course_url": "",
    }
    following = next_course_taking_registrations(course=course)
    if following is not None:
        context["next_course"] = following.title
        context["next_course_first_date"] = following.first_date.strftime("%d.%m.%Y")
        context["next_course_url"] = settings.SITE_URL + reverse(
            "participants:course", kwargs={"pk": following.pk}
        )
    return context
