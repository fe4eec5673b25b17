"""Staff password reset through the outbox: the reset link exists only in the sent e-mail.

A reset request does the same work whatever address it names: it counts against the rate
limits and queues `peerprogram.tasks.password_reset_request`; only the worker looks the address
up. So neither the answer nor the time it takes tells anyone whether an account has it.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from peerprogram.message_kinds import PasswordReset
from peerprogram.models import OutboxMessage
from peerprogram.ratelimit import allow, client_ip

HOUR = 60 * 60


def password_reset_url(message: OutboxMessage) -> str:
    """Secret provider: a fresh one-time link for the user the message is about."""
    if message.related_id is None:
        raise ValueError("A reset link belongs to a message about a log-in.")
    user = get_user_model().objects.get(pk=message.related_id)
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def password_reset_queue(*, email: str, ip: str) -> bool:
    """Queue the reset of `email` once the request commits, unless this client or this address
    asked too often within the hour. True when queued."""
    # The address is counted under a keyed hash: the cache never holds who asked.
    email_key = salted_hmac("peerprogram.accounts.password_reset", email.casefold()).hexdigest()
    allowed = allow(
        f"password-reset-ip:{ip}",
        limit=settings.PASSWORD_RESET_LIMIT_PER_IP_HOUR,
        window_seconds=HOUR,
    ) and allow(
        f"password-reset-email:{email_key}",
        limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL_HOUR,
        window_seconds=HOUR,
    )
    if allowed:
        from peerprogram.tasks import password_reset_request

        transaction.on_commit(lambda: password_reset_request.delay(email=email), robust=True)
    return allowed


def password_reset_send(*, email: str) -> int:
    """In the worker: a reset message to each active account with this address and a usable
    password (Django's own rule). Returns how many."""
    users = list(PasswordResetForm().get_users(email))
    for user in users:
        membership = user.memberships.select_related("organisation").first()
        organisation = membership.organisation if membership else None
        PasswordReset(user=user, organisation=organisation).send()
    return len(users)


class OutboxPasswordResetForm(PasswordResetForm):
    # Only the request is used: Django's view passes it by name with the e-mail options.
    def save(self, *, request: HttpRequest, **kwargs: Any) -> None:  # type: ignore[override]
        # Django's form looks the address up and sends at once with the token in the body. Here
        # the request only queues the look-up; the outbox sends, and the token is made at
        # delivery so it never rests in the database.
        password_reset_queue(email=self.cleaned_data["email"], ip=client_ip(request))
