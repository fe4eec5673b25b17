from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from peerprogram.demo import login_names


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
            for loader in settings.DEMO_DATA_LOADERS:
                import_string(loader)()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo log-ins (password from DEMO_PASSWORD): {', '.join(login_names())}")
