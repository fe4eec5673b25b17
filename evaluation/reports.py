"""Evaluation reports per course and per programme, with small groups hidden.

Every figure is an aggregate over some responses: the answers to one item, the scores of the
complete responses, the responses that touch a domain. For each such figure (a "family") we
count the contributing responses per course and decide, across the whole programme, which
courses may show it (evaluation.suppression):

- reports read released answers only: a course phase's answers are released in batches of at
  least 5, and each figure moves only when at least 5 new answers to it have been released —
  so a report viewed before and after one person answered looks the same;
- a course with 1–4 contributing answers shows nothing (`MIN_GROUP`), and more courses are
  hidden while the programme figure minus the shown courses would cover 1–4 answers;
- the programme figure shows when it has at least `MIN_GROUP` answers.

Free text follows the same rule; the programme's free text holds only the text of courses
that show it themselves, in random order. Nothing here reads who answered: responses hold no
link to anyone.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from django.db.models import Q

from evaluation import scoring
from evaluation.models import (
    InvitationCount,
    Item,
    Phase,
    Questionnaire,
    ReportRelease,
    Response,
)
from evaluation.report_figures import (
    Band,
    Comparison,
    DomainReport,
    GroupReport,
    ItemReport,
    OptionShare,
    ProgramReport,
    QuestionnaireReport,
    ScoreReport,
    usable_scale_bounds,
)
from evaluation.suppression import FEW, MIN_GROUP, Shown, Visibility
from groups.models import Course, Program

PHASES = [Phase.BEFORE, Phase.AFTER]


@dataclass
class _Scored:
    """One response with what the report needs, computed once."""

    course_id: int
    phase: str
    questionnaire_id: int
    answers: dict
    score: float | None
    domains: dict[str, float]
    release: int


def _scored(response, questionnaire, release: int) -> _Scored:
    items = questionnaire.items.all()
    try:
        score = scoring.questionnaire_score(questionnaire, items, response["answers"])
        domains = scoring.domain_scores(items, response["answers"], questionnaire.scale)
    except ValueError:  # an answer outside the scale (the scale was edited since)
        score, domains = None, {}
    return _Scored(
        course_id=response["course_id"],
        phase=response["phase"],
        questionnaire_id=response["questionnaire_id"],
        answers=response["answers"],
        score=score,
        domains=domains,
        release=release,
    )


def _answered(scored: _Scored, item) -> bool:
    raw = scored.answers.get(str(item.number))
    return raw not in (None, "") and not (isinstance(raw, str) and not raw.strip())


def _families(scored: _Scored, questionnaire) -> Iterable[tuple]:
    """The figures this response contributes to."""
    yield ("responses",)
    if scored.score is not None:
        yield ("score",)
    for domain in scored.domains:
        yield ("domain", domain)
    for item in questionnaire.items.all():
        if _answered(scored, item):
            yield ("item", item.number)


def _visibility(scored: list[_Scored], questionnaires: dict[int, Questionnaire]) -> Visibility:
    """Which answers each figure may use and which course may show it, from the counts of
    answers per figure, course and release (evaluation.suppression decides)."""
    per_release: dict[tuple, dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for response in scored:
        for family in _families(response, questionnaires[response.questionnaire_id]):
            key = (response.phase, response.questionnaire_id, *family)
            per_release[key][response.course_id][response.release] += 1
    return Visibility(per_release)


def _percent(count: int, total: int) -> float:
    return 100 * count / total if total else 0.0


def _item_report(item, questionnaire, members, shown, rng) -> ItemReport:
    report = ItemReport(
        number=item.number,
        text=item.text,
        kind=item.kind,
        domain=Item.Domain(item.domain).label if item.domain else "",
        reverse_scored=item.reverse_scored,
        shown=shown,
    )
    if not shown.visible:
        return report
    if item.kind == Item.Kind.TEXT:
        # Text cannot be summed, so a programme lists only the text its shown courses list.
        texts = [
            str(r.answers[str(item.number)]).strip()
            for r in members(only_shown_courses=True)
            if _answered(r, item)
        ]
        report.texts = texts if len(texts) >= MIN_GROUP else []
        rng.shuffle(report.texts)
        return report
    given = [r.answers[str(item.number)] for r in members() if _answered(r, item)]
    high, low = usable_scale_bounds(questionnaire)
    counts = defaultdict(int)
    for raw in given:
        counts[int(raw)] += 1
    report.options = [
        OptionShare(
            score=int(option["score"]),
            label=option["label"],
            count=counts[int(option["score"])],
            percent=_percent(counts[int(option["score"])], len(given)),
        )
        for option in scoring.scale_options(questionnaire.scale)
    ]
    if not report.options:
        return report
    scores = [scoring.item_score(item, raw, high, low) for raw in given if low <= int(raw) <= high]
    report.mean = fmean(scores) if scores else None
    return report


def _score_bounds(questionnaire) -> tuple[float, float]:
    high, low = usable_scale_bounds(questionnaire)
    scale_items = sum(1 for item in questionnaire.items.all() if item.kind == Item.Kind.SCALE)
    if questionnaire.scoring == Questionnaire.Scoring.WHO5:
        return 0, 100
    if questionnaire.scoring == Questionnaire.Scoring.SUM:
        return low * scale_items, high * scale_items
    return low, high


def _score_report(questionnaire, responses, shown) -> ScoreReport:
    low, high = _score_bounds(questionnaire)
    report = ScoreReport(shown=shown, low=low, high=high)
    if not shown.visible:
        return report
    scores = [r.score for r in responses if r.score is not None]
    report.mean = fmean(scores)
    if questionnaire.scoring == Questionnaire.Scoring.WHO5:
        bands = defaultdict(int)
        for score in scores:
            bands[scoring.who5_band(score)] += 1
        report.bands = [
            Band(key, label, bands[key], _percent(bands[key], len(scores)))
            for key, label in scoring.WHO5_BAND_LABELS.items()
        ]
        report.mean_band = scoring.WHO5_BAND_LABELS[scoring.who5_band(report.mean)]
    return report


def _questionnaire_report(questionnaire, phase, responses, visibility, course_id, rng):
    def shown(*family):
        return visibility.shown((phase, questionnaire.pk, *family), course_id)

    def members(*family):
        def of_family(*, only_shown_courses=False):
            return visibility.members(
                (phase, questionnaire.pk, *family),
                responses,
                only_shown_courses=only_shown_courses and course_id is None,
            )

        return of_family

    domains = []
    for domain in dict.fromkeys(item.domain for item in questionnaire.items.all() if item.domain):
        domain_shown = shown("domain", domain)
        values = [r.domains[domain] for r in members("domain", domain)() if domain in r.domains]
        domains.append(
            DomainReport(
                domain=domain,
                label=Item.Domain(domain).label,
                shown=domain_shown,
                mean=fmean(values) if domain_shown.visible and values else None,
            )
        )
    return QuestionnaireReport(
        questionnaire=questionnaire,
        phase=phase,
        responses=shown("responses"),
        score=_score_report(questionnaire, members("score")(), shown("score")),
        domains=domains,
        items=[
            _item_report(
                item, questionnaire, members("item", item.number), shown("item", item.number), rng
            )
            for item in questionnaire.items.all()
        ],
    )


def _group_report(title, course_id, scored, questionnaires, visibility, invited, rng, released_on):
    mine = [r for r in scored if course_id is None or r.course_id == course_id]
    by_key = defaultdict(list)
    for response in mine:
        by_key[(response.phase, response.questionnaire_id)].append(response)
    reports = [
        _questionnaire_report(
            questionnaires[questionnaire_id], phase, responses, visibility, course_id, rng
        )
        for phase in PHASES
        for (key_phase, questionnaire_id), responses in sorted(by_key.items())
        if key_phase == phase
        and visibility.shown((phase, questionnaire_id, "responses"), course_id).count
    ]
    answered = {}
    for phase in PHASES:
        phase_reports = [report.responses for report in reports if report.phase == phase]
        answered[phase] = max(phase_reports, key=lambda s: s.count, default=Shown(0, FEW))
    comparisons = []
    after = {report.questionnaire.pk: report for report in reports if report.phase == Phase.AFTER}
    for report in reports:
        if report.phase == Phase.BEFORE and report.questionnaire.pk in after:
            comparisons.append(Comparison(report, after[report.questionnaire.pk]))
    return GroupReport(
        title=title,
        course_id=course_id,
        invited=invited,
        answered=answered,
        questionnaires=reports,
        comparisons=comparisons,
        released_on=released_on,
    )


def _invited(courses) -> dict[int | None, dict[str, int]]:
    invited: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = InvitationCount.objects.filter(course__in=courses).values_list(
        "course_id", "phase", "issued"
    )
    for course_id, phase, issued in rows:
        invited[course_id][phase] += issued
        invited[None][phase] += issued
    return invited


@dataclass
class _ProgramAnswers:
    """A programme's answers, scored once, and what each course may show of them."""

    scored: list[_Scored]
    questionnaires: dict[int, Questionnaire]
    visibility: Visibility
    invited: dict[int | None, dict[str, int]]
    released_on: dict[int | None, datetime.date]

    def group(self, title, course_id, rng) -> GroupReport:
        return _group_report(
            title,
            course_id,
            self.scored,
            self.questionnaires,
            self.visibility,
            self.invited[course_id],
            rng,
            self.released_on.get(course_id),
        )


