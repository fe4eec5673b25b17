"""Staff sign-in pages: the second step with an authenticator code, setting up an app, and
the page shown to a locked-out client."""

import logging
import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from peerprogram.accounts import signin
from peerprogram.accounts.forms import TokenForm
from peerprogram.permissions import public

logger = logging.getLogger(__name__)


def _admin_look(title: str) -> dict:
    return {
        "title": title,
        "site_title": admin.site.site_title,
        "site_header": admin.site.site_header,
        "site_url": "/",
    }


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _throttled_error(until) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return ngettext(
        "Der er tastet forkert kode flere gange i træk. Vent %(count)d sekund, og prøv igen.",
        "Der er tastet forkert kode flere gange i træk. Vent %(count)d sekunder, og prøv igen.",
        seconds,
    ) % {"count": seconds}


WRONG_CODE = _("Koden passer ikke. Skriv den kode, appen viser lige nu.")


@public
@never_cache
@sensitive_post_parameters("token")
def staff_verify(request):
    """Second step of a staff log-in: the code from the authenticator app."""
    if not request.user.is_authenticated:
        return redirect("admin:login")
    next_url = _next_url(request)
    if not signin.staff_must_verify(request.user):
        return redirect(next_url)
    device = signin.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("staff_setup", next_url))

    form = TokenForm(request.POST or None)
    if form.is_valid():
        if until := signin.throttled_until(device):
            form.add_error("token", _throttled_error(until))
        elif signin.device_verify(request, device, form.cleaned_data["token"]):
            return redirect(next_url)
        else:
            form.add_error("token", WRONG_CODE)
    context = {**_admin_look(_("Kode fra godkendelses-appen")), "form": form, "next": next_url}
    return render(request, "peerprogram/staff_verify.html", context)


@public
@never_cache
@sensitive_post_parameters("token")
def staff_setup(request):
    """First log-in of a staff member without an app: scan the QR code, confirm with a code."""
    if not request.user.is_authenticated:
        return redirect("admin:login")
    next_url = _next_url(request)
    if not signin.staff_must_verify(request.user):
        return redirect(next_url)
    if signin.confirmed_device(request.user) is not None:
        # A second app is added only by an administrator, never by a password alone.
        return redirect(_with_next("staff_verify", next_url))

    device = signin.pending_device(request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if until := signin.throttled_until(device):
            form.add_error("token", _throttled_error(until))
        elif signin.device_confirm(request, device, form.cleaned_data["token"]):
            messages.success(
                request, _("To-trins-log-ind er sat op. Brug appen, næste gang du logger ind.")
            )
            return redirect(next_url)
        else:
            form.add_error("token", WRONG_CODE)
    context = {
        **_admin_look(_("Sæt to-trins-log-ind op")),
        "form": form,
        "next": next_url,
        "qr_code": signin.qr_data_uri(device),
        "secret": signin.secret_for_display(device),
    }
    return render(request, "peerprogram/staff_setup.html", context)


def locked_out(request, response=None, credentials=None):
    """django-axes' answer once a username has failed too often from one address (429)."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(cool_off.total_seconds() / 60),
        "retry_at": timezone.localtime() + cool_off,
    }
    return render(request, "peerprogram/locked_out.html", context, status=429)
