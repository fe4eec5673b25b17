"""The audit trail: who viewed, created, changed, exported or erased a person's records.

One store, `peerprogram.models.AuditEntry` (django-auditlog's log entry with the organisation
added). Creating, changing and deleting a tracked model is logged by django-auditlog; views,
exports and erasures are recorded here with `record()`.

The trail holds no personal values, so erasing a person never needs to edit it:
- every object is named by its kind and number, never by `str(obj)` ("Tilmelding #42");
- a tracked model's field values are masked in full ("***") unless the field is listed as
  plain when the model is tracked: a field added later is masked until someone decides;
- no IP address is stored.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.text import capfirst

from peerprogram import hooks, permissions

VIEW, EXPORT, ERASE = "view", "export", "erase"

MASK = "***"

_view_only_models: list = []
_organisation_paths: dict = {}


def mask(value: str) -> str:
    """django-auditlog's mask callable: nothing of the value is kept, not even its length."""
    return MASK


def label(obj) -> str:
    """The neutral name of an object, in Danish whatever the user's language: "Tilmelding #42"."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"


def organisation_id_of(obj) -> int | None:
    """The organisation an object belongs to (see peerprogram.permissions.organisation_id_of),
    along the path its `Tracked` gives where its queryset names none."""
    return permissions.organisation_id_of(obj, _organisation_paths.get(type(obj)))


@dataclass(frozen=True)
class Tracked:
    """A model in the audit trail, as a receiver of `hooks.audit_tracking` gives it.

    `plain`: fields whose values may be shown (foreign keys, statuses, dates of the process);
    every other field's value is masked. `ignore`: fields left out of change records
    (secret hashes). `changes=False`: only views of the model are recorded (by `record()`);
    it is then only offered in the trail's model filter. `organisation_path`: the lookup to
    the organisation for a model whose queryset does not name it.
    """

    model: type
    plain: Sequence[str] = ()
    ignore: Sequence[str] = ()
    changes: bool = True
    organisation_path: str | None = None


def tracking_apply() -> None:
    """Put every model the apps name (hook `audit_tracking`) in the audit trail; called once
    at start, by `peerprogram.startup`, after every app's receivers are connected."""
    for found in hooks.answers(hooks.audit_tracking):
        for tracked in found:
            _track(tracked)


def _track(tracked: Tracked) -> None:
    from auditlog.registry import auditlog

    model, plain, ignore = tracked.model, tracked.plain, tracked.ignore
    names = {field.name for field in model._meta.concrete_fields}
    unknown = (set(plain) | set(ignore)) - names
    if unknown:
        raise FieldDoesNotExist(f"{model.__name__} has no field(s) {sorted(unknown)}")
    if tracked.organisation_path:
        _organisation_paths[model] = tracked.organisation_path
    if not tracked.changes:
        if model not in _view_only_models:
            _view_only_models.append(model)
        return
    pk_name = model._meta.pk.name
    # Reverse relations would only say "participants.Registration.None" on creation.
    related = [field.name for field in model._meta.get_fields() if not field.concrete]
    auditlog.register(
        model,
        exclude_fields=[*ignore, *related],
        mask_fields=sorted(names - set(plain) - set(ignore) - {pk_name}),
        mask_callable="peerprogram.audit.trail.mask",
    )


def audited_models() -> list:
    from auditlog.registry import auditlog

    return [*auditlog.get_models(), *_view_only_models]


_ACTIONS = {VIEW: "ACCESS", EXPORT: "EXPORT", ERASE: "ERASE"}


def record(*, user, action, obj, organisation=None, detail=""):
    """Record that `user` viewed, exported or erased `obj` (call before deleting it).

    `organisation` defaults to the object's own; `detail` is a short fixed text such as
    "fremmødeliste" — never a personal value.
    """
    from auditlog import get_logentry_model

    if action not in _ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}; use VIEW, EXPORT or ERASE.")
    if obj.pk is None:
        raise ValueError("Record the audit entry before the object is deleted.")
    AuditEntry = get_logentry_model()
    actor = user if user is not None and user.is_authenticated else None
    if organisation is None:
        organisation_id = organisation_id_of(obj)
    else:
        organisation_id = getattr(organisation, "pk", organisation)
    return AuditEntry.objects.log_create(
        obj,
        force_log=True,
        action=getattr(AuditEntry.Action, _ACTIONS[action]),
        actor=actor,
        organisation_id=organisation_id,
        detail=detail[:200],
    )
