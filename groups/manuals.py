"""Course manuals and printables as PDF (WeasyPrint), cached by a fingerprint of their content.

A document is rendered again only when something it shows changes: the programme, its themes,
the course and its sessions, the facilitators, the templates, the stylesheet or the fonts.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from groups.models import Course, Program, RenderedDocument, Session
from peerprogram import hooks
from peerprogram.printing import PRINT_CSS, qr_data_uri, render_pdf

Kind = RenderedDocument.Kind
PROGRAM_KINDS = (Kind.PROGRAM_MANUAL, Kind.CONTACT_CARD)
# How long a queued render keeps others from queueing the same content again.
RENDER_LOCK_SECONDS = 300
PDF_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "pdf"
FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "source-sans-3"

TEMPLATES = {
    Kind.PROGRAM_MANUAL: "pdf/manual.html",
    Kind.COURSE_MANUAL: "pdf/manual.html",
    Kind.FLYER: "pdf/flyer.html",
    Kind.CONTACT_CARD: "pdf/contact_card.html",
}

# A session's time, in shares of its length; the manual turns them into minutes.
TIME_PLAN = [
    (0.125, "Velkomst og runde: hvordan har I det i dag?"),
    (0.20, "Dagens tema: oplæg og egne erfaringer fra facilitatorerne"),
    (0.30, "Øvelse i par eller små grupper"),
    (0.10, "Pause"),
    (0.20, "Deling i hele gruppen"),
    (0.075, "Afrunding og tak for i dag"),
]


def course_facilitators(course: Course) -> list[dict]:
    """Who facilitates the course, as higher layers (volunteers) answer the hook."""
    return [
        person
        for people in hooks.answers(hooks.course_facilitators, course=course)
        for person in people
    ]


def time_plan(minutes: int) -> list[dict]:
    """The session's parts with their minutes, in whole five-minute steps that add up."""
    plan, start = [], 0
    for index, (share, activity) in enumerate(TIME_PLAN):
        last = index == len(TIME_PLAN) - 1
        length = minutes - start if last else max(5, round(minutes * share / 5) * 5)
        plan.append({"span": f"{start}–{start + length} min", "activity": activity})
        start += length
    return plan


def _session_line(session: Session) -> dict:
    # Dates stay dates: the template writes them in the document's language.
    return {
        "starts_at": session.starts_at,
        "cancelled": session.is_cancelled,
        "moved": session.moved,
    }


def manual_context(program: Program, course: Course | None = None) -> dict:
    sessions = {}
    edition = None
    if course is not None:
        sessions = {s.number: s for s in course.sessions.select_related("theme")}
        edition = {
            "title": course.title,
            "place": course.place,
            "address": course.address,
            "municipality": course.get_municipality_display(),
            "first_date": course.first_date,
            "facilitators": course_facilitators(course),
        }
    chapters = []
    for theme in program.themes.order_by("number"):
        session = sessions.get(theme.number)
        chapters.append(
            {
                "number": theme.number,
                "anchor": f"tema-{theme.number}",
                "title": theme.title,
                "purpose": theme.purpose,
                "exercises": theme.exercises,
                "facilitator_notes": theme.facilitator_notes,
                "time_plan": time_plan(program.session_minutes),
                "session": _session_line(session) if session else None,
            }
        )
    return {
        "program": program,
        "organisation": program.organisation,
        "edition": edition,
        "chapters": chapters,
    }


def flyer_context(course: Course) -> dict:
    register_url = settings.SITE_URL + reverse("participants:course", args=[course.pk])
    return {
        "program": course.program,
        "organisation": course.program.organisation,
        "course": course,
        "sessions": [
            {"number": s.number, "starts_at": s.starts_at}
            for s in course.sessions.filter(status=Session.Status.PLANNED).order_by("number")
        ],
        "register_url": register_url,
        "qr_svg": qr_data_uri(register_url),
        "seats": course.capacity,
    }


def contact_card_context(program: Program) -> dict:
    """The card a citizen is handed: how to reach a peer (the public "Kontakt en peer" form,
    its address printed and as a QR code), and, in a box of their own, where to get help now
    (the organisation's crisis lines). The form belongs to volunteers; its URL is reversed by
    name, which imports nothing from it."""
    organisation = program.organisation
    url = settings.SITE_URL + reverse("volunteers:contact_request", args=[organisation.slug])
    crisis_lines = [
        {"label": contact.label, "value": contact.phone or contact.url}
        for contact in organisation.help_contacts.all()[:2]
    ]
    return {
        "program": program,
        "organisation": organisation,
        "crisis_lines": crisis_lines,
        "url": url,
        "qr_svg": qr_data_uri(url),
        "cards": range(8),
    }


