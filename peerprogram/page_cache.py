"""Public pages served from the shared cache (Redis in production, `CACHE_URL`) until what
they show changes.

A citizen must never see a stale seat count or date, so an entry holds only as long as the
versions it was built from: `Organisation.public_version` (the organisation's own texts,
contacts and help lines), `Organisation.courses_version` and `Course.public_version` (a
course's seats, sessions and texts; groups.page_versions). Every save or delete of a model a
public page shows bumps them in the same transaction (the receivers in each app's
receivers.py); a write that bypasses save() bumps them itself. The view reads the versions
before it renders, so an entry is never newer than its versions say.

Time alone changes a page too: a session starts ("afholdt"), intake closes at a session's
start. So an entry also ends at the moment the view names (`Built.keep_until`), the next
session start.

Only what every anonymous visitor gets alike is kept: a signed-in user, a request that
carries a message, a query other than the page's own filters, or an answer other than 200 is
rendered for that request alone. The CSRF token, which is per visitor, is taken out before
an entry is stored and a fresh one put in when it is served. Keys hold the release (the
templates, translations and code the page was made by), the language and the full path.
"""

import datetime
import functools
import hashlib
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from peerprogram.models import Organisation

# However long a page holds by its data, it is built again at least this often.
MAX_AGE = datetime.timedelta(hours=1)
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"{csrf-token}"
# The folders whose files make a release: code, templates and compiled translations.
_RELEASE_FOLDERS = ("peerprogram", "groups", "participants", "volunteers", "evaluation")
_RELEASE_SUFFIXES = {".py", ".html", ".txt", ".mo"}


@dataclass(frozen=True)
class Built:
    """A page the view rendered, and until when it holds as it is (None: not kept)."""

    response: HttpResponse
    keep_until: datetime.datetime | None


def page(
    request: HttpRequest,
    *,
    versions: object,
    build: Callable[[], Built],
    filters: Collection[str] = (),
) -> HttpResponse:
    """The page from the cache if it was built from `versions` and still holds; else
    `build()`'s page, kept for the next visitor when it may be. `versions` None: not cached
    (the view's build answers, e.g. with a 404). `filters`: the query parameters the page
    reads; a request with any other is not cached."""
    if versions is None or not _alike_for_everyone(request, filters):
        return build().response
    key = _key(request)
    now = timezone.now()
    entry = cache.get(key)
    if entry and entry["versions"] == versions and now < entry["until"]:
        return HttpResponse(
            entry["body"].replace(_CSRF_PLACEHOLDER, get_token(request).encode()),
            content_type=entry["content_type"],
        )
    built = build()
    response = built.response
    if built.keep_until is not None and response.status_code == 200 and not response.streaming:
        until = min(built.keep_until, now + MAX_AGE)
        if until > now:
            entry = {
                "versions": versions,
                "until": until,
                "body": _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content),
                "content_type": response["Content-Type"],
            }
            cache.set(key, entry, timeout=(until - now).total_seconds())
    return response


def _alike_for_everyone(request: HttpRequest, filters: Collection[str]) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and set(request.GET) <= set(filters)
        and not len(get_messages(request))
    )


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{_release()}:{translation.get_language()}:{path}"


@functools.cache
def _release() -> str:
    """A digest of the files the pages are made from (once per process): entries written by
    the previous release are never served by the next."""
    digest = hashlib.sha256()
    for folder in ("templates", "locale", *_RELEASE_FOLDERS):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


def organisation_versions() -> tuple:
    """Every organisation's versions, for pages that show all of them (the course list and
    its footer): one small query, whatever the number of courses."""
    return tuple(
        Organisation.objects.order_by("pk").values_list("pk", "public_version", "courses_version")
    )


def organisations_changed(organisation_ids: Iterable[int]) -> None:
    """The organisations' own public texts changed (name, contacts, help lines, programmes,
    themes, privacy periods)."""
    Organisation.objects.filter(pk__in=list(organisation_ids)).update(
        public_version=F("public_version") + 1
    )


def organisations_courses_changed(organisations) -> None:
    """One of each organisation's courses changed (`organisations`: ids or a query of them)."""
    Organisation.objects.filter(pk__in=organisations).update(
        courses_version=F("courses_version") + 1
    )
