"""The real SMS gateways (GatewayAPI, CPSMS) against a fake gateway on 127.0.0.1, their
delivery reports, and quiet hours for reminders."""

import base64
import datetime
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprogram.models import OutboxMessage
from peerprogram.outbox import services as outbox
from peerprogram.outbox import views
from peerprogram.outbox.quiet_hours import sms_held_until
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import OutboxMessageFactory, SessionFactory

pytestmark = pytest.mark.django_db

GATEWAYAPI = "peerprogram.outbox.sms_gateways.GatewayApiSmsBackend"
CPSMS = "peerprogram.outbox.sms_gateways.CpsmsSmsBackend"
WEBHOOK_SECRET = "gwapi-webhook-secret"  # noqa: S105 - a test value
CALLBACK_SECRET = "cpsms-callback-secret"  # noqa: S105 - a test value
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class FakeGateway:
    """A gateway on 127.0.0.1 that answers every POST with `status` and `body` (after `delay`
    seconds) and keeps what it got."""

    def __init__(self):
        self.status, self.body, self.delay = 200, {}, 0.0
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(self.rfile.read(length) or b"{}"),
                    }
                )
                time.sleep(gateway.delay)
                answer = json.dumps(gateway.body).encode()
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def client():
    """The gateways post without a CSRF token, as a real gateway does."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def fake_gateway():
    gateway = FakeGateway()
    yield gateway
    gateway.stop()


@pytest.fixture(params=[GATEWAYAPI, CPSMS])
def backend(request, settings, fake_gateway):
    """Each test runs against both gateways, pointed at the fake one."""
    settings.SMS_BACKEND = request.param
    settings.SMS_SENDER = "Peerforloeb"
    settings.GATEWAYAPI_URL = f"{fake_gateway.url}/mobile/single"
    settings.GATEWAYAPI_TOKEN = "gwapi-token"  # noqa: S105 - a test value
    settings.GATEWAYAPI_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.CPSMS_URL = f"{fake_gateway.url}/v2/send"
    settings.CPSMS_USERNAME = "peer"
    settings.CPSMS_API_KEY = "cpsms-key"
    settings.CPSMS_CALLBACK_SECRET = CALLBACK_SECRET
    settings.SMS_CONNECT_TIMEOUT_SECONDS = 2
    settings.SMS_READ_TIMEOUT_SECONDS = 0.5
    settings.OUTBOX_MAX_ATTEMPTS = 5
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    return request.param


def success_answer(backend):
    if backend == GATEWAYAPI:
        return {"msg_id": "01HGW-42"}
    return {"success": [{"to": "4520304050", "cost": 1}]}


def sms(**extra):
    return OutboxMessageFactory(
        **{"channel": OutboxMessage.Channel.SMS, "recipient_address": "+4520304050", **extra}
    )


def test_a_gateway_takes_the_sms_and_the_row_is_sent_with_its_reference(backend, fake_gateway):
    fake_gateway.body = success_answer(backend)
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.sent and message.status == OutboxMessage.Status.SENT
    assert re.fullmatch(rf"outbox-{message.pk}-[0-9a-f]{{8}}", message.gateway_reference)
    (request,) = fake_gateway.requests
    sent = request["json"]
    if backend == GATEWAYAPI:
        assert request["path"] == "/mobile/single"
        assert request["headers"]["Authorization"] == "Token gwapi-token"
        assert sent["recipient"] == 4520304050 and sent["sender"] == "Peerforloeb"
        assert sent["reference"] == message.gateway_reference
        assert message.gateway_message_id == "01HGW-42"
    else:
        assert request["path"] == "/v2/send"
        expected = base64.b64encode(b"peer:cpsms-key").decode()
        assert request["headers"]["Authorization"] == f"Basic {expected}"
        assert (sent["to"], sent["from"]) == ("4520304050", "Peerforloeb")
        assert sent["reference"] == message.gateway_reference
        assert sent["dlr_url"].endswith(
            f"/sms/levering/cpsms/{CALLBACK_SECRET}/{message.gateway_reference}/"
        )
    assert "Vejen til Hverdagslivet" not in message.last_error
    assert sent["message"] == message.body


def test_a_refusal_4xx_fails_the_row_at_once_with_the_gateways_reason(backend, fake_gateway):
    fake_gateway.status = 400
    fake_gateway.body = (
        {"message": "Invalid recipient"}
        if backend == GATEWAYAPI
        else {"error": {"code": 400, "message": "Invalid recipient"}}
    )
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert not outcome.sent and outcome.retry_in is None
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
    assert "Invalid recipient" in message.last_error and "HTTP 400" in message.last_error


@pytest.mark.parametrize("number", ["20 30 40 50", "+45 20304050"])
def test_a_number_stored_as_typed_goes_to_the_gateway_with_its_country_code(
    backend, fake_gateway, number
):
    fake_gateway.body = success_answer(backend)

    outbox.message_deliver(message_id=sms(recipient_address=number).pk)

    sent = fake_gateway.requests[0]["json"]
    assert str(sent.get("recipient") or sent.get("to")) == "4520304050"


def test_a_number_that_is_not_one_fails_without_asking_the_gateway(backend, fake_gateway):
    message = sms(recipient_address="٢٠٣٠٤٠٥٠")

    outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and fake_gateway.requests == []


def test_too_many_requests_429_is_retried_with_backoff(backend, fake_gateway):
    fake_gateway.status, fake_gateway.body = 429, {"message": "Slow down"}
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.retry_in == 60 and message.status == OutboxMessage.Status.PENDING


def test_a_gateway_error_5xx_is_retried_later_with_the_existing_backoff(backend, fake_gateway):
    fake_gateway.status, fake_gateway.body = 503, {"message": "Down for maintenance"}
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.retry_in == 60
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert "HTTP 503" in message.last_error
    assert message.next_attempt_at > message.created_at


def test_a_refused_connection_before_sending_is_retried(backend, settings, fake_gateway):
    fake_gateway.stop()  # nothing listens on the port any more
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.retry_in == 60 and message.status == OutboxMessage.Status.PENDING
    fake_gateway.stop = lambda: None


def test_a_timeout_after_sending_makes_the_row_uncertain_and_it_is_not_resent(
    backend, fake_gateway
):
    fake_gateway.delay = 1.5  # longer than SMS_READ_TIMEOUT_SECONDS
    fake_gateway.body = success_answer(backend)
    message = sms()

    outcome = outbox.message_deliver(message_id=message.pk)
    again = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.retry_in is None and not again.sent
    assert message.status == OutboxMessage.Status.UNCERTAIN
    assert "after the message was sent" in message.last_error
    assert len(fake_gateway.requests) == 1


def gatewayapi_jwt(claims, secret=WEBHOOK_SECRET, alg="HS256"):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part({'alg': alg, 'typ': 'JWT'})}.{part(claims)}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def report(client, backend, message, *, delivered=True, secret=None, signature_secret=None):
    """Post the gateway's delivery report about `message` as the gateway would."""
    if backend == GATEWAYAPI:
        claims = {
            "msg_id": message.gateway_message_id,
            "reference": message.gateway_reference,
            "status": "DELIVERED" if delivered else "UNDELIVERABLE",
            "error": None if delivered else "Absent subscriber",
        }
        token = gatewayapi_jwt(claims, secret=signature_secret or WEBHOOK_SECRET)
        return client.post(
            reverse("sms_report_gatewayapi"),
            data=json.dumps(claims),
            content_type="application/json",
            headers={"X-Gwapi-Signature": token},
        )
    url = reverse(
        "sms_report_cpsms",
        kwargs={"secret": secret or CALLBACK_SECRET, "reference": message.gateway_reference},
    )
    return client.post(f"{url}?status={1 if delivered else 2}&receiver=4520304050")


