"""Helpers the volunteers admin modules share: reporting a rule's problems on a form, adopting
the row a service saved, and picking a citizen by name."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def _adopt(obj, saved):
    """Give the admin's object the row a service saved, so the inlines, the log entry and the
    redirect that follow see it as saved."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def _add_problems(form, problems):
    for field, field_problems in problems.items():
        form.add_error(field if field in form.fields else None, field_problems)


class CitizenByNameMixin:
    """Participants print as "Deltager #12"; a coordinator picking one needs the name."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "participant":
            formfield.label_from_instance = lambda p: f"{p.name} (#{p.pk})"
        return formfield

    @admin.display(description=_("borger"), ordering="participant__name")
    def participant_name(self, obj):
        return obj.participant.name
