"""Examples of evaluation's message kinds, with the longest demo names."""

from evaluation.message_kinds import EvaluationInvitation
from evaluation.models import Phase
from peerprogram.outbox.services import Recipient
from tests.message_examples import example
from tests.message_examples.common import long_course


@example("evaluation_invitation")
def evaluation_invitation():
    return EvaluationInvitation(
        course=long_course(),
        phase=Phase.AFTER,
        recipients=[Recipient(key="participant:1", name="Marie-Louise Kristiansen-Bøgelund")],
    )
