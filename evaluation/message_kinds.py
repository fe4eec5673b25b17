"""The messages evaluation sends (peerprogram.outbox.kinds): the invitation to answer."""

from collections.abc import Iterable
from typing import Any

from evaluation.models import Phase
from groups.message_kinds import AboutCourse
from groups.models import Course
from peerprogram.outbox.kinds import Audience, MessageKind
from peerprogram.outbox.services import Recipient


class EvaluationInvitation(AboutCourse, MessageKind):
    """An invitation to answer a course's questionnaires anonymously for a phase, with a
    one-time link made at delivery (the provider "evaluation_token"). Each person is invited
    once per course and phase (the dedupe key)."""

    kind = "evaluation_invitation"
    audience = Audience.CITIZEN
    secret_provider = "evaluation_token"  # noqa: S105 - a provider name

    def __init__(self, *, course: Course, phase: str, recipients: list[Recipient]):
        self.course = course
        self.phase = phase
        self._recipients = recipients

    def recipients(self) -> Iterable[Recipient]:
        return self._recipients

    def dedupe_key(self, recipient: Recipient) -> str:
        return invitation_key(self.course, self.phase, recipient)

    def context(self) -> dict[str, Any]:
        return {
            "program": self.course.program.name,
            "organisation": self.organisation().name,
            "phase": self.phase,
            "after": self.phase == Phase.AFTER,
        }


def invitation_key(course: Course, phase: str, recipient: Recipient) -> str:
    return f"evaluation:{course.pk}:{phase}:{recipient.key}"
