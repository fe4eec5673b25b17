"""Whom a citizen can call or write to: the one answer for every page and message that says
"kontakt os".

A programme may have a contact of its own; otherwise the organisation's contact answers. An
organisation that has named no contact yet is reached through its data-protection address,
which it must have, so no message ends with nobody to ask.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerprogram.templatetags.phones import phone

if TYPE_CHECKING:
    from peerprogram.models import Organisation


@dataclass(frozen=True)
class Contact:
    organisation: str
    name: str
    phone: str
    email: str
    # An invented demo contact, shown with "Eksempel" on the public pages.
    is_example: bool = False

    def __str__(self) -> str:
        """One line for a text that is not a page, e.g. a form's help text:
        "Lene, peer-koordinator (20 30 40 50, kontakt@lejre.eksempel.dk)"."""
        ways = ", ".join(way for way in (phone(self.phone), self.email) if way)
        return f"{self.name or self.organisation} ({ways})"

    def as_context(self) -> dict[str, str]:
        """For a message's stored context (JSON)."""
        context = asdict(self)
        del context["is_example"]
        return context


def contact_for(*, organisation: Organisation, program: Any = None) -> Contact:
    """The contact for `program` (a groups.Program, or None for the organisation itself)."""
    if program is not None and (program.contact_phone or program.contact_email):
        return Contact(
            organisation=organisation.name,
            name=program.contact_name,
            phone=program.contact_phone,
            email=program.contact_email,
            is_example="contact_name" in program.example_fields,
        )
    if organisation.contact_phone or organisation.contact_email:
        return Contact(
            organisation=organisation.name,
            name=organisation.contact_name,
            phone=organisation.contact_phone,
            email=organisation.contact_email,
            is_example=organisation.contact_is_example,
        )
    return Contact(
        organisation=organisation.name,
        name=organisation.privacy_contact,
        phone=organisation.privacy_phone,
        email=organisation.privacy_email,
    )


def validate_contact(source: Any) -> None:
    """A named contact person needs a way to reach them: contact_for passes over a contact
    with neither phone nor e-mail, so the name alone would silently never be shown."""
    if source.contact_name and not (source.contact_phone or source.contact_email):
        raise ValidationError(
            {
                "contact_phone": _(
                    "Skriv en kontakttelefon eller en kontakt-e-mail, så borgerne kan nå "
                    "kontaktpersonen."
                )
            }
        )
