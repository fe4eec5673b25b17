from django.utils.functional import SimpleLazyObject

from peerprogram.help_lines import help_lines
from peerprogram.models import Organisation


def public_footer(request):
    """The help lines the footer lists when a page belongs to no single organisation.

    Lazy, so pages that never render the public footer (the admin) run no query.
    """

    def organisations():
        return list(Organisation.objects.prefetch_related("help_contacts").order_by("name"))

    return {"footer_help": SimpleLazyObject(lambda: help_lines(organisations()))}
