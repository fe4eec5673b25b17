"""The work queue on the "I dag" page: every app's work items, gathered from one hook."""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from peerprogram import hooks


def staff_name(user: Any) -> str:
    """How the workspace names a member of staff (or one whose user was deleted)."""
    if user is None:
        return _("en tidligere medarbejder")
    return user.get_full_name() or user.get_username()


def work_queue(
    *, user: Any, organisation_ids: list[int], now: datetime.datetime
) -> list[hooks.WorkItem]:
    """What needs a person today in the organisations, by `order` then key, the items with
    nothing to do left out."""
    items = [
        item
        for answer in hooks.answers(
            hooks.work_items, user=user, organisation_ids=organisation_ids, now=now
        )
        for item in answer
        if item.count
    ]
    return sorted(items, key=lambda item: (item.order, item.key))


def today_sections(
    *, user: Any, organisation_ids: list[int], now: datetime.datetime
) -> list[hooks.Section]:
    sections = [
        section
        for answer in hooks.answers(
            hooks.today_sections, user=user, organisation_ids=organisation_ids, now=now
        )
        for section in answer
    ]
    return sorted(sections, key=lambda section: (section.order, section.key))
