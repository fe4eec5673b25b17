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
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerprogram import printing

DEVICE_NAME = "Godkendelses-app"


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


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device a staff member is setting up (made on first visit)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


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
    """Confirm a device being set up with its first code, and verify the session with it."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=request.user, confirmed=False
        )
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
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
