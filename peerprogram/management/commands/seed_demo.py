from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peerprogram import hooks
from peerprogram.demo import login_names


def demo_data_in_order() -> list[hooks.DemoData]:
    """Every app's demo data (hook `demo_data`), in the order of the apps in INSTALLED_APPS:
    the layers from the lowest up, so each loader finds the data of the layers below it."""
    order = [app_config.label for app_config in apps.get_app_configs()]
    return sorted(hooks.answers(hooks.demo_data), key=lambda demo: order.index(demo.app))


class Command(BaseCommand):
    help = "Loads demo organisations, programmes, courses and log-ins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load demo data even with DEBUG off."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production database. "
                "Demo data adds log-ins with a known password; use --force if you mean it."
            )
        with transaction.atomic():
            for demo in demo_data_in_order():
                demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo log-ins (password from DEMO_PASSWORD): {', '.join(login_names())}")
