"""Whom a citizen can call or write to: the one answer for every page and message that says
"kontakt os".

A programme may have a contact of its own; otherwise the organisation's contact answers. An
organisation that has named no contact yet is reached through its data-protection address,
which it must have, so no message ends with nobody to ask.
"""

from dataclasses import asdict, dataclass
from typing import Any

from peerprogram.models import Organisation


@dataclass(frozen=True)
class Contact:
    organisation: str
    name: str
    phone: str
    email: str

    def as_context(self) -> dict[str, str]:
        """For a message's stored context (JSON)."""
        return asdict(self)


def contact_for(*, organisation: Organisation, program: Any = None) -> Contact:
    """The contact for `program` (a groups.Program, or None for the organisation itself)."""
    for source in (program, organisation):
        if source is not None and (source.contact_phone or source.contact_email):
            return Contact(
                organisation=organisation.name,
                name=source.contact_name,
                phone=source.contact_phone,
                email=source.contact_email,
            )
    return Contact(
        organisation=organisation.name,
        name=organisation.privacy_contact,
        phone=organisation.privacy_phone,
        email=organisation.privacy_email,
    )
