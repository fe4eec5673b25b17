"""Registrations: seats, waitlist and decisions. Capacity is decided under a row lock on the
course, so concurrent submits never overbook."""

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from groups.models import Course
from participants import message_kinds
from participants.models import (
    CustodyConfirmation,
    Participant,
    Registration,
    under_custody_age,
)
from participants.selectors import next_course_taking_registrations
from peerprogram.models import Organisation, OutboxMessage
from peerprogram.outbox.kinds import send_all
from peerprogram.outbox.services import MessagePreview, Recipient
from peerprogram.tokens import token_hash

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
    second_guardian_name: str = ""
    second_guardian_email: str = ""
    second_guardian_phone: str = ""
    # The custody holder (guardian_*) registers themselves with the child: their birth date.
    parent_birth_date: datetime.date | None = None
    registered_by: Any = None  # the referrer's user, for a referral
    language: str = settings.LANGUAGE_CODE  # of the form: every message to them uses it
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
    """Register someone who is eligible (or needs a conversation) for a course, and the
    custody holder with them when they come along (`request.parent_birth_date`): a family.

    A family is seated or waitlisted as one, under the one course lock: both get a seat or
    neither (the parent counts only where the programme says parents take a seat), and on the
    waitlist they stand next to each other. A child under 15 (`under_custody_age`) holds the
    seat, with the family, until the custody holders confirm through their one-time links or
    the programme's hold runs out. One message goes to the family: the custody request, or
    the confirmation to the parent covering both. Returns the child's registration.

    Every submission is a new participant, also when the name, birth date and contact match
    someone already stored: the form is open to anyone (and a referrer usually works for
    another organisation), so what it says about a person never changes a stored person nor
    tells the sender anything about them. A coordinator links such duplicates by hand.
    """
    now = timezone.now()
    with transaction.atomic():
        # Locked and checked in one query: a closed course is not locked, nothing is stored.
        taking = (
            Course.objects.select_for_update()
            .select_related("program__organisation")
            .taking_registrations(now=now)
            .filter(pk=course.pk)
            .first()
        )
        if taking is None:
            raise RegistrationClosed
        course = taking
        program = course.program
        needs_custody = under_custody_age(request.birth_date, course)
        parent_seat = request.parent_birth_date is not None and program.parent_takes_seat
        hold_until = None
        if needs_review:
            status = Registration.Status.NEEDS_REVIEW
        elif _free_seats(course) >= 1 + parent_seat:
            status = Registration.Status.ACCEPTED
            if needs_custody:
                status = Registration.Status.AWAITING_CUSTODY
                hold_until = now + datetime.timedelta(days=program.custody_hold_days)
        else:
            status = Registration.Status.WAITLISTED
        shared = {
            "course": course,
            "status": status,
            "status_changed_at": now,
            "accepted_at": now if status == Registration.Status.ACCEPTED else None,
            "hold_until": hold_until,
            "referral_source": request.referral_source,
            "registered_by": request.registered_by,
            "citizen_agreed": request.citizen_agreed,
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
            "consent_given_at": now if request.consent_given else None,
            "language": request.language,
        }
        registration = Registration.objects.create(
            participant=_participant_create(
                course,
                name=request.name,
                email=request.email,
                phone=request.phone,
                birth_date=request.birth_date,
                municipality=request.municipality,
                sms_opt_in=request.sms_opt_in,
            ),
            waitlist_position=_position(course, status),
            eligibility_answers=request.answers,
            eligibility_result=eligibility,
            wants_accompaniment=request.wants_accompaniment,
            guardian_name=request.guardian_name,
            guardian_email=request.guardian_email,
            guardian_phone=request.guardian_phone,
            second_guardian_name=request.second_guardian_name,
            second_guardian_email=request.second_guardian_email,
            second_guardian_phone=request.second_guardian_phone,
            # Confirmed through the custody holders' links when the child is under 15.
            guardian_consent_at=now if request.guardian_consent and not needs_custody else None,
            **shared,
        )
        family = [registration]
        if request.parent_birth_date is not None:
            parent = Registration.objects.create(
                participant=_participant_create(
                    course,
                    name=request.guardian_name,
                    email=request.guardian_email,
                    phone=request.guardian_phone,
                    birth_date=request.parent_birth_date,
                    municipality=request.municipality,
                    sms_opt_in=False,
                ),
                waitlist_position=_position(course, status),
                registered_with=registration,
                takes_seat=program.parent_takes_seat,
                **shared,
            )
            family.append(parent)
        if needs_custody:
            _custody_confirmations_create(registration)
        else:
            message_kinds.RegistrationConfirmation(family=family).send()
    return registration


