from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Frivillige peers")

    def ready(self):
        from groups.manuals import register_course_facilitators
        from groups.reminders import register_session_recipients
        from volunteers.providers import course_facilitators, session_facilitators

        register_session_recipients(session_facilitators)
        register_course_facilitators(course_facilitators)
