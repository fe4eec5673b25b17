"""Invitations and answers. The token exists only in the delivered message (or a printed
sheet); the invitation keeps its hash until it is used, and an answer keeps no trace of the
invitation."""

import dataclasses
import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from evaluation import suppression
from evaluation.audience import fitting_questionnaires, is_for_children
from evaluation.message_kinds import EvaluationInvitation, invitation_key
from evaluation.models import (
    Invitation,
    InvitationCount,
    Item,
    Phase,
    Questionnaire,
    ReportRelease,
    Response,
)
from groups.models import Course, Program, Session
from participants.models import Registration
from participants.services import registration_recipient
from peerprogram.models import Organisation, OutboxMessage
from peerprogram.outbox.services import Recipient
from peerprogram.tokens import new_token, token_hash

# Who is invited to evaluate: everyone with a seat on the course (Registration.SEATED), except
# who stopped along the way — they are not there to answer at the end.
INVITED = [s for s in Registration.SEATED if s != Registration.Status.DROPPED_OUT]


def program_questionnaires(program: Program, phase: str) -> list[Questionnaire]:
    """The programme's questionnaires for the phase; the shipped templates if it has none.

    Only those meant for the youngest age the programme admits (evaluation.audience): a
    programme for children has no evaluation until a questionnaire for its age is chosen.
    """
    asked = Questionnaire.objects.for_phase(phase)
    own = asked.filter(program=program)
    chosen = own if own.exists() else asked.filter(organisation=None)
    fitting = fitting_questionnaires(chosen, program)
    return list(fitting.prefetch_related("items").order_by("pk"))


def questionnaires_for(course: Course, phase: str) -> list[Questionnaire]:
    return program_questionnaires(course.program, phase)


def lacks_questionnaire_for_its_age(program: Program) -> bool:
    """A programme for children with no questionnaire for its age in some phase: its
    participants are not invited to evaluate there (the admin says so)."""
    return is_for_children(program) and not all(
        program_questionnaires(program, phase) for phase in Phase.values
    )


@transaction.atomic
def questionnaire_copy(
    *, questionnaire: Questionnaire, organisation: Organisation
) -> Questionnaire:
    """A copy of a questionnaire and its questions for `organisation` to use (and, unless the
    instrument is locked, adapt); the copy belongs to no programme until one is chosen."""
    items = list(questionnaire.items.all())
    copy = Questionnaire.objects.get(pk=questionnaire.pk)
    copy.pk = None
    copy.organisation = organisation
    copy.program = None
    copy.save()
    Item.objects.bulk_create(
        Item(
            questionnaire=copy,
            number=item.number,
            text=item.text,
            kind=item.kind,
            reverse_scored=item.reverse_scored,
            domain=item.domain,
        )
        for item in items
    )
    return copy


def _one_channel(recipient: Recipient) -> Recipient:
    """E-mail if there is an address, else SMS: a person gets one link per phase, since two
    messages would carry two one-time links and so two answers."""
    if recipient.email:
        return dataclasses.replace(recipient, phone="", sms_opt_in=False)
    return recipient


def invitations_send(*, course: Course, phase: str) -> int:
    """One invitation per participant with a seat (or who completed), through the outbox, on
    one channel only.

    The message is about the course, not the registration, and its token is made only when
    the message is delivered. Whoever already had an invitation for the phase, on either
    channel, gets none again (also when their contact details changed in between). Nobody is
    invited when no questionnaire fits the programme's participants (`questionnaires_for`).
    """
    if not questionnaires_for(course, phase):
        return 0
    registrations = course.registrations.filter(status__in=INVITED).select_related("participant")
    already = set(
        OutboxMessage.objects.filter(
            kind="evaluation_invitation", dedupe_key__startswith=f"evaluation:{course.pk}:{phase}:"
        ).values_list("dedupe_key", flat=True)
    )
    recipients = []
    for registration in registrations:
        recipient = _one_channel(registration_recipient(registration))
        dedupe_key = invitation_key(course, phase, recipient)
        if any(f"{dedupe_key}:{channel}" in already for channel in OutboxMessage.Channel.values):
            continue
        recipients.append(recipient)
    return EvaluationInvitation(course=course, phase=phase, recipients=recipients).send()


def invitation_create(*, course_id: int, phase: str) -> str:
    """A new one-time token for the course and phase; returns the token, stores its hash
    under a random id and counts it for the reports."""
    token = new_token()
    with transaction.atomic():
        Invitation.objects.create(course_id=course_id, phase=phase, token_hash=token_hash(token))
        counter, _created = InvitationCount.objects.get_or_create(course_id=course_id, phase=phase)
        InvitationCount.objects.filter(pk=counter.pk).update(issued=F("issued") + 1)
    return token


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("evaluation:answer", kwargs={"token": token})


