"""The workspace's start page, and where a signed-in person lands."""

from django.shortcuts import redirect, render
from django.utils import timezone

from peerprogram.permissions import (
    Purpose,
    coordinated_organisation_ids,
    coordinator_page,
    may_somewhere,
    signed_in,
)
from peerprogram.workspace import queue


@coordinator_page
def today(request):
    """ "I dag": the work queue, and the sessions of this week and the next."""
    now = timezone.now()
    organisation_ids = coordinated_organisation_ids(request.user)
    arguments = {"user": request.user, "organisation_ids": organisation_ids, "now": now}
    context = {
        "items": queue.work_queue(**arguments),
        "sections": queue.today_sections(**arguments),
    }
    return render(request, "workspace/today.html", context)


@signed_in
def landing(request):
    """After signing in: coordinators (and superusers) to the workspace, peers to their
    sessions, everyone else to the public pages."""
    if may_somewhere(request.user, Purpose.COORDINATE):
        return redirect("workspace:today")
    if hasattr(request.user, "peer"):
        return redirect("volunteers:schedule")
    return redirect("home")
