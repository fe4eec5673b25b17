"""WSGI entry for `make bench`: the real site with the bare baseline view added."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerprogram.settings")
django.setup()
settings.ROOT_URLCONF = "tests.bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
