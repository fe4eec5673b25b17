"""The real SMS gateways: GatewayAPI and CPSMS, chosen by `SMS_BACKEND` and configured by env
(see settings and .env.example).

Both speak JSON over HTTPS. The request is made in two steps so that a failure can be told
apart by when it happened: before the request was written (refused connection, DNS, connect
timeout) nothing was sent and the outbox retries; after it was written (no answer in time, a
dropped connection) the SMS may have gone, and the row becomes `uncertain`.
"""

import base64
import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.urls import reverse

from peerprogram.outbox.sms import BaseSmsBackend, SmsDeliveryError, SmsOutcomeUnknown, SmsRefused

# The longest text of a gateway's answer kept on the row as the reason.
REASON_LENGTH = 500


@dataclass(frozen=True)
class GatewayAnswer:
    status: int
    body: str

    def json(self) -> dict:
        try:
            data = json.loads(self.body)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


def post_json(*, url: str, payload: dict, headers: dict[str, str]) -> GatewayAnswer:
    """POST `payload` as JSON; raise SmsDeliveryError if nothing was sent and
    SmsOutcomeUnknown if the request went out but no full answer came back."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    connection = connection_class(
        parts.hostname or "",
        parts.port,
        timeout=settings.SMS_CONNECT_TIMEOUT_SECONDS,
        **kwargs,  # type: ignore[arg-type]
    )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    try:
        connection.connect()
    except OSError as error:  # refused, unreachable, TLS, connect timeout: nothing was sent
        connection.close()
        raise SmsDeliveryError(f"could not connect to {parts.hostname}: {error}") from error
    try:
        if connection.sock is not None:
            connection.sock.settimeout(settings.SMS_READ_TIMEOUT_SECONDS)
        connection.request(
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        )
        response = connection.getresponse()
        return GatewayAnswer(response.status, response.read().decode("utf-8", "replace"))
    except (OSError, http.client.HTTPException) as error:
        # socket.timeout is an OSError: the request was (at least partly) written.
        kind = "no answer in time" if isinstance(error, socket.timeout) else "connection lost"
        raise SmsOutcomeUnknown(
            f"{parts.hostname}: {kind} after the message was sent ({error})"
        ) from error
    finally:
        connection.close()


def raise_for_answer(answer: GatewayAnswer, reason: str) -> None:
    """A 2xx passes; 429 and 5xx are retried; any other answer is a refusal for good."""
    if 200 <= answer.status < 300:
        return
    text = f"HTTP {answer.status}: {reason or answer.body}"[:REASON_LENGTH]
    if answer.status == 429 or answer.status >= 500:
        raise SmsDeliveryError(text)
    raise SmsRefused(text)


def msisdn(number: str) -> str:
    """The number as the gateways want it: digits only, country code first (`4520304050`).

    Numbers may be stored as typed (`20 30 40 50`, see peerprogram.phones); one that is not a
    valid number is refused here, as the gateway would refuse it."""
    try:
        parsed = phonenumbers.parse(number, "DK")
    except phonenumbers.NumberParseException as error:
        raise SmsRefused(f"not a phone number: {error}") from error
    if not number.replace(" ", "").lstrip("+").isascii() or not phonenumbers.is_valid_number(
        parsed
    ):
        raise SmsRefused("not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


class GatewayApiSmsBackend(BaseSmsBackend):
    """GatewayAPI's Message API (`POST /mobile/single` on messaging.gatewayapi.com or .eu).

    Request `{"sender", "message", "recipient": <msisdn as integer>, "reference"}` with
    `Authorization: Token <token>`; the answer carries the message id as `msg_id`. The field
    names follow GatewayAPI's public Message API documentation as far as it could be read;
    the answer's id is also taken from `id` or `ids[0]` (the older REST API's names) so a
    renamed field does not lose the reference. Delivery reports come to the webhook view
    signed with a JWT (peerprogram.outbox.delivery_reports).
    """

    def send(self, *, to: str, body: str, reference: str = "", sender: str = "") -> str:
        payload: dict = {
            "sender": sender or settings.SMS_SENDER,
            "message": body,
            "recipient": int(msisdn(to)),
        }
        if reference:
            payload["reference"] = reference
        answer = post_json(
            url=settings.GATEWAYAPI_URL,
            payload=payload,
            headers={"Authorization": f"Token {settings.GATEWAYAPI_TOKEN}"},
        )
        data = answer.json()
        raise_for_answer(answer, str(data.get("message") or data.get("detail") or ""))
        ids = data.get("ids") or [None]
        return str(data.get("msg_id") or data.get("id") or ids[0] or "")


class CpsmsSmsBackend(BaseSmsBackend):
    """CPSMS (`POST https://api.cpsms.dk/v2/send`, HTTP Basic `username:apikey`).

    Request `{"to", "message", "from", "reference", "dlr_url"}`. CPSMS gives no message id in
    its answer (`{"success": [{"to", "cost"}]}`) and posts delivery reports to `dlr_url` with
    `status` and `receiver` added, so our reference travels in that URL's path. A 200 answer can
    still list the recipient under `error` (e.g. a number that does not fit its country):
    that is a refusal.
    """

    def send(self, *, to: str, body: str, reference: str = "", sender: str = "") -> str:
        credentials = f"{settings.CPSMS_USERNAME}:{settings.CPSMS_API_KEY}".encode()
        payload = {"to": msisdn(to), "message": body, "from": sender or settings.SMS_SENDER}
        if reference:
            payload["reference"] = reference
            payload["dlr_url"] = cpsms_report_url(reference=reference)
        answer = post_json(
            url=settings.CPSMS_URL,
            payload=payload,
            headers={"Authorization": f"Basic {base64.b64encode(credentials).decode()}"},
        )
        data = answer.json()
        error = data.get("error")
        errors = error if isinstance(error, list) else [error] if error else []
        reasons = "; ".join(
            str(item.get("message") or item.get("errMsg") or item)
            if isinstance(item, dict)
            else str(item)
            for item in errors
        )
        raise_for_answer(answer, reasons)
        if errors:
            raise SmsRefused(f"HTTP {answer.status}: {reasons}"[:REASON_LENGTH])
        return ""


def cpsms_report_url(*, reference: str) -> str:
    """Where CPSMS posts the report: the secret and our reference are in the path, because
    CPSMS appends its own `?status=…&receiver=…` to the URL."""
    path = reverse(
        "sms_report_cpsms",
        kwargs={"secret": settings.CPSMS_CALLBACK_SECRET, "reference": reference},
    )
    return f"{settings.SITE_URL}{path}"
