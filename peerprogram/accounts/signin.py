"""Hardened staff sign-in: the two-factor rule, TOTP devices, and purging failed log-ins.

Staff (coordinators and superusers) sign in with a password and then a six-digit code from an
authenticator app when `settings.STAFF_2FA_REQUIRED` is on. Peers and referrers sign in with a
password only. Failed log-ins are counted by django-axes (see `AXES_*` in settings).
"""

import datetime
from base64 import b32encode

import django_otp
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerprogram import printing

DEVICE_NAME = "Godkendelses-app"
# The session's own unconfirmed device while a staff member sets up an app (pending_device).
PENDING_DEVICE_SESSION_KEY = "staff_setup_device"


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def staff_must_verify(user) -> bool:
    """True while a signed-in staff member still owes the second factor."""
    if not (settings.STAFF_2FA_REQUIRED and is_staff(user)):
        return False
    # OTPMiddleware adds is_verified(); a user object without it has verified nothing.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_device(request) -> TOTPDevice:
    """The unconfirmed device this session is setting up, with a key of its own.

    The key belongs to the session that was shown it: another session signed in with the same
    password gets a different key, so one who learnt the password cannot copy the key the real
    user is about to confirm.
    """
    device = TOTPDevice.objects.filter(
        pk=request.session.get(PENDING_DEVICE_SESSION_KEY), user=request.user, confirmed=False
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def throttled_until(device: TOTPDevice) -> datetime.datetime | None:
    """When a device throttled after wrong codes accepts a code again, or None if it does now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    return (details or {}).get("locked_until") or timezone.now()


def device_verify(request, device: TOTPDevice, token: str) -> bool:
    """Check a code against the device; on success the session counts as verified."""
    verified = django_otp.verify_token(request.user, device.persistent_id, token)
    if verified is None:
        return False
    _session_verified(request, verified)
    return True


def device_confirm(request, device: TOTPDevice, token: str) -> bool:
    """Confirm a device being set up with its first code, and verify the session with it.

    Every other session's pending key is deleted with it, so no copy of one works later.
    """
    user = request.user
    with transaction.atomic():
        # The user's row lock makes two sessions confirming at once add one device, not two.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None or confirmed_device(user) is not None:
            return False
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    _session_verified(request, device)
    return True


def _session_verified(request, device: TOTPDevice) -> None:
    # A new session key for the higher privilege, as Django does at log-in.
    request.session.cycle_key()
    django_otp.login(request, device)


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (no script, no request)."""
    return printing.qr_data_uri(device.config_url, scale=5, border=4)


def login_attempts_purge(*, now=None) -> int:
    """Forget failed log-ins older than the cool-off: they no longer lock anyone out."""
    threshold = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=threshold).delete()
    return deleted
