"""The one authorization policy: who may do what, always in the organisation of the object at hand.

Roles are memberships (`peerprogram.Membership.role`) in one organisation each; a user may hold
different roles in different organisations. Every question is asked about one organisation:

- `may(user, purpose, organisation)`: may this user act for this purpose there?
- `may_somewhere(user, purpose)`: does any page for this purpose exist for them at all?
- `scope(queryset, user, purpose)`: the rows of the organisations where they may.
- `get_object_for_user(...)`: one object, or the exact refusal by the rule below.
- `report_course_filter(user, organisation)`: the courses a report may draw on there (a
  statistics partner sees only those held in the municipalities it represents).

The rule for refusals, everywhere (admin, workspace, portal, reports):
another organisation's object → 404, exactly as if it did not exist; a signed-in role without
the page → 403; anonymous → a redirect to the log-in page.

`AdminPolicy` is the admin's adapter: every ModelAdmin and inline of ours takes its
`has_*_permission` from it and declares which purpose each action needs.
"""

from __future__ import annotations

import enum
import functools
from typing import Any, Self, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404


class Purpose(enum.StrEnum):
    #: run programmes: courses, people's records, decisions, printing answer cards
    COORDINATE = "coordinate"
    #: read aggregate figures and evaluation reports
    REPORT = "report"
    #: manage staff and retention policies
    ADMINISTER = "administer"
    #: register a citizen who agreed, through the public form
    REFER = "refer"


#: Beside the purposes, two fixed answers for `AdminPolicy` actions.
SUPERUSER = "superuser"
NOBODY = "nobody"


def roles_for(purpose: Purpose) -> frozenset[str]:
    """The membership roles that give `purpose` (in the organisation of the membership)."""
    from peerprogram.models import Membership

    role = Membership.Role
    return {
        Purpose.COORDINATE: frozenset({role.COORDINATOR, role.ADMIN}),
        Purpose.REPORT: frozenset({role.COORDINATOR, role.ADMIN, role.STATISTICS}),
        Purpose.ADMINISTER: frozenset({role.ADMIN}),
        Purpose.REFER: frozenset({role.COORDINATOR, role.ADMIN, role.REFERRER}),
    }[purpose]


def _roles_by_organisation(user: Any) -> dict[int, str]:
    """The user's role in each of their organisations, read once per user object."""
    if not (user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, "_policy_roles", None)
    if cached is None:
        from peerprogram.models import Membership

        cached = dict(
            Membership.objects.filter(user_id=user.pk).values_list("organisation_id", "role")
        )
        user._policy_roles = cached
    return cached


def _needs_staff(purpose: Purpose) -> bool:
    # Referrers are municipal staff outside the admin; every other purpose is admin work.
    return purpose != Purpose.REFER


def _active(user: Any, purpose: Purpose) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.is_superuser or not _needs_staff(purpose)


def organisation_ids(user: Any, purpose: Purpose | None = None) -> list[int]:
    """The organisations where the user holds a role for `purpose` (any role when None).
    Superusers are not listed here: callers treat them as seeing everything."""
    if purpose is not None and not _active(user, purpose):
        return []
    roles = _roles_by_organisation(user)
    if purpose is None:
        return sorted(roles)
    wanted = roles_for(purpose)
    return sorted(org for org, role in roles.items() if role in wanted)


def may(user: Any, purpose: Purpose, organisation: Any) -> bool:
    """May `user` act for `purpose` in `organisation` (an Organisation, its id, or None for
    records shared by every organisation, which only superusers change)?"""
    if not _active(user, purpose):
        return False
    if user.is_superuser:
        return True
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is None:
        return False
    return _roles_by_organisation(user).get(organisation_id) in roles_for(purpose)


def may_somewhere(user: Any, purpose: Purpose) -> bool:
    """Does the user hold a role for `purpose` in at least one organisation?"""
    if not _active(user, purpose):
        return False
    return user.is_superuser or bool(organisation_ids(user, purpose))


