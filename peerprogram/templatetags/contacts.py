"""Whom to ask, on every public page that used to say "kontakt os":
{% load contacts %}{% contact_card organisation program %}.

The contact comes from peerprogram.contacts.contact_for (a programme's own contact wins over
the organisation's). Without an organisation — a link nobody recognises — the card points to
the organisations' own pages, which the footer has already loaded (`footer_help`).
"""

from typing import Any

from django import template

from peerprogram.contacts import contact_for

register = template.Library()


@register.inclusion_tag("includes/contact_card.html", takes_context=True)
def contact_card(context: template.Context, organisation: Any = None, program: Any = None):
    if organisation is None:
        footer = context.get("footer_help")
        organisations = [entry.organisation for entry in footer.by_organisation] if footer else []
        return {"contact": None, "organisations": organisations}
    return {"contact": contact_for(organisation=organisation, program=program)}