def _participant_create(course: Course, **person: Any) -> Participant:
    return Participant.objects.create(organisation=course.program.organisation, **person)


def _free_seats(course: Course) -> int:
    return course.capacity - course.registrations.holding_a_seat().count()


def _position(course: Course, status: str) -> int | None:
    if status != Registration.Status.WAITLISTED:
        return None
    return next_waitlist_position(course)


def registration_family(registration: Registration) -> list[Registration]:
    """The registrations made together with `registration`, as stored now: the child's
    first, then the parent's (Registration.registered_with)."""
    lead = registration.registered_with_id or registration.pk
    return list(
        Registration.objects.filter(Q(pk=lead) | Q(registered_with_id=lead))
        .select_related("participant", "course__program__organisation")
        .order_by(F("registered_with").asc(nulls_first=True), "pk")
    )


def registration_recipient(registration: Registration) -> Recipient:
    """Who hears about a registration: the person, or for a child under 15 the custody holder
    who registered them (when they left a way to reach them)."""
    participant = registration.participant
    guardian_reachable = registration.guardian_email or registration.guardian_phone
    if guardian_reachable and under_custody_age(participant.birth_date, registration.course):
        return message_kinds.custody_holder(
            registration, CustodyConfirmation.Holder.FIRST, key=f"participant:{participant.pk}"
        )
    return Recipient(
        key=f"participant:{participant.pk}",
        name=participant.name,
        email=participant.email or registration.guardian_email,
        phone=participant.phone or registration.guardian_phone,
        sms_opt_in=participant.sms_opt_in,
        language=registration.language,
    )


def _close_waitlist_gap(course: Course, position: int) -> None:
    # One row at a time, lowest first, so no two rows ever share a position.
    behind = course.registrations.filter(
        status=Registration.Status.WAITLISTED, waitlist_position__gt=position
    ).order_by("waitlist_position")
    for registration in behind:
        registration.waitlist_position = (registration.waitlist_position or 0) - 1
        registration.save(update_fields=["waitlist_position"])


