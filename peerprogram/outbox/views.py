"""The SMS gateways' delivery reports: thin views over outbox.services.message_delivery_report.

The gateways are not signed in, so these are `public`, exempt from CSRF and rate-limited per
address; the staff two-factor step and django-axes' lockout only concern signed-in staff and
log-ins, so they do not stand in the way. What proves a report genuine is GatewayAPI's JWT
signature (HS256 in `X-Gwapi-Signature`, with the secret set in its dashboard) or, for CPSMS,
which signs nothing, the secret in the URL we gave it. A forged, unsigned or unknown report
gets a 4xx and changes nothing.
"""

import base64
import binascii
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from peerprogram import ratelimit
from peerprogram.outbox import services
from peerprogram.permissions import public

# GatewayAPI's status names (its delivery status webhook); the rest are not final.
GATEWAYAPI_DELIVERED = {"DELIVERED"}
GATEWAYAPI_FAILED = {"EXPIRED", "DELETED", "UNDELIVERABLE", "REJECTED", "SKIPPED"}
# CPSMS's `status` parameter: 1 delivered, 2 failed, 3 buffered, 4 abandoned.
CPSMS_STATUS = {"1": True, "2": False, "4": False}
CPSMS_REASONS = {"2": "levering mislykkedes", "4": "levering opgivet"}
OUTCOME_STATUS = {
    services.ReportOutcome.UNKNOWN: 404,
    services.ReportOutcome.APPLIED: 200,
    services.ReportOutcome.PENDING: 200,
    # A report about a settled row is answered 200 so the gateway stops sending it again.
    services.ReportOutcome.LATE: 200,
}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_hs256_claims(token: str, secret: str) -> dict | None:
    """The claims of a JWT signed with HS256 and `secret`, or None if it is not one (any other
    algorithm, "none" included, a bad signature, or past its `exp`)."""
    try:
        header_part, claims_part, signature_part = token.split(".")
        header = json.loads(_b64decode(header_part))
        claims = json.loads(_b64decode(claims_part))
        signature = _b64decode(signature_part)
    except (ValueError, binascii.Error):
        return None
    if not secret or not isinstance(header, dict) or header.get("alg") != "HS256":
        return None
    expected = hmac.new(
        secret.encode(), f"{header_part}.{claims_part}".encode(), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(expected, signature) or not isinstance(claims, dict):
        return None
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires < time.time():
        return None
    return claims


def _rate_limited(request) -> bool:
    return not ratelimit.allow(
        f"sms-report:{ratelimit.client_ip(request)}",
        limit=settings.SMS_REPORT_LIMIT_PER_MINUTE,
        window_seconds=60,
    )


@public
@csrf_exempt
@require_POST
def gatewayapi_report(request):
    if _rate_limited(request):
        return HttpResponse(status=429)
    claims = jwt_hs256_claims(
        request.headers.get("X-Gwapi-Signature", ""), settings.GATEWAYAPI_WEBHOOK_SECRET
    )
    if claims is None:
        return HttpResponse(status=403)
    status = str(claims.get("status", "")).upper()
    delivered = (
        True if status in GATEWAYAPI_DELIVERED else False if status in GATEWAYAPI_FAILED else None
    )
    reason = " ".join(str(claims.get(key) or "") for key in ("error", "code")).strip()
    outcome = services.message_delivery_report(
        # `reference` in the Message API; `userref` in the older REST API's webhook.
        reference=str(claims.get("reference") or claims.get("userref") or ""),
        gateway_message_id=str(claims.get("msg_id") or claims.get("id") or ""),
        delivered=delivered,
        reason=reason or status,
    )
    return HttpResponse(status=OUTCOME_STATUS[outcome])


@public
@csrf_exempt
@require_POST
def cpsms_report(request, secret: str, reference: str):
    if _rate_limited(request):
        return HttpResponse(status=429)
    expected = settings.CPSMS_CALLBACK_SECRET
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        return HttpResponse(status=403)
    status = request.GET.get("status") or request.POST.get("status", "")
    outcome = services.message_delivery_report(
        reference=reference,
        delivered=CPSMS_STATUS.get(status),
        reason=CPSMS_REASONS.get(status, f"status {status}"),
    )
    return HttpResponse(status=OUTCOME_STATUS[outcome])
