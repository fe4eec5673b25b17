"""Manuals and printables as real PDFs: text, page numbers, fonts, caching and access."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from groups import manuals
from groups.models import Course, RenderedDocument
from groups.services import course_plan_sessions, session_cancel, session_move
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory, ThemeFactory
from tests.pdf_structure import assert_accessible_pdf

pytestmark = pytest.mark.django_db

PNG_DIR = Path(__file__).resolve().parents[2] / ".artifacts" / "pdf"
TZ = timezone.get_default_timezone()
VEJEN_THEMES = [
    "Ankomst og godt igang",
    "Hvad siger jeg til andre når..",
    "Find ud af hvad der er vigtigst for dig!",
    "Forskelle og ligheder – plads til alt vi er",
    "Chancer der er værd at tage",
    "Opsamling på chancer og vores netværk",
    "Livshistoriefortælling",
    "Sådan sætter du dagsordenen",
    "Fra drømme til hverdagslivet",
    "Forkæl dig selv",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def program(org_a):
    program = ProgramFactory(
        organisation=org_a,
        name="Vejen til Hverdagslivet",
        legal_basis="Serviceloven § 82 a og § 82 d",
    )
    for number, title in enumerate(VEJEN_THEMES, start=1):
        ThemeFactory(
            program=program,
            number=number,
            title=title,
            purpose="Deltagerne mærker, at de ikke står alene – øvelser på skrå.",
            exercises="Runde, parsamtale og fælles opsamling.",
            facilitator_notes="Hold øje med tiden.",
        )
    return program


@pytest.fixture
def course(program):
    course = CourseFactory(
        program=program,
        title="Forår, Fredericia",
        place="Kulturhuset",
        first_date=datetime.date(2027, 1, 12),
        start_time=datetime.time(17, 0),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    return course


def pdf_of(document: RenderedDocument) -> PdfReader:
    with document.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def save_pngs(document: RenderedDocument, name: str) -> None:
    """Pages as pictures in an ignored folder, for a person to look at."""
    if not shutil.which("pdftoppm"):
        return
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", document.file.path, str(PNG_DIR / name)], check=True
    )


def test_the_programme_manual_has_every_theme_in_order_with_page_numbers(program):
    document = manuals.document_get_or_render(RenderedDocument.Kind.PROGRAM_MANUAL, program)
    save_pngs(document, "program-manual")
    reader = pdf_of(document)
    texts = page_texts(reader)
    whole = " ".join(texts)

    positions = [whole.find(title, whole.find(VEJEN_THEMES[-1]) + 1) for title in VEJEN_THEMES]
    assert -1 not in positions and positions == sorted(positions)
    assert f"Side 1 af {len(reader.pages)}" in whole or f"Side 2 af {len(reader.pages)}" in whole
    assert "æ" in whole and "ø" in whole and "å" in whole
    assert reader.metadata.title and "Vejen til Hverdagslivet" in reader.metadata.title
    assert document.pages == len(reader.pages)


def test_table_of_contents_page_numbers_are_where_the_chapters_start(program):
    document = manuals.document_get_or_render(RenderedDocument.Kind.PROGRAM_MANUAL, program)
    texts = page_texts(pdf_of(document))
    toc_index = next(i for i, text in enumerate(texts) if "Indhold" in text)
    for number, title in enumerate(VEJEN_THEMES, start=1):
        match = re.search(re.escape(title) + r"[\s.·…]*?(\d+)\b", texts[toc_index])
        assert match, f"{title!r} is not in the table of contents"
        listed_page = int(match.group(1))
        heading = f"Gang {number}"
        starts = [
            i + 1
            for i, text in enumerate(texts)
            if i > toc_index and heading in text and title in text
        ]
        assert starts and starts[0] == listed_page, (title, listed_page, starts)


def test_the_shipped_font_is_embedded(program):
    document = manuals.document_get_or_render(RenderedDocument.Kind.PROGRAM_MANUAL, program)
    fonts = set()
    for page in pdf_of(document).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("SourceSans3" in font.replace(" ", "").replace("-", "") for font in fonts), fonts


def test_the_course_edition_shows_dates_places_and_changed_sessions(course):
    session_move(
        session=course.sessions.get(number=3),
        starts_at=datetime.datetime(2027, 1, 28, 18, 0, tzinfo=TZ),
    )
    session_cancel(session=course.sessions.get(number=4))
    document = manuals.document_get_or_render(RenderedDocument.Kind.COURSE_MANUAL, course)
    save_pngs(document, "course-manual")
    whole = " ".join(page_texts(pdf_of(document)))
    assert "tirsdag den 12. januar 2027 kl. 17.00" in whole
    assert "torsdag den 28. januar 2027 kl. 18.00" in whole
    assert "flyttet" in whole and "aflyst" in whole
    assert "Kulturhuset" in whole and "Forår, Fredericia" in whole


def test_an_unchanged_manual_is_rendered_once(course, monkeypatch):
    renders = []
    real_render = manuals.render_pdf
    monkeypatch.setattr(
        manuals, "render_pdf", lambda *args: renders.append(1) or real_render(*args)
    )
    kind = RenderedDocument.Kind.COURSE_MANUAL
    first = manuals.document_get_or_render(kind, course)
    again = manuals.document_get_or_render(kind, course)
    assert first.pk == again.pk and len(renders) == 1

    session_move(
        session=course.sessions.get(number=2),
        starts_at=datetime.datetime(2027, 1, 20, 17, 0, tzinfo=TZ),
    )
    moved = manuals.document_get_or_render(kind, course)
    assert moved.pk != first.pk and len(renders) == 2

    theme = course.program.themes.get(number=5)
    theme.exercises = "En ny øvelse."
    theme.save()
    edited = manuals.document_get_or_render(kind, course)
    assert edited.pk != moved.pk and len(renders) == 3
    assert RenderedDocument.objects.filter(course=course).count() == 1  # old copies removed


def test_the_flyer_has_the_dates_and_a_qr_code_for_the_course_page(course, settings):
    settings.SITE_URL = "https://peer.example.dk"
    document = manuals.document_get_or_render(RenderedDocument.Kind.FLYER, course)
    save_pngs(document, "flyer")
    reader = pdf_of(document)
    whole = " ".join(page_texts(reader))
    assert len(reader.pages) == 1
    assert f"https://peer.example.dk/forloeb/{course.pk}/" in whole
    assert "12. januar 2027" in whole
    assert manuals.qr_data_uri("x").startswith("data:image/svg+xml")


def test_the_contact_card_tells_how_to_reach_a_peer(org_a):
    program = ProgramFactory(organisation=org_a, name="Ud i Livet", format="open_activity")
    document = manuals.document_get_or_render(RenderedDocument.Kind.CONTACT_CARD, program)
    save_pngs(document, "contact-card")
    whole = " ".join(page_texts(pdf_of(document)))
    assert "Ud i Livet" in whole and org_a.name in whole


def test_the_time_plan_fills_the_session_in_five_minute_steps():
    for minutes in (90, 120, 150):
        plan = manuals.time_plan(minutes)
        assert plan[0]["span"].startswith("0–")
        assert plan[-1]["span"].endswith(f"–{minutes} min")


@pytest.fixture
def coordinator_client(client_for, coordinator_a):
    return client_for(coordinator_a)


def test_a_coordinator_downloads_the_manual_from_the_course_page(coordinator_client, course):
    page = coordinator_client.get(reverse("admin:groups_course_change", args=[course.pk]))
    url = reverse("admin:groups_course_pdf", args=[course.pk, "course_manual"])
    assert url in page.content.decode()
    response = coordinator_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_organisations_pdf_is_not_found(client_for, coordinator_b, course):
    client = client_for(coordinator_b)
    for url in [
        reverse("admin:groups_course_pdf", args=[course.pk, "course_manual"]),
        reverse("admin:groups_program_pdf", args=[course.program.pk, "program_manual"]),
        reverse("admin:groups_course_manual_preview", args=[course.pk]),
        reverse("admin:participants_registration_attendance_sheet", args=[course.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert not RenderedDocument.objects.exists()


def test_an_unknown_kind_is_not_found(coordinator_client, course):
    url = reverse("admin:groups_course_pdf", args=[course.pk, "program_manual"])
    assert coordinator_client.get(url).status_code == 404


def test_the_manual_preview_is_html_with_the_same_chapters(coordinator_client, program):
    response = coordinator_client.get(
        reverse("admin:groups_program_manual_preview", args=[program.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert all(title in html for title in VEJEN_THEMES[:3])
    assert "print.css" in html


def test_the_attendance_sheet_lists_first_names_for_coordinators_only(coordinator_client, course):
    RegistrationFactory(course=course, participant__name="Sofie Hansen")
    RegistrationFactory(
        course=course, participant__name="Ali Nielsen", status="waitlisted", waitlist_position=1
    )
    response = coordinator_client.get(
        reverse("admin:participants_registration_attendance_sheet", args=[course.pk])
    )
    text = " ".join(page_texts(PdfReader(io.BytesIO(response.content))))
    assert "Sofie" in text and "Hansen" not in text and "Ali" not in text
    assert "12.01." in text


def test_a_manual_not_ready_shows_progress_until_the_worker_has_rendered_it(
    coordinator_client, course, monkeypatch
):
    from django.core.cache import cache

    from groups import tasks

    cache.clear()
    queued = []
    monkeypatch.setattr(tasks.render_document, "delay", lambda *args: queued.append(args))
    url = reverse("admin:groups_course_pdf", args=[course.pk, "course_manual"])
    waiting = coordinator_client.get(url)
    assert waiting.status_code == 200
    assert 'http-equiv="refresh"' in waiting.content.decode()
    coordinator_client.get(url)
    assert queued == [("course_manual", course.pk)]  # asked once, not on every refresh

    tasks.render_document("course_manual", course.pk)  # what the worker does
    ready = coordinator_client.get(url)
    assert ready["Content-Type"] == "application/pdf"
    cache.clear()


# Tagged PDFs -------------------------------------------------------------------------------------


def _bytes(document: RenderedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_programme_manual_is_a_tagged_pdf_with_headings_in_order_and_tables(program):
    document = manuals.document_get_or_render(RenderedDocument.Kind.PROGRAM_MANUAL, program)
    assert_accessible_pdf(_bytes(document), tables=True)


def test_the_course_manual_is_a_tagged_pdf(course):
    document = manuals.document_get_or_render(RenderedDocument.Kind.COURSE_MANUAL, course)
    assert_accessible_pdf(_bytes(document), tables=True)


def test_the_flyers_qr_code_says_where_it_leads(course, settings):
    document = manuals.document_get_or_render(RenderedDocument.Kind.FLYER, course)
    address = settings.SITE_URL + reverse("participants:course", args=[course.pk])
    assert_accessible_pdf(_bytes(document), alt_texts=(f"QR-kode til tilmelding: {address}",))


def test_the_contact_cards_qr_code_says_where_it_leads(org_a, settings):
    program = ProgramFactory(organisation=org_a, name="Ud i Livet", format="open_activity")
    document = manuals.document_get_or_render(RenderedDocument.Kind.CONTACT_CARD, program)
    address = settings.SITE_URL + reverse("volunteers:contact_request", args=[org_a.slug])
    assert_accessible_pdf(_bytes(document), alt_texts=(f"QR-kode til Kontakt en peer: {address}",))


def test_the_attendance_sheet_is_a_tagged_pdf_with_table_headers(coordinator_client, course):
    RegistrationFactory(course=course, status="accepted")
    response = coordinator_client.get(
        reverse("admin:participants_registration_attendance_sheet", args=[course.pk])
    )
    assert_accessible_pdf(response.content, tables=True)


def test_a_document_rendered_in_english_says_so(course):
    pdf, _pages = manuals.render_pdf(
        manuals.TEMPLATES[RenderedDocument.Kind.FLYER],
        manuals.document_context(RenderedDocument.Kind.FLYER, course),
        language="en",
    )
    assert_accessible_pdf(pdf, language="en")


def test_an_english_flyer_writes_its_dates_the_english_way(course):
    from pypdf import PdfReader as Reader

    pdf, _pages = manuals.render_pdf(
        manuals.TEMPLATES[RenderedDocument.Kind.FLYER],
        manuals.document_context(RenderedDocument.Kind.FLYER, course),
        language="en",
    )
    text = " ".join(page.extract_text() for page in Reader(io.BytesIO(pdf)).pages)
    assert "Tuesday 12 January 2027 at 17:00" in text
    assert not re.search(r"tirsdag|januar|kl\.|\d{1,2}/\d{1,2}/\d{2,4}", text)
