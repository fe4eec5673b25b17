"""Phone numbers as people read them: {% load phones %}{{ number|phone }} gives
"20 30 40 50" for a Danish number stored in E.164 (+4520304050) and short numbers (112,
1813) as they are; {{ number|tel }} gives the address for a tel: link."""

import re

from django import template

register = template.Library()

_DANISH = re.compile(r"(?:\+45|0045)?(\d{8})")


@register.filter
def phone(value: str) -> str:
    digits = (value or "").replace(" ", "")
    match = _DANISH.fullmatch(digits)
    if not match:
        return value or ""
    number = match.group(1)
    return " ".join(number[i : i + 2] for i in range(0, 8, 2))


@register.filter
def tel(value: str) -> str:
    digits = (value or "").replace(" ", "")
    match = _DANISH.fullmatch(digits)
    return f"+45{match.group(1)}" if match else digits
