"""Invitations and answers. The token exists only in the delivered message (or a printed
sheet); the invitation keeps its hash, and an answer keeps no trace of the invitation."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Invitation, Phase, Questionnaire, Response
from groups.models import Course
from participants.models import Registration
from participants.services import registration_recipient
from peerprogram.notifications import MessageDraft, messages_create
from peerprogram.tokens import new_token, token_hash

# Who is invited to evaluate: everyone with a seat on the course, or who completed it.
INVITED = [Registration.Status.ACCEPTED, Registration.Status.COMPLETED]


def questionnaires_for(course: Course, phase: str) -> list[Questionnaire]:
    """The programme's questionnaires for the phase; the shipped templates if it has none."""
    phases = Q(phase=phase) | Q(phase="both")
    own = Questionnaire.objects.filter(phases, program=course.program)
    chosen = own if own.exists() else Questionnaire.objects.filter(phases, organisation=None)
    return list(chosen.prefetch_related("items").order_by("pk"))


def invitations_send(*, course: Course, phase: str) -> int:
    """One invitation per participant with a seat (or who completed), through the outbox.

    The message is about the course, not the registration, and its token is made only when
    the message is delivered.
    """
    registrations = course.registrations.filter(status__in=INVITED).select_related("participant")
    organisation = course.program.organisation
    drafts = []
    for registration in registrations:
        recipient = registration_recipient(registration)
        drafts.append(
            MessageDraft(
                kind="evaluation_invitation",
                recipient=recipient,
                template="notifications/evaluation_invitation",
                context={
                    "program": course.program.name,
                    "organisation": organisation.name,
                    "phase": phase,
                    "after": phase == Phase.AFTER,
                },
                organisation=organisation,
                related=course,
                dedupe_key=f"evaluation:{course.pk}:{phase}:{recipient.key}",
                secret_provider="evaluation_token",  # noqa: S106 - a provider name
            )
        )
    return len(messages_create(drafts=drafts))


def invitation_create(*, course_id: int, phase: str) -> str:
    """A new one-time token for the course and phase; returns the token, stores its hash."""
    token = new_token()
    Invitation.objects.create(course_id=course_id, phase=phase, token_hash=token_hash(token))
    return token


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("evaluation:answer", kwargs={"token": token})


def evaluation_token_url(message) -> str:
    """Secret provider for invitation messages."""
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
        .filter(token_hash=token_hash(token), used=False)
        .first()
    )


def iso_week(day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def response_submit(*, token: str, answers: dict[int, dict]) -> bool:
    """Use the token once and store the answers, in one transaction.

    `answers` maps a questionnaire id to {item number: answer}. Returns False when the token
    is unknown or already used (also when two submits race: exactly one wins).
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_related("course").filter(token_hash=token_hash(token)).first()
        )
        if invitation is None:
            return False
        claimed = Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
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
    return True


def invitations_due(*, now=None) -> int:
    """Invite at the first session (before) and after the last one (after); safe to repeat,
    since every invitation message has a dedupe key."""
    now = now or timezone.now()
    sent = 0
    active = Course.objects.filter(status__in=[Course.Status.OPEN, Course.Status.RUNNING])
    starting = active.filter(
        sessions__number=1,
        sessions__status="planned",
        sessions__starts_at__lte=now + datetime.timedelta(hours=24),
        sessions__starts_at__gt=now - datetime.timedelta(days=7),
    ).distinct()
    for course in starting.select_related("program__organisation"):
        sent += invitations_send(course=course, phase=Phase.BEFORE)
    ended = (
        Course.objects.filter(status__in=[Course.Status.RUNNING, Course.Status.FINISHED])
        .annotate(last_end=Max("sessions__ends_at", filter=Q(sessions__status="planned")))
        .filter(last_end__lte=now, last_end__gt=now - datetime.timedelta(days=14))
    )
    for course in ended.select_related("program__organisation"):
        sent += invitations_send(course=course, phase=Phase.AFTER)
    return sent
