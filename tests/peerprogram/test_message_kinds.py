"""Every kind of message, rendered in every language as delivery renders it: its templates
exist, an SMS and a subject line are neutral on a lock screen, an SMS fits in two GSM-7
segments with the longest names, a message to a citizen or a peer names whom to contact, and
English texts have English dates."""

import dataclasses
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from peerprogram.outbox.kinds import Audience, MessageKind
from peerprogram.outbox.lock_screen import (
    SMS_MAX_SEGMENTS,
    non_gsm7_characters,
    revealing_words,
    sms_segments,
)
from peerprogram.outbox.services import messages_preview, user_recipient
from tests.message_examples import load_all

APPS_WITH_MESSAGES = ["peerprogram", "groups", "participants", "volunteers", "evaluation"]


def _kinds() -> dict[str, type[MessageKind]]:
    """Every message kind: the classes with a `kind` in the apps' message_kinds modules."""
    for app in APPS_WITH_MESSAGES:
        try:
            import_module(f"{app}.message_kinds")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.message_kinds":
                raise
    found: dict[str, type[MessageKind]] = {}
    pending = list(MessageKind.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "kind" in cls.__dict__:
            assert cls.kind not in found, f"message kind {cls.kind} defined twice"
            found[cls.kind] = cls
    return found


KINDS = _kinds()
EXAMPLES = load_all()
LANGUAGES = [code for code, _name in settings.LANGUAGES]
DANISH_DATE_WORDS = re.compile(
    # Danish names that are not also English ones (april, august … are both), as whole words:
    # a Danish course title ("torsdage i …") is data, not a date written in Danish.
    r"\b(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|januar|februar|marts|maj|juni|"
    r"juli|oktober)\b|\bkl\.",
    re.IGNORECASE,
)
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def test_every_kind_has_an_example():
    assert sorted(KINDS) == sorted(EXAMPLES)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_has_its_templates_in_every_language(kind, language):
    message_kind = KINDS[kind]
    parts = ["subject.txt", "txt"] + (["sms.txt"] if message_kind.has_sms else [])
    for part in parts:
        get_template(f"notifications/{language}/{kind}.{part}")


@pytest.mark.parametrize("kind", sorted(k for k, cls in KINDS.items() if not cls.has_sms))
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_kind_that_never_goes_by_sms_has_no_sms_text(kind, language):
    with pytest.raises(TemplateDoesNotExist):
        get_template(f"notifications/{language}/{kind}.sms.txt")


def test_a_staff_log_in_is_a_recipient_by_email_only(django_user_model):
    staff = django_user_model(username="k", email="k@eksempel.dk")
    assert not user_recipient(staff).phone


def _rendered(kind, language):
    instance = EXAMPLES[kind]()
    drafts = instance.drafts()
    assert drafts, f"the example of {kind} has nobody to tell"
    for draft in drafts:
        draft.recipient = dataclasses.replace(
            draft.recipient,
            language=language,
            email=draft.recipient.email or "modtager@eksempel.dk",
            phone=(draft.recipient.phone or "+4520304050") if KINDS[kind].has_sms else "",
            sms_opt_in=KINDS[kind].has_sms,
        )
    return instance, drafts, messages_preview(drafts=drafts)


def _secrets(instance):
    """Names that must not reach a lock screen: the programme's and the course's."""
    program = instance.program()
    names = [program.name] if program is not None else []
    course = getattr(instance, "course", None)
    if course is not None:
        names.append(course.title)
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_lock_screen_shows_nothing_revealing(kind, language):
    instance, _drafts, previews = _rendered(kind, language)
    for preview in previews:
        visible = preview.body if preview.channel == "sms" else preview.subject
        assert not revealing_words(visible), (kind, visible)
        for name in _secrets(instance):
            assert name not in visible, (kind, visible)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_sms_is_gsm7_and_at_most_two_segments(kind, language):
    if not KINDS[kind].has_sms:
        pytest.skip("an e-mail-only kind")
    _instance, _drafts, previews = _rendered(kind, language)
    sms = [preview for preview in previews if preview.channel == "sms"]
    assert sms
    for preview in sms:
        assert not non_gsm7_characters(preview.body), (kind, preview.body)
        assert sms_segments(preview.body) <= SMS_MAX_SEGMENTS, (kind, preview.body)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_or_peer_message_names_whom_to_contact(kind, language):
    if KINDS[kind].audience == Audience.STAFF:
        pytest.skip("a notice to staff")
    _instance, drafts, previews = _rendered(kind, language)
    contact = drafts[0].context["contact"]
    for preview in previews:
        if preview.channel == "email":
            assert contact["name"] in preview.body, (kind, preview.body)
            digits = re.sub(r"\D", "", preview.body)
            assert contact["email"] in preview.body or contact["phone"][-8:] in digits


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_english_messages_have_english_dates(kind):
    _instance, _drafts, previews = _rendered(kind, "en")
    for preview in previews:
        text = f"{preview.subject}\n{preview.body}"
        assert not DANISH_DATE_WORDS.search(text), (kind, text)
        assert not US_DATE.search(text), (kind, text)