def document_context(kind: str, obj) -> dict:
    if kind == Kind.PROGRAM_MANUAL:
        return manual_context(obj)
    if kind == Kind.COURSE_MANUAL:
        return manual_context(obj.program, obj)
    if kind == Kind.FLYER:
        return flyer_context(obj)
    if kind == Kind.CONTACT_CARD:
        return contact_card_context(obj)
    raise ValueError(f"unknown document kind {kind!r}")


@lru_cache(maxsize=1)
def _design_fingerprint() -> str:
    """Templates, stylesheet and fonts: a new release of any of them gives new PDFs."""
    digest = hashlib.sha256()
    for path in sorted([*PDF_TEMPLATES.glob("*.html"), PRINT_CSS, *FONTS.glob("*.woff")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plain(value):
    """What a context shows, as plain data (model instances by their field values)."""
    if hasattr(value, "_meta"):
        return {field.attname: getattr(value, field.attname) for field in value._meta.fields}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | range):
        return [_plain(item) for item in value]
    return value


def fingerprint(kind: str, context: dict) -> str:
    shown = json.dumps(
        {"kind": kind, "context": _plain(context), "language": settings.LANGUAGE_CODE},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256((_design_fingerprint() + shown).encode()).hexdigest()


def _owner(kind: str, obj) -> dict:
    if kind in PROGRAM_KINDS:
        return {"program": obj, "course": None}
    return {"program": None, "course": obj}


def document_fresh(kind: str, obj) -> tuple[RenderedDocument | None, str]:
    """The stored PDF if it still shows what the object shows now, and the current fingerprint."""
    print_fingerprint = fingerprint(kind, document_context(kind, obj))
    stored = RenderedDocument.objects.filter(
        kind=kind, fingerprint=print_fingerprint, **_owner(kind, obj)
    ).first()
    return stored, print_fingerprint


def document_render_soon(kind: str, obj, print_fingerprint: str) -> None:
    """Queue the render task (the one writer of stored PDFs), once per content at a time."""
    from groups.tasks import render_document

    if cache.add(f"rendering:{kind}:{print_fingerprint}", 1, RENDER_LOCK_SECONDS):
        render_document.delay(kind, obj.pk)


def document_pdf(kind: str, obj) -> bytes:
    """The PDF as it would be stored, rendered now and not stored: a page that is read (GET)
    never writes, so it streams this while the render task stores the copy for next time."""
    stored, print_fingerprint = document_fresh(kind, obj)
    if stored is not None:
        with stored.file.open("rb") as file:
            return file.read()
    document_render_soon(kind, obj, print_fingerprint)
    pdf, _pages = render_pdf(TEMPLATES[kind], document_context(kind, obj))
    return pdf


def document_get_or_render(kind: str, obj) -> RenderedDocument:
    """Return the current PDF, rendering it only when its content changed."""
    context = document_context(kind, obj)
    print_fingerprint = fingerprint(kind, context)
    owner = _owner(kind, obj)
    stored = RenderedDocument.objects.filter(
        kind=kind, fingerprint=print_fingerprint, **owner
    ).first()
    if stored is not None:
        return stored
    pdf, pages = render_pdf(TEMPLATES[kind], context)
    organisation = (owner["program"] or owner["course"].program).organisation
    document = RenderedDocument(
        organisation=organisation, kind=kind, fingerprint=print_fingerprint, pages=pages, **owner
    )
    document.file.save(
        f"{kind}-{obj.pk}-{print_fingerprint[:12]}.pdf", ContentFile(pdf), save=False
    )
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another worker rendered the same content meanwhile
        document.file.delete(save=False)
        return RenderedDocument.objects.get(kind=kind, fingerprint=print_fingerprint, **owner)
    # Older renderings of this document show outdated content; their files go.
    for old in RenderedDocument.objects.filter(kind=kind, **owner).exclude(pk=document.pk):
        old.file.delete(save=False)
        old.delete()
    return document


def document_object(kind: str, pk: int):
    model = Program if kind in (Kind.PROGRAM_MANUAL, Kind.CONTACT_CARD) else Course
    return model.objects.select_related(
        "organisation" if model is Program else "program__organisation"
    ).get(pk=pk)
