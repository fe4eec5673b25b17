"""How a message leaves: an e-mail in plain text and HTML with Reply-To the person to
contact, in the recipient's language with dates in that language, an SMS from the
organisation's neutral sender name, and a mail server's refusal kept on the row."""

import datetime
import smtplib
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend

from peerprogram.models import OutboxMessage
from peerprogram.outbox import services as outbox
from peerprogram.outbox.lock_screen import sms_segments, validate_sms_sender
from peerprogram.outbox.services import MessageDraft, Recipient, messages_create
from peerprogram.outbox.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2027, 3, 9, 16, 30, tzinfo=datetime.UTC)
TEST_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]


def _course_message(organisation, language="da", **recipient):
    person = {"key": "participant:1", "name": "Sofie", "email": "sofie@eksempel.dk"}
    draft = MessageDraft(
        kind="course_message",
        recipient=Recipient(language=language, **{**person, **recipient}),
        template="tests/message",
        context={"starts_at": WHEN, "contact": {"email": "mette@lejre.eksempel.dk"}},
        organisation=organisation,
    )
    return messages_create(drafts=[draft])


def test_an_email_has_a_plain_and_an_html_part_and_replies_go_to_the_contact(org_a):
    (message_id,) = _course_message(org_a)
    outbox.message_deliver(message_id=message_id)
    (sent,) = mail.outbox
    assert sent.reply_to == ["mette@lejre.eksempel.dk"]
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="da">' in html
    assert '<a href="https://eksempel.dk/status"' in html
    assert "https://eksempel.dk/status" in sent.body


def test_without_a_named_contact_replies_go_to_the_organisation(org_a):
    org_a.contact_email = "kontakt@org-a.eksempel.dk"
    org_a.save()
    draft = MessageDraft(
        kind="course_message",
        recipient=Recipient(key="p:1", name="Bo", email="bo@eksempel.dk"),
        template="tests/message",
        context={"starts_at": WHEN},
        organisation=org_a,
    )
    (message_id,) = messages_create(drafts=[draft])
    outbox.message_deliver(message_id=message_id)
    assert mail.outbox[0].reply_to == ["kontakt@org-a.eksempel.dk"]


def test_a_message_is_written_in_the_recipients_language_with_its_dates(org_a):
    (danish,) = _course_message(org_a, language="da")
    (english,) = _course_message(org_a, language="en")
    outbox.message_deliver(message_id=danish)
    outbox.message_deliver(message_id=english)
    assert "tirsdag den 9. marts 2027 kl. 17.30" in mail.outbox[0].body
    assert "Tuesday 9 March 2027 at 17:30" in mail.outbox[1].body
    assert '<html lang="en">' in mail.outbox[1].alternatives[0][0]


class RefusingEmailBackend(EmailBackend):
    code = 550

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (self.code, b"5.1.1 User unknown")})


def test_a_mail_servers_refusal_fails_the_row_with_the_reason(org_a, settings):
    settings.EMAIL_BACKEND = "tests.peerprogram.test_outbox_delivery_form.RefusingEmailBackend"
    (message_id,) = _course_message(org_a)
    outbox.message_deliver(message_id=message_id)
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.FAILED
    assert "550 5.1.1 User unknown" in message.last_error
    assert message.attempts == 1


def test_a_busy_mail_server_is_tried_again(org_a, settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.peerprogram.test_outbox_delivery_form.RefusingEmailBackend"
    monkeypatch.setattr(RefusingEmailBackend, "code", 451)
    (message_id,) = _course_message(org_a)
    outcome = outbox.message_deliver(message_id=message_id)
    assert outcome.retry_in
    assert OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.PENDING


def test_an_sms_comes_from_the_organisations_neutral_sender_name(org_a, settings):
    settings.SMS_BACKEND = "peerprogram.outbox.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    org_a.sms_sender = "Lejre"
    org_a.save()
    (message_id,) = _course_message(org_a, email="", phone="+4520304050", sms_opt_in=True)
    outbox.message_deliver(message_id=message_id)
    assert LocmemSmsBackend.outbox[0]["sender"] == "Lejre"


@pytest.mark.parametrize("name", ["Lejre", "Hillerod 2", "Kommune"])
def test_a_neutral_sender_name_is_accepted(name):
    validate_sms_sender(name)


@pytest.mark.parametrize("name", ["Familiehuset", "Angstgruppe", "Hillerød", "12345", "A-B"])
def test_a_revealing_long_or_non_ascii_sender_name_is_refused(name):
    with pytest.raises(ValidationError):
        validate_sms_sender(name)


def test_sms_segments_count_gsm7_and_unicode():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("a" * 307) == 3
    assert sms_segments("€" * 80) == 1  # two septets each
    assert sms_segments("a – b") == 1  # UCS-2, still short
    assert sms_segments("–" * 71) == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "tirsdag den 9. marts kl. 17.30"),
        ("en", "Tuesday 9 March at 17:30"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    from django.utils import translation

    from peerprogram.templatetags.when import when

    with translation.override(language):
        assert when(WHEN) == expected
