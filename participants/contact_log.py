"""The contact log of a registration: who called the person, got no answer, agreed what, and
when. A coordinator's working notes about a person, so personal data: the person's export
holds them and anonymising the person deletes them (participants.privacy)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import ContactLogEntry, Registration


def contact_log_add(
    *, registration: Registration, kind: str, note: str, day: datetime.date, user: Any
) -> ContactLogEntry:
    """Note a contact with the person about `registration` on `day` (not in the future)."""
    if kind not in ContactLogEntry.Kind.values:
        raise ValidationError(_("Vælg, hvad der skete."))
    if day > timezone.localdate():
        raise ValidationError(_("Datoen ligger i fremtiden."))
    entry = ContactLogEntry(
        registration=registration, kind=kind, note=note.strip(), day=day, user=user
    )
    entry.full_clean()
    entry.save()
    return entry
