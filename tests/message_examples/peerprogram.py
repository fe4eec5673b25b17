"""Examples of the platform's own messages (peerprogram.message_kinds): to one staff log-in,
and to an organisation's coordinators."""

import datetime

from peerprogram.message_kinds import PasswordReset, RetentionStopped, StaffInvitation
from peerprogram.models import Membership, RetentionPolicy
from peerprogram.privacy.retention import Plan, RetentionSource, SourcePlan
from tests.factories import CoordinatorFactory, UserFactory
from tests.message_examples import example
from tests.message_examples.common import long_course


def _staff_member():
    return UserFactory(
        username="mette-marie.kristiansen-holm",
        first_name="Mette-Marie",
        last_name="Kristiansen-Holm",
        email="mette-marie@lejre.eksempel.dk",
    )


@example("password_reset")
def password_reset():
    return PasswordReset(user=_staff_member(), organisation=long_course().program.organisation)


@example("staff_invitation")
def staff_invitation():
    return StaffInvitation(
        user=_staff_member(),
        organisation=long_course().program.organisation,
        role=Membership.Role.STATISTICS,
    )


class _Due:
    def __init__(self, pk):
        self.pk = pk


@example("retention_stopped")
def retention_stopped():
    organisation = long_course().program.organisation
    CoordinatorFactory(organisations=[organisation], email="koordinator@lejre.eksempel.dk")
    participants = RetentionSource(
        name="participants",
        label="Deltagere",
        due=lambda *args: [],
        anonymise=lambda item: None,
        population=lambda organisation: 0,
    )
    return RetentionStopped(
        plan=Plan(
            organisation=organisation,
            policy=RetentionPolicy(organisation=organisation, max_share_per_run=20),
            today=datetime.date(2027, 9, 29),
            population=120,
            sources=[SourcePlan(source=participants, items=[_Due(pk) for pk in range(1, 31)])],
        )
    )
