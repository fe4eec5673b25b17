"""The core's own pages: the health check and an organisation's public pages."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from peerprogram.models import Organisation
from peerprogram.permissions import public
from peerprogram.privacy.retention import policy_for

logger = logging.getLogger(__name__)


@public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "error", "failing": ["database"]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("help_contacts", "programs"), slug=slug
    )
    return render(request, "peerprogram/organisation_detail.html", {"organisation": organisation})


@public
def organisation_privacy(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("help_contacts"), slug=slug
    )
    return render(
        request,
        "peerprogram/organisation_privacy.html",
        {"organisation": organisation, "policy": policy_for(organisation)},
    )


# Hardened staff sign-in. The pages live under /admin/ and look like the admin's log-in page.
