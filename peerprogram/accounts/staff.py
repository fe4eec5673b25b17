"""Organisation admins manage who works in their organisation: coordinators, other admins,
statistics-only partners and referrers. A new person gets a log-in and an e-mail with a
one-time link to choose their password (made at delivery, like every reset link)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerprogram.message_kinds import StaffInvitation
from peerprogram.models import Membership, Organisation
from peerprogram.municipalities import danish_sort_key, is_municipality, municipality_name

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
    *,
    organisation: Organisation,
    username: str,
    name: str,
    email: str,
    role: str,
    municipalities: list[str] | None = None,
) -> Membership:
    """A new log-in with a membership (for a statistics partner, the municipalities it
    represents), and the e-mail to choose a password."""
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
    if municipalities:
        membership_set_municipalities(membership=membership, municipalities=municipalities)
    StaffInvitation(user=user, organisation=organisation, role=role).send()
    return membership


def check_role_change(*, membership: Membership, role: str) -> None:
    if (
        membership.role == Membership.Role.ADMIN
        and role != Membership.Role.ADMIN
        and not _keeps_an_admin(membership.organisation, without=membership)
    ):
        raise ValidationError(_("Organisationen skal have mindst én administrator."))


def municipalities_problems(*, role: str, municipalities: list[str]) -> list[str]:
    """A statistics partner represents municipalities, given by their codes; nobody else does
    (peerprogram.permissions.report_course_filter reads them for partners only)."""
    if any(not is_municipality(code) for code in municipalities):
        return [_("Vælg kommunerne på listen; en af dem er ikke en kommunekode.")]
    if municipalities and role != Membership.Role.STATISTICS:
        return [_("Kun en kommunal partner repræsenterer kommuner. Fjern kommunerne.")]
    return []


@transaction.atomic
def membership_set_municipalities(
    *, membership: Membership, municipalities: list[str]
) -> Membership:
    """Set the municipalities a statistics partner represents: it then sees the courses held
    in them, and only those."""
    problems = municipalities_problems(role=membership.role, municipalities=municipalities)
    if problems:
        raise ValidationError(problems)
    membership.municipalities = sorted(
        set(municipalities), key=lambda code: danish_sort_key(municipality_name(code))
    )
    membership.save(update_fields=["municipalities"])
    return membership


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
