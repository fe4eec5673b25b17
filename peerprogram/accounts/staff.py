"""Organisation admins manage who works in their organisation: coordinators, other admins,
statistics-only partners and referrers. A new person gets a log-in and an e-mail with a
one-time link to choose their password (made at delivery, like every reset link)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerprogram.models import Membership, Organisation
from peerprogram.outbox.services import notify, user_recipient

# Everyone but a referrer works in the admin.
STAFF_ROLES = {Membership.Role.COORDINATOR, Membership.Role.ADMIN, Membership.Role.STATISTICS}


def _keeps_an_admin(organisation: Organisation, *, without: Membership) -> bool:
    return (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .exclude(pk=without.pk)
        .exists()
    )


@transaction.atomic
def staff_invite(
    *, organisation: Organisation, username: str, name: str, email: str, role: str
) -> Membership:
    """A new log-in with a membership, and the e-mail to choose a password."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Brugernavnet er optaget. Vælg et andet.")})
    first_name, _space, last_name = name.strip().partition(" ")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role in STAFF_ROLES,
    )
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    notify(
        kind="staff_invitation",
        recipient=user_recipient(user),
        template="notifications/staff_invitation",
        context={
            "organisation": organisation.name,
            "username": username,
            "role": str(Membership.Role(role).label),
        },
        organisation=organisation,
        related=user,
        secret_provider="password_reset",  # noqa: S106 - a provider name
    )
    return membership


def check_role_change(*, membership: Membership, role: str) -> None:
    if (
        membership.role == Membership.Role.ADMIN
        and role != Membership.Role.ADMIN
        and not _keeps_an_admin(membership.organisation, without=membership)
    ):
        raise ValidationError(_("Organisationen skal have mindst én administrator."))


def may_remove(*, membership: Membership) -> bool:
    return membership.role != Membership.Role.ADMIN or _keeps_an_admin(
        membership.organisation, without=membership
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    check_role_change(membership=membership, role=role)
    membership.role = role
    membership.save(update_fields=["role"])
    user = membership.user
    user.is_staff = user.is_superuser or user.memberships.filter(role__in=STAFF_ROLES).exists()
    user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take someone out of the organisation; a log-in left with no organisation is closed."""
    if not may_remove(membership=membership):
        raise ValidationError(_("Organisationen skal have mindst én administrator."))
    user = membership.user
    membership.delete()
    if not user.is_superuser and not user.memberships.exists():
        user.is_active = False
        user.is_staff = False
        user.save(update_fields=["is_active", "is_staff"])
