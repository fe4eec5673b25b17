"""The messages of the platform itself: a staff member's password reset and invitation (to that
one log-in, by e-mail, with a link made at delivery), and the notice that retention stopped
(to the organisation's coordinators and admins)."""

from typing import TYPE_CHECKING, Any

from peerprogram.models import Organisation
from peerprogram.outbox.kinds import Audience, CoordinatorNotice, MessageKind
from peerprogram.outbox.services import Recipient, user_recipient

if TYPE_CHECKING:
    from peerprogram.privacy.retention import Plan


class StaffLogInMessage(MessageKind):
    """A message to one staff log-in, about that log-in: e-mail only, with a one-time link to
    choose a password (peerprogram.accounts.password_reset.password_reset_url)."""

    audience = Audience.STAFF
    has_sms = False
    secret_provider = "password_reset"  # noqa: S105 - a provider name, not a secret

    def __init__(self, *, user: Any, organisation: Organisation | None) -> None:
        self.user = user
        self._organisation = organisation

    def organisation(self) -> Organisation | None:
        return self._organisation

    def related(self) -> Any:
        return self.user

    def recipients(self) -> list[Recipient]:
        return [user_recipient(self.user)]

    def context(self) -> dict[str, Any]:
        return {"username": self.user.get_username()}


class PasswordReset(StaffLogInMessage):
    kind = "password_reset"


class StaffInvitation(StaffLogInMessage):
    """A new log-in in `organisation` with `role` (a Membership.Role value)."""

    kind = "staff_invitation"

    def __init__(self, *, user: Any, organisation: Organisation, role: str) -> None:
        super().__init__(user=user, organisation=organisation)
        self.role = role

    def context(self) -> dict[str, Any]:
        organisation = self.organisation()
        return {
            **super().context(),
            "organisation": organisation.name if organisation else "",
            "role": self.role,
        }


class RetentionStopped(CoordinatorNotice):
    """The nightly retention run stopped for an organisation (peerprogram.privacy.retention):
    it would have anonymised more than its policy allows at once."""

    kind = "retention_stopped"

    def __init__(self, *, plan: "Plan") -> None:
        self.plan = plan

    def organisation(self) -> Organisation:
        return self.plan.organisation

    def related(self) -> Organisation:
        return self.plan.organisation

    def dedupe_key(self, recipient: Recipient) -> str:
        # Once a day per organisation and person, however often the run is tried.
        return f"retention_stopped:{self.plan.organisation.pk}:{self.plan.today}:{recipient.key}"

    def context(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "organisation": plan.organisation.name,
            "day": plan.today,
            "total": plan.total,
            "population": plan.population,
            "share": round(plan.share),
            "limit": plan.policy.max_share_per_run,
        }