def report_course_filter(user: Any, organisation: Any) -> models.Q | None:
    """Which of `organisation`'s courses the user's reports and figures may draw on, as a
    filter on Course; None when all of them (its coordinators and admins, superusers).

    A statistics partner is bound to the municipalities its membership represents
    (`Membership.municipalities`) and sees only courses held in them; with none, none. Anyone
    else sees no course. Totals are computed from the courses this filter lets through.
    """
    if user.is_active and user.is_superuser:
        return None
    if may(user, Purpose.COORDINATE, organisation):
        return None
    from peerprogram.models import Membership

    organisation_id = getattr(organisation, "pk", organisation)
    codes = (
        Membership.objects.filter(
            user_id=user.pk, organisation_id=organisation_id, role=Membership.Role.STATISTICS
        )
        .values_list("municipalities", flat=True)
        .first()
    )
    if not (codes and may(user, Purpose.REPORT, organisation)):
        return models.Q(pk__in=[])
    return models.Q(municipality__in=codes)


def may_change_shared_records(user: Any) -> bool:
    """Records of no organisation (shared questionnaire templates) appear to every
    organisation, so only superusers create or change them."""
    return bool(user.is_active and user.is_superuser)


def may_see_certificate_outcome(user: Any) -> bool:
    """A børneattest's outcome is criminal-offence data (GDPR art. 10): shown only to those
    given the specific permission, wherever they coordinate."""
    return bool(user.is_active and user.has_perm("volunteers.view_certificate_outcome"))


def organisation_id_of(obj: Any, path: str | None = None) -> int | None:
    """The organisation an object belongs to, along `path` or its queryset's
    `organisation_path`.

    Reads the foreign keys on the object (at most one query), so it also works while the
    object is being deleted. None for objects that belong to no organisation.
    """
    path = path or getattr(type(obj)._default_manager.all(), "organisation_path", None)
    if path is None:
        return None
    if "__" not in path:
        return _follow(obj, path)  # a field on the object itself: no query
    # One object's page asks about it many times (each has_*_permission, each inline).
    memo = obj.__dict__.setdefault("_organisation_ids", {})
    if path not in memo:
        memo[path] = _follow(obj, path)
    return memo[path]


def _follow(obj: Any, path: str) -> int | None:
    hops = path.split("__")
    target = obj
    while len(hops) > 1:
        field = target._meta.get_field(hops[0])
        if field.is_cached(target):
            target, hops = getattr(target, hops[0]), hops[1:]
            continue
        related_id = getattr(target, field.attname)
        if related_id is None:
            return None
        return (
            field.related_model._base_manager.filter(pk=related_id)
            .values_list("__".join(hops[1:]), flat=True)
            .first()
        )
    if hops[0] == "pk":
        return target.pk
    return getattr(target, target._meta.get_field(hops[0]).attname)


class OrganisationScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to its `Organisation`."""

    #: Lookup path from the model to its `Organisation`, e.g. "program__organisation".
    organisation_path = "organisation"

    def for_user(self, user: Any, purpose: Purpose = Purpose.COORDINATE) -> Self:
        return scope(self, user, purpose)


_QuerySet = TypeVar("_QuerySet", bound=models.QuerySet)


def scope(queryset: _QuerySet, user: Any, purpose: Purpose | None) -> _QuerySet:
    """The rows of `queryset` in the organisations where `user` may act for `purpose`
    (where they hold any role when `purpose` is None)."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if purpose is not None and not _active(user, purpose):
        return queryset.none()
    if user.is_superuser:
        return queryset
    path = getattr(queryset, "organisation_path", "organisation")
    return queryset.filter(**{f"{path}__in": organisation_ids(user, purpose)})


