"""`{% load phones %}{{ number|phone }}`: a stored number as people read it (20 30 40 50).
A `tel:` link takes the stored number itself, which is E.164."""

from django import template

from peerprogram.phones import phone_display, phone_normalised

register = template.Library()


@register.filter
def phone(value) -> str:
    return phone_display(str(value or ""))


@register.filter
def tel(value) -> str:
    """The address for a tel: link: E.164 for a Danish number, a short number as it is."""
    return phone_normalised(str(value or "")).replace(" ", "")
