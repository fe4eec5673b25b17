from django.apps import AppConfig


class StartupConfig(AppConfig):
    name = "peerprogram.startup"
    label = "peerprogram_startup"
    verbose_name = "Start"

    def ready(self):
        from peerprogram.audit import trail

        trail.tracking_apply()