def get_object_for_user(
    model_or_queryset: Any, user: Any, purpose: Purpose = Purpose.COORDINATE, **lookup: Any
) -> Any:
    """One object for `purpose`, or the refusal by the rule: 404 when it lies outside every
    organisation of the user (or does not exist), 403 when it is in one of theirs but their
    role there does not give `purpose`."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        obj = scope(queryset, user, None).filter(**lookup).first()
    except (ValueError, ValidationError) as wrong_type:  # "abc" for a number
        raise Http404 from wrong_type
    if obj is None:
        raise Http404
    if not may(user, purpose, organisation_id_of(obj)):
        raise PermissionDenied
    return obj


def public(view: Any) -> Any:
    """Marks a page open to everyone: a citizen's page, a page behind a secret link that the
    view checks itself, or a step of signing in. Every page of ours is marked `public` or
    `signed_in` (a test walks the URLs); the admin's pages take their access from
    `AdminPolicy`."""
    view.access = "public"
    return view


def signed_in(view: Any) -> Any:
    """Marks a page for signed-in users: anonymous visitors are sent to log in, and the view
    asks the policy (or a helper that does) about the object at hand before anything else."""
    checked = login_required(view)
    checked.access = "signed_in"
    return checked


def coordinator_page(view: Any) -> Any:
    """Marks a page of the coordinator's workspace: anonymous visitors are sent to log in,
    and a signed-in user who coordinates nowhere gets a 403. The view still asks the policy
    about the object at hand (`get_object_for_user`), so another organisation's is a 404."""

    @functools.wraps(view)
    def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not may_somewhere(request.user, Purpose.COORDINATE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return signed_in(checked)


def coordinated_organisation_ids(user: Any) -> list[int]:
    """The organisations whose work the user's workspace shows: where they coordinate, and
    every organisation for a superuser."""
    if user.is_superuser and _active(user, Purpose.COORDINATE):
        from peerprogram.models import Organisation

        return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    return organisation_ids(user, Purpose.COORDINATE)


class AdminPolicy:
    """Access for a ModelAdmin or an inline, from the policy and nothing else.

    A subclass declares what each action needs: a `Purpose` (in the organisation of the object
    at hand; for an inline, of its parent), `SUPERUSER` or `NOBODY`. `allows(action, obj)` may
    add a rule about the object's state that holds for everyone (a locked questionnaire).
    Lists show the rows of the organisations where the user may view; an object outside all of
    the user's organisations is a 404 (`get_object`), one inside them without the right a 403.
    """

    view_needs: Purpose | str = Purpose.COORDINATE
    add_needs: Purpose | str = Purpose.COORDINATE
    change_needs: Purpose | str = Purpose.COORDINATE
    delete_needs: Purpose | str = Purpose.COORDINATE

    #: Rows of no organisation (shared templates) may be read by everyone with the purpose
    #: somewhere; only superusers change them.
    shared_rows_readable = False

    def allows(self, action: str, obj: Any) -> bool:
        return True

    def _may(self, request: Any, action: str, obj: Any) -> bool:
        needs = getattr(self, f"{action}_needs")
        user = request.user
        if needs == NOBODY:
            return False
        if needs == SUPERUSER:
            allowed = user.is_active and user.is_superuser
        elif obj is None:
            allowed = may_somewhere(user, Purpose(needs))
        else:
            organisation_id = organisation_id_of(obj)
            if organisation_id is None and action == "view" and self.shared_rows_readable:
                allowed = may_somewhere(user, Purpose(needs))
            else:
                allowed = may(user, Purpose(needs), organisation_id)
        return allowed and (obj is None or self.allows(action, obj))

    def has_module_permission(self, request: Any) -> bool:
        return self._may(request, "view", None)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may(request, "view", obj) or self._may(request, "change", obj)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may(request, "add", obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may(request, "change", obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may(request, "delete", obj)

    def get_queryset(self, request: Any) -> models.QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if not isinstance(queryset, OrganisationScopedQuerySet) and hasattr(self, "parent_model"):
            return queryset  # an inline's rows are reached only through its (scoped) parent
        needs = self.view_needs
        if needs in (SUPERUSER, NOBODY):
            return queryset if request.user.is_superuser else queryset.none()
        return scope(queryset, request.user, Purpose(needs))

    def object_for(self, request: Any, object_id: Any, action: str = "view") -> Any:
        """The object of one of the admin's own pages (a PDF, a preview, an export), refused
        by the rule: 404 outside the user's organisations, 403 without the right."""
        obj = self.get_object(request, str(object_id))
        if not self._may(request, action, obj):
            raise PermissionDenied
        return obj

    def get_object(self, request: Any, object_id: str, from_field: str | None = None) -> Any:
        # The public hook behind every object page (change, delete, history): an object the
        # user may not view is a 403 when it belongs to one of their organisations, and a
        # 404 otherwise, exactly like one that does not exist.
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:
            return obj
        model = self.model  # type: ignore[attr-defined]
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError) as invalid:
            raise Http404 from invalid
        mine = scope(model._default_manager.all(), request.user, None)
        if mine.filter(**{field.name: value}).exists():
            raise PermissionDenied
        raise Http404
