"""The decisions a coordinator makes on a registration in the workspace, by their slug in the
URL (participants.workspace.views), and which of them a registration offers now."""

from django.utils.translation import gettext_lazy as _

from participants.models import Registration

# slug: (the status it sets, None for a move to another course; the button's text)
DECISIONS = {
    "optag": (Registration.Status.ACCEPTED, _("Optag")),
    "venteliste": (Registration.Status.WAITLISTED, _("Sæt på venteliste")),
    "afvis": (Registration.Status.DECLINED, _("Afvis")),
    "flyt": (None, _("Flyt til et andet forløb")),
}

# The decision a status already is: not offered again.
_CURRENT = {
    Registration.Status.ACCEPTED: "optag",
    Registration.Status.AWAITING_CUSTODY: "optag",
    Registration.Status.WAITLISTED: "venteliste",
}


def available_decisions(registration: Registration) -> list[tuple[str, str]]:
    """The decisions a registration offers now (slug, label): none once it is no longer
    live, and not the status it has already."""
    if registration.status not in Registration.LIVE:
        return []
    current = _CURRENT.get(registration.status)
    return [(slug, label) for slug, (_status, label) in DECISIONS.items() if slug != current]
