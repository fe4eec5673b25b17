"""Staff password reset through the outbox: the reset link exists only in the sent e-mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from peerprogram.notifications import notify, user_recipient


def password_reset_url(message) -> str:
    """Secret provider: a fresh one-time link for the user the message is about."""
    user = get_user_model().objects.get(pk=message.related_id)
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


class OutboxPasswordResetForm(PasswordResetForm):
    def save(self, *args, **kwargs):
        # Django's form sends at once with the token in the body; here the outbox sends it,
        # and the token is made at delivery so it never rests in the database.
        for user in self.get_users(self.cleaned_data["email"]):
            membership = user.memberships.select_related("organisation").first()
            notify(
                kind="password_reset",
                recipient=user_recipient(user),
                template="notifications/password_reset",
                context={"username": user.get_username()},
                organisation=membership.organisation if membership else None,
                related=user,
                secret_provider="password_reset",  # noqa: S106 - a provider name, not a secret
            )
