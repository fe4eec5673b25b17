"""The questions a programme's eligibility rules add to the registration form (beyond birth
date and municipality, which it always asks), in Danish, built when asked so that the texts
follow the active language. participants.eligibility decides with the answers."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Question:
    """An answer a registration form must ask for, beyond birth date and municipality.

    `kind` tells the form which field to use: "birth_date", "child_birth_date",
    "municipality", "yes_no_unknown" (ja / nej / ved ikke) or "months_or_unknown" (a number of
    months, or "ved ikke").
    """

    key: str
    label: str
    kind: str
    help_text: str = ""


@dataclass(frozen=True)
class SelfDeclaredQuestion:
    key: str
    label: str
    help_text: str
    topic: str  # how a coordinator's list of open questions names it
    reason: str  # why someone who answers "no" is not eligible

    def as_question(self) -> Question:
        return Question(self.key, self.label, "yes_no_unknown", self.help_text)


def _reduced_mental_functioning() -> SelfDeclaredQuestion:
    return SelfDeclaredQuestion(
        key="reduced_mental_functioning",
        label=_("Har du det svært psykisk, så det går ud over din hverdag?"),
        help_text=_(
            "Det kan fx være angst, tristhed, uro eller at du let bliver overvældet. "
            "Du behøver ikke at have en diagnose."
        ),
        topic=_("Nedsat psykisk funktionsevne eller psykisk sårbarhed"),
        reason=_(
            "Forløbet er for personer, der oplever nedsat psykisk funktionsevne "
            "eller psykisk sårbarhed."
        ),
    )


# Built on each call, so the texts follow the language that is active then.
SELF_DECLARED: dict[str, Callable[[], SelfDeclaredQuestion]] = {
    "reduced_mental_functioning": _reduced_mental_functioning,
}


def all_questions() -> list[Question]:
    return [
        Question(
            key="child_birth_date",
            label=_("Hvornår er dit barn født?"),
            kind="child_birth_date",
            help_text=_("Fødselsdatoen på det barn, du vil deltage for."),
        ),
        *(make().as_question() for make in SELF_DECLARED.values()),
        Question(
            key="psychiatric_services_months",
            label=_("Hvor mange måneder har du i alt været tilknyttet psykiatrien?"),
            kind="months_or_unknown",
            help_text=_(
                "Læg tiden i socialpsykiatrien (fx bostøtte eller værested) og i "
                "behandlingspsykiatrien (fx ambulant behandling eller indlæggelse) sammen. "
                "Vælg »ved ikke«, hvis du ikke er sikker."
            ),
        ),
    ]
