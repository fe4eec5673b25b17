"""What every public form shares, whichever app owns it: a honeypot field that people never
see, the hourly rate limits (peerprogram.ratelimit) and the guard that turns a double click
or a resent form into the first submission's answer."""

import json

from crispy_forms.layout import HTML, Field
from django import forms
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from peerprogram.ratelimit import allow


class HoneypotForm(forms.Form):
    """A form with a field people never see; bots fill it in, and the form is refused."""

    website = forms.CharField(required=False, max_length=200, label=_("Lad dette felt stå tomt"))
    #: Shown above the form when the hidden field was filled in (the field itself is hidden).
    honeypot_message = _("Formularen kunne ikke sendes. Prøv igen.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @staticmethod
    def honeypot_layout() -> list:
        """The hidden field, for a crispy layout."""
        return [
            HTML('<div class="visually-hidden" aria-hidden="true">'),
            Field("website"),
            HTML("</div>"),
        ]

    def clean(self):
        data = super().clean()
        if data.get("website"):
            # Cleared, so a browser's autofill does not trip the next try as well.
            self.data = self.data.copy()
            self.data["website"] = ""
            raise ValidationError(self.honeypot_message)
        return data


def within_hourly_limit(key: str, limit: int) -> bool:
    """Count one hit on `key`; False once `limit` hits fell within the last hour."""
    return allow(key, limit=limit, window_seconds=60 * 60)


def submission_digest(namespace: str, payload) -> str:
    """A keyed hash of what a form said, so the session keeps no personal data."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return salted_hmac(namespace, text).hexdigest()


def previous_submission(request, namespace: str, digest: str) -> int | None:
    """The id this browser session's identical submission created, if it made one."""
    stored = request.session.get(namespace) or {}
    return stored.get("pk") if stored.get("digest") == digest else None


def submission_remember(request, namespace: str, digest: str, pk: int) -> None:
    request.session[namespace] = {"digest": digest, "pk": pk}
