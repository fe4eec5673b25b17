"""The one scoping path: every object a coordinator sees is reached through these helpers.

A model opts in by using `OrganisationScopedQuerySet` and naming the path from itself to its
organisation in `organisation_path`. Views and the admin call `.for_user(user)` or
`get_object_for_user(...)`; another organisation's object is then simply not found (404).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404


def _coordinator_memberships(user):
    from peerprogram.models import Membership

    return Membership.objects.filter(user_id=user.pk, role__in=Membership.COORDINATING_ROLES)


def organisation_ids_for_user(user):
    """A subquery of the organisations a signed-in coordinator runs (referrers run none)."""
    return _coordinator_memberships(user).values("organisation_id")


def is_coordinator(user) -> bool:
    """True for superusers and for active staff who belong to at least one organisation."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, "_is_coordinator", None)
    if cached is None:
        cached = _coordinator_memberships(user).exists()
        user._is_coordinator = cached
    return cached


def admin_organisation_ids_for_user(user):
    """The organisations where the user is an organisation admin."""
    from peerprogram.models import Membership

    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )


def is_organisation_admin(user) -> bool:
    """Superusers, and active staff who administer at least one organisation."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_organisation_admin", None)
    if cached is None:
        cached = user._is_organisation_admin = admin_organisation_ids_for_user(user).exists()
    return cached


def report_organisation_ids_for_user(user):
    """The organisations whose aggregate figures and reports the user may read: those they
    coordinate, and those where they are a statistics-only partner."""
    from peerprogram.models import Membership

    return Membership.objects.filter(user_id=user.pk, role__in=Membership.REPORTING_ROLES).values(
        "organisation_id"
    )


def is_report_reader(user) -> bool:
    """Coordinators, and active staff with a statistics-only partner membership."""
    from peerprogram.models import Membership

    if is_coordinator(user):
        return True
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_is_report_reader", None)
    if cached is None:
        cached = user._is_report_reader = Membership.objects.filter(
            user_id=user.pk, role=Membership.Role.STATISTICS
        ).exists()
    return cached


def is_referrer(user) -> bool:
    """Coordinators, and municipal staff with a referrer log-in, may register a citizen on
    their behalf through the public form."""
    from peerprogram.models import Membership

    if not (user.is_authenticated and user.is_active):
        return False
    return (
        is_coordinator(user)
        or Membership.objects.filter(user_id=user.pk, role=Membership.Role.REFERRER).exists()
    )


class OrganisationScopedQuerySet(models.QuerySet):
    #: Lookup path from the model to its `Organisation`, e.g. "program__organisation".
    organisation_path = "organisation"

    def for_user(self, user):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        if not is_coordinator(user):
            return self.none()
        return self.filter(**{f"{self.organisation_path}__in": organisation_ids_for_user(user)})

    def for_organisation(self, organisation):
        return self.filter(**{self.organisation_path: organisation})


def scoped_queryset(model, user):
    return model._default_manager.all().for_user(user)


def get_object_for_user(model_or_queryset, user, **lookup):
    """Fetch one object the user may see, or raise Http404 — never a 403 that leaks existence.

    A lookup value of the wrong type (an admin URL's "abc" for a number) is not found either.
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        return get_object_or_404(queryset.for_user(user), **lookup)
    except (ValueError, ValidationError) as error:
        raise Http404 from error