def _promote_from_waitlist(course: Course) -> None:
    """Give freed seats to the first on the waitlist, while the course takes registrations
    (groups.models.CourseQuerySet.taking_registrations): never after intake has closed.

    A family moves as one: it is promoted only when there are seats for all of it that take
    one, and nobody behind it overtakes it meanwhile. A child under 15 whose custody holders
    have not confirmed yet gets the seat held, and they get a fresh link."""
    if not course.takes_registrations():
        return
    while True:
        first = (
            course.registrations.filter(status=Registration.Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            return
        family = [
            member
            for member in registration_family(first)
            if member.status == Registration.Status.WAITLISTED
        ]
        if sum(member.takes_seat for member in family) > _free_seats(course):
            return
        lead = family[0]
        awaits_custody = lead.guardian_consent_at is None and under_custody_age(
            lead.participant.birth_date, course
        )
        for member in family:
            member.refresh_from_db()  # an earlier member's move shifted its position
            if awaits_custody:
                member.hold_until = timezone.now() + datetime.timedelta(
                    days=course.program.custody_hold_days
                )
                member.save(update_fields=["hold_until"])
                _leave_waitlist(member, Registration.Status.AWAITING_CUSTODY)
            else:
                _leave_waitlist(member, Registration.Status.ACCEPTED)
        if awaits_custody:
            _custody_confirmations_create(lead)
        else:
            message_kinds.RegistrationPromoted.about(lead).send()


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
    registration: Registration,
    status: str,
    *,
    user: Any = None,
    note: str = "",
    message: str = "",
) -> Registration:
    """Change a registration's status under the course lock, keeping the waitlist whole and
    handing a freed seat on. With `user` it is a coordinator's decision: refused with the
    reason (`_decision_problem`) when it cannot take effect, else recorded with who and when."""
    with transaction.atomic():
        course = _lock(registration.course)
        registration = Registration.objects.select_related("participant").get(pk=registration.pk)
        registration.course = course
        held_a_seat = registration.status in Registration.HOLDING
        problem = _decision_problem(registration, course, status, decision=user is not None)
        if problem:
            raise ValidationError(problem)
        if status == Registration.Status.WAITLISTED:
            if registration.status != Registration.Status.WAITLISTED:
                _change_status(registration, status)
                registration.waitlist_position = next_waitlist_position(course)
        else:
            _leave_waitlist(registration, status)
        if user is not None:
            registration.decided_by, registration.decided_at = user, timezone.now()
            registration.decision_note = note
            registration.decision_message = message
        registration.save()
        if held_a_seat and status not in Registration.HOLDING:
            _promote_from_waitlist(course)
    return registration


def registration_withdraw(*, registration: Registration) -> Registration:
    """The citizen withdraws through their status link; a family's link (sent to the parent
    about both) withdraws both. They get a receipt (once) saying where the seat goes and how
    to register again; a registration that had already ended changes nothing and is told
    nothing."""
    family = registration_family(registration)
    was = family[0].status
    withdrawn = [member for member in family if member.status in Registration.LIVE]
    with transaction.atomic():
        for member in withdrawn:
            _set_status(member, Registration.Status.WITHDRAWN)
        if withdrawn:
            message_kinds.RegistrationWithdrawn.about(registration, was=was).send()
    registration.refresh_from_db()
    return registration


# Decisions the person hears about; completion and dropout are recorded without a message.
TOLD_DECISIONS = {
    Registration.Status.ACCEPTED,
    Registration.Status.DECLINED,
    Registration.Status.WAITLISTED,
}


def _decision_problem(
    registration: Registration, course: Course, status: str, *, decision: bool
) -> str:
    """Why setting `status` cannot take effect now, in Danish ("" when it can): the one
    check a decision, its preview and the admin share, so nothing is silently undone.

    - A decision the person hears about (accept, waitlist, decline) needs a live
      registration: a withdrawn, declined or finished one stays as it is.
    - Accepting needs the custody holders' confirmation for a child under 15, and a free
      seat unless the registration holds one already.
    - The waitlist is refused while the course has a free seat (counting the one the
      registration would free): the person would be promoted at once.
    """
    if decision and status in TOLD_DECISIONS and registration.status not in Registration.LIVE:
        return _("Tilmeldingen har status »%(status)s«, så den kan ikke længere ændres.") % {
            "status": registration.get_status_display()
        }
    held_a_seat = registration.status in Registration.HOLDING
    if status == Registration.Status.ACCEPTED:
        if registration.custody_confirmations.filter(confirmed_at__isnull=True).exists():
            # A child under 15 takes part only with the custody holders' own confirmation.
            return _("Forældremyndigheden har ikke bekræftet tilmeldingen endnu.")
        if not held_a_seat and registration.takes_seat and _free_seats(course) <= 0:
            return _("Forløbet er fuldt (%(capacity)d pladser). Sæt personen på venteliste.") % {
                "capacity": course.capacity
            }
    if decision and status == Registration.Status.WAITLISTED:
        freed = held_a_seat and registration.takes_seat
        if _free_seats(course) + freed > 0:
            return _("Der er ledige pladser. Optag personen i stedet.")
    return ""


def registration_decide(
    *, registration: Registration, status: str, user: Any, note: str = "", message: str = ""
) -> Registration:
    """A coordinator's decision, recorded with who, when and why (`note`, internal). The
    person hears about an accept, waitlist or decline in one message, with `message` (what
    the coordinator wrote to them) in it. A decision that cannot take effect is refused
    with the reason (a ValidationError) and changes nothing."""
    registration = _set_status(registration, status, user=user, note=note, message=message)
    if status in TOLD_DECISIONS:
        message_kinds.RegistrationDecision.about(registration, message=message).send()
    return registration


def _move_problem(registration: Registration, course: Course) -> str:
    """Why `registration` cannot move to `course`, in Danish ("" when it can)."""
    if course.program.organisation_id != registration.course.program.organisation_id:
        return _("Man kan kun flytte til et forløb i samme organisation.")
    if registration.status not in Registration.LIVE:
        return _("Tilmeldingen har status »%(status)s«, så den kan ikke længere ændres.") % {
            "status": registration.get_status_display()
        }
    if Registration.objects.filter(
        course=course, participant=registration.participant, status__in=Registration.LIVE
    ).exists():
        return _("Personen er allerede tilmeldt det forløb.")
    if not course.takes_registrations():
        return _("%(course)s tager ikke imod tilmeldinger nu. Vælg et andet forløb.") % {
            "course": course
        }
    return ""


def registration_move(
    *,
    registration: Registration,
    course: Course,
    user: Any,
    note: str = "",
    message: str = "",
) -> Registration:
    """Move someone to another course of the same organisation that takes registrations now
    (`Course.takes_registrations`, checked under the course's lock as registration does): a seat
    there if one is free, else the end of its waitlist; their old seat goes to the next in
    line. The person hears about it in one message, with `message` in it. A refusal changes
    nothing."""
    registration = Registration.objects.select_related(
        "participant", "course__program__organisation"
    ).get(pk=registration.pk)
    problem = _move_problem(registration, course)
    if problem:
        raise ValidationError(problem)
    old_course = registration.course
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
        registration.decision_message = message
        registration.save()
        message_kinds.RegistrationDecision.about(
            registration, message=message, moved_from=old_course
        ).send()
    return registration


def registration_decision_preview(
    *,
    registration: Registration,
    status: str,
    message: str = "",
    course: Course | None = None,
) -> list[MessagePreview]:
    """What the person would get if the decision were made now — or, with `course`, the
    move there: the same message (template, context, channels) `registration_decide` and
    `registration_move` create, rendered and not stored. A decision that cannot take effect
    raises a ValidationError with the reason, as the decision itself would."""
    registration = Registration.objects.select_related(
        "participant", "course__program__organisation"
    ).get(pk=registration.pk)
    decided = copy.copy(registration)
    if course is None:
        problem = _decision_problem(registration, registration.course, status, decision=True)
        if problem:
            raise ValidationError(problem)
        if status == Registration.Status.WAITLISTED:
            decided.waitlist_position = registration.waitlist_position or next_waitlist_position(
                registration.course
            )
        else:
            decided.waitlist_position = None
    else:
        problem = _move_problem(registration, course)
        if problem:
            raise ValidationError(problem)
        status, decided.waitlist_position = _seat_or_waitlist(course)
        decided.course = course
    if status not in TOLD_DECISIONS:
        return []
    decided.status = status
    family = [
        decided if member.pk == registration.pk else member
        for member in registration_family(registration)
    ]
    moved_from = registration.course if course is not None else None
    return message_kinds.RegistrationDecision(
        family=family, message=message, moved_from=moved_from
    ).preview()


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
    told_now = 0
    for course in courses:
        waiting = list(
            course.registrations.filter(status=Registration.Status.WAITLISTED)
            .select_related("participant")
            .order_by("waitlist_position")
        )
        told = set(
            OutboxMessage.objects.filter(
                dedupe_key__in=[
                    f"{message_kinds.intake_closed_key(r.pk)}:{channel}"
                    for r in waiting
                    for channel in OutboxMessage.Channel.values
                ]
            ).values_list("related_id", flat=True)
        )
        following = next_course_taking_registrations(course=course)
        messages = [
            message_kinds.IntakeClosed(registration=registration, next_course=following)
            for registration in waiting
            if registration.pk not in told
        ]
        send_all(messages)
        told_now += len(messages)
    return told_now


# --- Custody holders' confirmation of a child under 15 ----------------------------------------


def _custody_confirmations_create(registration: Registration) -> None:
    """Ask the custody holders to confirm a child's registration: one row and one message with
    a one-time link each (the second holder only where the organisation wants both). A row
    already there gets a fresh link, which replaces the old one."""
    organisation = registration.course.program.organisation
    holders = [CustodyConfirmation.Holder.FIRST]
    if organisation.custody_confirmations_required == Organisation.CustodyConfirmations.BOTH:
        holders.append(CustodyConfirmation.Holder.SECOND)
    requests = []
    for holder in holders:
        confirmation, _created = CustodyConfirmation.objects.get_or_create(
            registration=registration, holder=holder
        )
        if confirmation.confirmed_at is None:
            requests.append(message_kinds.CustodyRequest(confirmation=confirmation))
    send_all(requests)


def custody_confirmation_url(message: OutboxMessage) -> str:
    """Secret provider: a custody holder's one-time confirmation link; only its hash is kept,
    and a confirmation already given keeps the link it was given with."""
    confirmation = (
        CustodyConfirmation.objects.filter(pk=message.related_id, confirmed_at__isnull=True).first()
        if message.related_id is not None
        else None
    )
    if confirmation is None:
        raise ValueError("A custody link belongs to a confirmation not yet given.")
    # The same link in every message about this confirmation (an e-mail and an SMS both
    # work): derived from the site's secret key, so only its hash is ever stored.
    token = salted_hmac(
        "participants.custody-link", str(confirmation.pk), algorithm="sha256"
    ).hexdigest()
    CustodyConfirmation.objects.filter(pk=confirmation.pk).update(token_hash=token_hash(token))
    return settings.SITE_URL + reverse(
        "participants:custody",
        kwargs={"pk": confirmation.registration_id, "token": token},
    )


class CustodyLink:
    """What a custody link leads to (`custody_link_state`, `custody_confirm`)."""

    UNKNOWN = "unknown"  # no such link, or a link for another registration
    EXPIRED = "expired"  # the hold ran out: the seat went on
    ALREADY = "already"  # this holder has confirmed already
    OPEN = "open"  # may be confirmed now
    CONFIRMED = "confirmed"  # confirmed now, and the registration is complete
    WAITING = "waiting"  # confirmed now; the other custody holder has not yet


def _custody_link(
    registration_pk: int, token: str, now: datetime.datetime
) -> tuple[str, CustodyConfirmation | None]:
    confirmation = (
        CustodyConfirmation.objects.select_related(
            "registration__participant", "registration__course__program__organisation"
        )
        .filter(registration_id=registration_pk, token_hash=token_hash(token or ""))
        .first()
        if token
        else None
    )
    if confirmation is None:
        return CustodyLink.UNKNOWN, None
    if confirmation.confirmed_at is not None:
        return CustodyLink.ALREADY, confirmation
    registration = confirmation.registration
    if registration.status not in Registration.LIVE or (
        registration.hold_until is not None and registration.hold_until <= now
    ):
        return CustodyLink.EXPIRED, confirmation
    return CustodyLink.OPEN, confirmation


def custody_link_state(
    *, registration_pk: int, token: str, now: datetime.datetime | None = None
) -> tuple[str, CustodyConfirmation | None]:
    """What the link shows now, changing nothing (a GET)."""
    return _custody_link(registration_pk, token, now or timezone.now())


def custody_confirm(
    *, registration_pk: int, token: str, now: datetime.datetime | None = None
) -> tuple[str, CustodyConfirmation | None]:
    """A custody holder confirms a child's registration through their one-time link.

    Only the link of that registration, used once and before the hold ran out, changes
    anything. When every holder the organisation asks for has confirmed, the consent is
    recorded and a family that held its seats gets them (the parent is told, with their
    status link); a waitlisted family keeps its place, now confirmed."""
    now = now or timezone.now()
    state, confirmation = _custody_link(registration_pk, token, now)
    if state != CustodyLink.OPEN or confirmation is None:
        return state, confirmation
    with transaction.atomic():
        _lock(confirmation.registration.course)
        # Decided again under the lock: two clicks at once confirm once.
        state, confirmation = _custody_link(registration_pk, token, now)
        if state != CustodyLink.OPEN or confirmation is None:
            return state, confirmation
        confirmation.confirmed_at = now
        confirmation.save(update_fields=["confirmed_at"])
        registration = confirmation.registration
        if registration.custody_confirmations.filter(confirmed_at__isnull=True).exists():
            return CustodyLink.WAITING, confirmation
        registration.guardian_consent_at = now
        registration.save(update_fields=["guardian_consent_at"])
        if registration.status == Registration.Status.AWAITING_CUSTODY:
            for member in registration_family(registration):
                _change_status(member, Registration.Status.ACCEPTED)
                member.hold_until = None
                member.save(
                    update_fields=["status", "status_changed_at", "accepted_at", "hold_until"]
                )
            message_kinds.RegistrationConfirmation.about(registration).send()
    return CustodyLink.CONFIRMED, confirmation


def custody_holds_release(*, now: datetime.datetime | None = None) -> int:
    """Release the seats of children whose custody holders did not confirm in time: the
    family is withdrawn, each custody holder asked is told once (dedupe key per registration
    and holder), and the seats go to the waitlist's next. Safe to run twice; returns how many
    families were released now."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.AWAITING_CUSTODY,
        hold_until__lte=now,
        registered_with__isnull=True,
    ).values_list("pk", flat=True)
    released = 0
    for pk in list(due):
        with transaction.atomic():
            registration = Registration.objects.select_related("course").get(pk=pk)
            course = _lock(registration.course)
            registration.refresh_from_db()
            if registration.status != Registration.Status.AWAITING_CUSTODY or (
                registration.hold_until is None or registration.hold_until > now
            ):
                continue
            note = _("Pladsen blev givet videre: forældremyndigheden bekræftede ikke i tide.")
            for member in registration_family(registration):
                _change_status(member, Registration.Status.WITHDRAWN)
                member.decision_note = note
                member.save(update_fields=["status", "status_changed_at", "decision_note"])
            message_kinds.CustodyReleased(registration=registration).send()
            _promote_from_waitlist(course)
            released += 1
    return released
