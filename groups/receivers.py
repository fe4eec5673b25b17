"""How groups answers the hooks of the layer below it (peerprogram.hooks).

Imported once, in GroupsConfig.ready(); nothing else wires this app to the others.
"""

import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import demo, page_versions
from groups.models import Course, Program, Session, Theme
from groups.selectors import sessions_between
from peerprogram import hooks


# The public pages' versions (peerprogram.page_cache): every save or delete of what they show.
@receiver([post_save, post_delete], sender=Course)
def course_page_changed(sender, instance, signal, **kwargs):
    if signal is post_delete:
        page_versions.course_removed(instance)
    else:
        page_versions.courses_changed([instance.pk])


@receiver([post_save, post_delete], sender=Session)
def session_page_changed(sender, instance, **kwargs):
    page_versions.courses_changed([instance.course_id])


@receiver([post_save, post_delete], sender=Program)
def program_page_changed(sender, instance, **kwargs):
    page_versions.programs_changed([instance.pk])


@receiver([post_save, post_delete], sender=Theme)
def theme_page_changed(sender, instance, **kwargs):
    page_versions.programs_changed([instance.program_id])


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """The demo programmes, their themes and courses with planned sessions."""
    return hooks.DemoData(app="groups", load=demo.load)


@receiver(hooks.today_sections)
def sessions_this_and_next_week(sender, *, user, organisation_ids, now, **kwargs):
    """The sessions of this week and the next, on the "I dag" page."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    sessions = list(
        sessions_between(
            organisation_ids=organisation_ids,
            start=start,
            end=start + datetime.timedelta(days=14),
        )
    )
    next_monday = start + datetime.timedelta(days=7)
    weeks = [
        (_("Denne uge"), [s for s in sessions if s.starts_at < next_monday]),
        (_("Næste uge"), [s for s in sessions if s.starts_at >= next_monday]),
    ]
    return [
        hooks.Section(
            key="sessions",
            title=_("Gange denne og næste uge"),
            template="groups/workspace/sessions_weeks.html",
            context={"weeks": weeks},
            order=10,
        )
    ]
