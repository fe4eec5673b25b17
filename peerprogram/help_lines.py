"""The crisis box on pages that belong to no single organisation: 112 and the lines several
organisations list (national lines such as Livslinien) once, and each organisation's own
lines one tap away, instead of every organisation's full list in a row."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from peerprogram.models import HelpContact, Organisation


@dataclass
class OrganisationLines:
    organisation: Organisation
    lines: list[HelpContact] = field(default_factory=list)


@dataclass
class HelpLines:
    shared: list[HelpContact]
    by_organisation: list[OrganisationLines]


def _key(line: HelpContact) -> str:
    digits = re.sub(r"\D", "", line.phone or "")
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    return digits or line.url or line.label.casefold()


def help_lines(organisations: Iterable[Organisation]) -> HelpLines:
    """Split the organisations' help contacts (prefetched) into the lines more than one of them
    lists, each once in the order first met, and each organisation's own lines."""
    organisations = list(organisations)
    listed_by = Counter(
        key
        for organisation in organisations
        for key in {_key(line) for line in organisation.help_contacts.all()}
    )
    shared: dict[str, HelpContact] = {}
    by_organisation = []
    for organisation in organisations:
        own = OrganisationLines(organisation)
        for line in organisation.help_contacts.all():
            key = _key(line)
            if listed_by[key] > 1:
                shared.setdefault(key, line)
            else:
                own.lines.append(line)
        by_organisation.append(own)
    return HelpLines(shared=list(shared.values()), by_organisation=by_organisation)