def _courses(program: Program, course_filter: Q | None):
    courses = Course.objects.filter(program=program)
    return courses if course_filter is None else courses.filter(course_filter)


def _program_answers(program: Program, course_filter: Q | None) -> _ProgramAnswers:
    """Released responses, questionnaires with their items and invitations, each read once,
    of the courses `course_filter` lets through (peerprogram.permissions.report_course_filter)."""
    courses = _courses(program, course_filter)
    rows = list(
        Response.objects.filter(course__in=courses).values(
            "id", "course_id", "phase", "questionnaire_id", "answers"
        )
    )
    # Releases are made as answers arrive (services.report_release_make); a report only reads.
    releases = list(ReportRelease.objects.filter(course__in=courses))
    release_of = {pk: release.number for release in releases for pk in release.response_ids}
    released_on: dict[int | None, datetime.date] = {}
    for release in releases:
        for key in (release.course_id, None):
            released_on[key] = max(released_on.get(key, release.released_on), release.released_on)
    rows = [row for row in rows if str(row["id"]) in release_of]
    questionnaires = {
        questionnaire.pk: questionnaire
        for questionnaire in Questionnaire.objects.filter(
            pk__in={row["questionnaire_id"] for row in rows}
        ).prefetch_related("items")
    }
    scored = [
        _scored(row, questionnaires[row["questionnaire_id"]], release_of[str(row["id"])])
        for row in rows
    ]
    return _ProgramAnswers(
        scored,
        questionnaires,
        _visibility(scored, questionnaires),
        _invited(courses),
        released_on,
    )


def program_report(
    program: Program, *, course_filter: Q | None = None, rng: random.Random | None = None
) -> ProgramReport:
    """The programme's report: its total and every course, with small groups hidden, in a
    constant number of queries. With `course_filter`, only the courses it lets through, and
    the total computed from them alone."""
    rng = rng or random.SystemRandom()
    answers = _program_answers(program, course_filter)
    return ProgramReport(
        program=program,
        total=answers.group(program.name, None, rng),
        courses=[
            answers.group(course.title, course.pk, rng)
            for course in _courses(program, course_filter).order_by("first_date", "pk")
        ],
    )


def course_report(
    course: Course, *, course_filter: Q | None = None, rng: random.Random | None = None
) -> GroupReport:
    """One course's report; what it hides is decided together with the programme's courses
    that `course_filter` lets through."""
    answers = _program_answers(course.program, course_filter)
    return answers.group(course.title, course.pk, rng or random.SystemRandom())
