"""The outgoing message templates: every kind has its e-mail, and only kinds that can reach a
phone have an SMS text (a staff log-in is a recipient with an e-mail address only)."""

from pathlib import Path

from peerprogram.outbox.services import user_recipient

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notifications"

# Kinds whose recipients are staff log-ins (`user_recipient` / `coordinator_recipients`).
STAFF_ONLY = {
    "certificate_due",
    "contact_request_new",
    "course_understaffed",
    "password_reset",
    "peer_application_new",
    "retention_stopped",
    "session_declined",
    "staff_invitation",
}


def _kinds(suffix: str) -> set[str]:
    return {path.name.removesuffix(suffix) for path in TEMPLATES.glob(f"*{suffix}")}


def test_every_kind_has_a_subject_and_an_email_body():
    bodies = {name for name in _kinds(".txt") if "." not in name}
    assert bodies == _kinds(".subject.txt")
    assert _kinds(".sms.txt") <= bodies


def test_kinds_sent_only_to_staff_have_no_sms_text_that_could_never_be_sent(django_user_model):
    staff = django_user_model(username="k", email="k@eksempel.dk")
    assert not user_recipient(staff).phone
    assert _kinds(".subject.txt") >= STAFF_ONLY
    assert not STAFF_ONLY & _kinds(".sms.txt")