def sent_sms(backend, fake_gateway):
    fake_gateway.body = success_answer(backend)
    message = sms()
    outbox.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    return message


def test_a_delivery_report_marks_the_row_delivered(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)

    response = report(client, backend, message)

    message.refresh_from_db()
    assert response.status_code == 200
    assert message.status == OutboxMessage.Status.SENT and message.delivered_at


def test_a_failure_report_fails_the_row_with_the_gateways_reason(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)

    response = report(client, backend, message, delivered=False)

    message.refresh_from_db()
    assert response.status_code == 200 and message.status == OutboxMessage.Status.FAILED
    expected = "Absent subscriber" if backend == GATEWAYAPI else "levering mislykkedes"
    assert expected in message.last_error


def test_a_report_settles_an_uncertain_row(backend, fake_gateway, client):
    fake_gateway.delay = 1.5
    fake_gateway.body = success_answer(backend)
    message = sms()
    outbox.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.UNCERTAIN

    report(client, backend, message)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.delivered_at


def test_a_late_report_about_an_earlier_attempt_does_not_touch_a_resent_row(
    backend, fake_gateway, client, superuser
):
    message = sent_sms(backend, fake_gateway)
    report(client, backend, message, delivered=False)
    first_attempt = OutboxMessage.objects.get(pk=message.pk)
    outbox.message_resend(message=first_attempt, user=superuser)
    outbox.message_deliver(message_id=message.pk)

    late = report(client, backend, first_attempt, delivered=True)

    message.refresh_from_db()
    assert message.gateway_reference != first_attempt.gateway_reference
    assert late.status_code == 404 and message.delivered_at is None


