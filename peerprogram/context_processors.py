from django.utils.functional import SimpleLazyObject

from peerprogram.models import Organisation


def public_footer(request):
    """Organisations whose help contacts the footer lists when a page belongs to no single one.

    Lazy, so pages that never render the public footer (the admin) run no query.
    """

    def organisations():
        return list(Organisation.objects.prefetch_related("help_contacts").order_by("name"))

    return {"footer_organisations": SimpleLazyObject(organisations)}
