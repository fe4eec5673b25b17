"""A programme's or theme's text in the page's language: {% text program "summary" %}.

The English version (`<field>_en`) shows on English pages when it is written; without one the
Danish text shows, marked as Danish (`lang="da"`, for screen readers) and "only in Danish".
"""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.inclusion_tag("groups/includes/text.html")
def text(obj, field: str, paragraph: bool = False):
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    danish = getattr(obj, field)
    translated = getattr(obj, f"{field}_{language}", "") if language != "da" else ""
    return {
        "value": translated or danish,
        "only_danish": language != "da" and not translated and bool(danish),
        "paragraph": paragraph,
        "language": language,
    }