def test_a_late_report_after_the_row_was_settled_changes_nothing(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)
    report(client, backend, message)
    message.refresh_from_db()
    delivered_at = message.delivered_at

    late = report(client, backend, message, delivered=False)

    message.refresh_from_db()
    assert late.status_code == 200  # so the gateway stops sending it
    assert message.status == OutboxMessage.Status.SENT and message.delivered_at == delivered_at
    assert message.last_error == ""


def test_a_forged_report_is_refused_and_changes_nothing(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)

    forged = report(client, backend, message, secret="guessed", signature_secret="not-the-secret")

    message.refresh_from_db()
    assert forged.status_code == 403
    assert message.status == OutboxMessage.Status.SENT and message.delivered_at is None


def test_an_unsigned_or_none_algorithm_gatewayapi_report_is_refused(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)
    claims = {"reference": message.gateway_reference, "status": "DELIVERED"}
    url = reverse("sms_report_gatewayapi")

    unsigned = client.post(url, data=json.dumps(claims), content_type="application/json")
    none_alg = client.post(url, headers={"X-Gwapi-Signature": gatewayapi_jwt(claims, alg="none")})

    message.refresh_from_db()
    assert (unsigned.status_code, none_alg.status_code) == (403, 403)
    assert message.delivered_at is None


def test_a_report_about_an_unknown_reference_gets_404(backend, fake_gateway, client):
    message = sent_sms(backend, fake_gateway)
    message.gateway_reference, message.gateway_message_id = "outbox-999999-1", "nope"

    response = report(client, backend, message)

    assert response.status_code == 404
    assert not OutboxMessage.objects.filter(delivered_at__isnull=False).exists()


def test_delivery_reports_are_rate_limited(backend, fake_gateway, client, settings):
    cache.clear()
    settings.SMS_REPORT_LIMIT_PER_MINUTE = 1
    message = sent_sms(backend, fake_gateway)

    first, second = report(client, backend, message), report(client, backend, message)

    assert (first.status_code, second.status_code) == (200, 429)


def test_delivery_report_views_are_public():
    for view in (views.gatewayapi_report, views.cpsms_report):
        assert view.access == "public"


# Quiet hours: reminders by SMS wait from 21 to 8 local time; urgent change notices go.


@pytest.fixture
def quiet_hours(settings):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = 21, 8


def at(hour, minute=0, day=14):
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=COPENHAGEN)


def about_session(kind, starts_at):
    session = SessionFactory(starts_at=starts_at)
    return sms(
        kind=kind,
        related_type=ContentType.objects.get_for_model(session),
        related_id=session.pk,
    )


@pytest.mark.parametrize(
    ("now", "until"),
    [(at(22, 30), at(8, day=15)), (at(3), at(8)), (at(20, 59), None), (at(8), None)],
)
def test_an_sms_reminder_waits_for_8_in_the_quiet_hours(quiet_hours, now, until):
    assert sms_held_until(message=sms(kind="session_reminder"), now=now) == until


def test_an_e_mail_reminder_is_never_held(quiet_hours):
    assert sms_held_until(message=OutboxMessageFactory(), now=at(23)) is None


@pytest.mark.parametrize("kind", ["session_moved", "session_cancelled"])
def test_a_change_for_a_session_within_24_hours_goes_at_once_at_night(quiet_hours, kind):
    urgent = about_session(kind, at(17, day=15))
    later = about_session(kind, at(17, day=20))

    assert sms_held_until(message=urgent, now=at(23)) is None
    assert sms_held_until(message=later, now=at(23)) == at(8, day=15)


def test_a_held_reminder_is_not_sent_and_waits_until_8(quiet_hours, monkeypatch):
    now = at(23)
    message = sms(kind="session_reminder", next_attempt_at=now)
    monkeypatch.setattr(timezone, "now", lambda: now)

    outcome = outbox.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert not outcome.sent and outcome.retry_in == 9 * 3600
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 0
    assert message.next_attempt_at == at(8, day=15) and LocmemSmsBackend.outbox == []

    monkeypatch.setattr(timezone, "now", lambda: at(8, day=15))
    assert outbox.message_deliver(message_id=message.pk).sent
    assert len(LocmemSmsBackend.outbox) == 1