def evaluation_token_url(message: OutboxMessage) -> str:
    """Secret provider for invitation messages."""
    if message.related_id is None:
        raise ValueError("An invitation belongs to a message about a course.")
    return answer_url(
        invitation_create(course_id=message.related_id, phase=message.context["phase"])
    )


def sheet_links(*, course: Course, phase: str, count: int) -> list[str]:
    """New one-time links for a printed sheet. They exist only in the PDF handed back now;
    printing again makes new links (the earlier ones stay valid until used)."""
    return [answer_url(invitation_create(course_id=course.pk, phase=phase)) for _ in range(count)]


def seats_taken(course: Course) -> int:
    """How many answer cards a course needs: one per participant with a seat."""
    return course.registrations.filter(status__in=INVITED).count()


def open_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("course__program__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def response_submit(*, token: str, answers: dict[int, dict]) -> bool:
    """Use the token once and store the answers, in one transaction.

    `answers` maps a questionnaire id to {item number: answer}. The invitation is deleted, not
    marked: what is left says nothing about who answered. The answers reach the reports in
    the course phase's next release (`report_release_make`). Returns False when the token is
    unknown or already used (also when two submits race: exactly one deletes it).
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_related("course").filter(token_hash=token_hash(token)).first()
        )
        if invitation is None:
            return False
        claimed, _per_model = Invitation.objects.filter(pk=invitation.pk).delete()
        if not claimed:
            return False
        week = iso_week(timezone.localdate())
        Response.objects.bulk_create(
            Response(
                course=invitation.course,
                phase=invitation.phase,
                questionnaire_id=questionnaire_id,
                iso_week=week,
                answers=questionnaire_answers,
            )
            for questionnaire_id, questionnaire_answers in answers.items()
        )
        report_release_make(course_id=invitation.course_id, phase=invitation.phase)
    return True


def report_release_make(*, course_id: int, phase: str) -> ReportRelease | None:
    """Release a course phase's new answers to the reports once enough have come
    (`suppression.release_due`); returns the release made, if any.

    Called where answers arrive (`response_submit`), so reading a report never writes. The
    course row is locked for the rest of the caller's transaction: two answers arriving at
    once make their releases one after the other, never the same number twice.
    """
    with transaction.atomic():
        list(Course.objects.select_for_update().filter(pk=course_id).values_list("pk"))
        releases = list(ReportRelease.objects.filter(course_id=course_id, phase=phase))
        released = {str(pk) for release in releases for pk in release.response_ids}
        new = [
            (str(pk), questionnaire_id)
            for pk, questionnaire_id in Response.objects.filter(
                course_id=course_id, phase=phase
            ).values_list("id", "questionnaire_id")
            if str(pk) not in released
        ]
        per_questionnaire: defaultdict[int, int] = defaultdict(int)
        for _pk, questionnaire_id in new:
            per_questionnaire[questionnaire_id] += 1
        if not suppression.release_due(per_questionnaire):
            return None
        return ReportRelease.objects.create(
            course_id=course_id,
            phase=phase,
            number=max((release.number for release in releases), default=0) + 1,
            released_on=timezone.localdate(),
            response_ids=sorted(pk for pk, _questionnaire_id in new),
        )


def invitations_due(*, now: datetime.datetime | None = None) -> int:
    """Invite at the first session (before) and after the last one (after); safe to repeat,
    since every invitation message has a dedupe key."""
    now = now or timezone.now()
    sent = 0
    active = Course.objects.filter(status__in=Course.ACTIVE)
    starting = active.filter(
        sessions__number=1,
        sessions__status=Session.Status.PLANNED,
        sessions__starts_at__lte=now + datetime.timedelta(hours=24),
        sessions__starts_at__gt=now - datetime.timedelta(days=7),
    ).distinct()
    for course in starting.select_related("program__organisation"):
        sent += invitations_send(course=course, phase=Phase.BEFORE)
    ended = (
        Course.objects.filter(status__in=[Course.Status.RUNNING, Course.Status.FINISHED])
        .annotate(
            last_end=Max("sessions__ends_at", filter=Q(sessions__status=Session.Status.PLANNED))
        )
        .filter(last_end__lte=now, last_end__gt=now - datetime.timedelta(days=14))
    )
    for course in ended.select_related("program__organisation"):
        sent += invitations_send(course=course, phase=Phase.AFTER)
    return sent
