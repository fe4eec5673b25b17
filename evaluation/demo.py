"""Demo answers: the running Fredericia course's before-questionnaires, so the report has
figures to show. Made up, and like every answer linked to no one."""

from evaluation.instruments import install_templates
from evaluation.models import Item, Phase, Questionnaire, Response
from evaluation.services import iso_week, report_release_make
from groups.models import Course

DEMO_COURSE = "Fredericia, formiddag"
# One row per made-up answer: WHO-5 items 1–5 (0–5), then CHIME items 1–8 (0–4).
DEMO_ANSWERS = [
    ((2, 1, 1, 2, 2), (2, 3, 2, 1, 2, 1, 2, 2)),
    ((3, 2, 2, 1, 2), (3, 2, 3, 2, 2, 2, 3, 2)),
    ((1, 1, 0, 1, 1), (1, 4, 1, 1, 1, 1, 1, 1)),
    ((2, 3, 2, 2, 3), (2, 2, 3, 3, 2, 2, 2, 3)),
    ((4, 3, 3, 2, 3), (3, 1, 3, 3, 3, 3, 3, 3)),
    ((1, 2, 1, 1, 2), (1, 3, 2, 1, 2, 1, 2, 1)),
    ((2, 2, 1, 2, 1), (2, 3, 2, 2, 1, 2, 1, 2)),
    ((3, 3, 2, 3, 2), (2, 2, 3, 2, 3, 2, 3, 3)),
]
DEMO_TEXTS = [
    "Jeg håber at møde nogen, der forstår, hvordan det er.",
    "Jeg er spændt, men også lidt nervøs for at skulle sige noget i gruppen.",
    "Det betyder meget, at lederne selv har prøvet det.",
    "Jeg vil gerne have nogle redskaber til de dårlige dage.",
    "Jeg har været alene med det længe.",
]


def load(stdout=None):
    course = Course.objects.filter(title=DEMO_COURSE).first()
    if course is None or Response.objects.filter(course=course).exists():
        return
    who5, chime = install_templates(Questionnaire, Item)
    week = iso_week(course.first_date)
    responses = []
    for index, (who5_items, chime_items) in enumerate(DEMO_ANSWERS):
        chime_answers = {str(n): score for n, score in enumerate(chime_items, start=1)}
        if index < len(DEMO_TEXTS):
            chime_answers["9"] = DEMO_TEXTS[index]
        responses += [
            Response(
                course=course,
                phase=Phase.BEFORE,
                questionnaire=who5,
                iso_week=week,
                answers={str(n): score for n, score in enumerate(who5_items, start=1)},
            ),
            Response(
                course=course,
                phase=Phase.BEFORE,
                questionnaire=chime,
                iso_week=week,
                answers=chime_answers,
            ),
        ]
    Response.objects.bulk_create(responses)
    report_release_make(course_id=course.pk, phase=Phase.BEFORE)
