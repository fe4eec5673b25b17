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
from dataclasses import dataclass, field
from statistics import fmean

from django.utils.translation import gettext_lazy as _

from evaluation import scoring, suppression
from evaluation.models import (
    InvitationCount,
    Item,
    Phase,
    Questionnaire,
    ReportRelease,
    Response,
)
from evaluation.suppression import FEW, MIN_GROUP, SUBTRACTION, hidden_courses, total_visible
from groups.models import Course, Program

HIDDEN_REASONS = {
    FEW: _("Skjult: færre end 5 svar."),
    SUBTRACTION: _("Skjult, så et andet forløbs lille gruppe ikke kan regnes ud."),
}
PHASES = [Phase.BEFORE, Phase.AFTER]


@dataclass
class Shown:
    """Whether a figure may be shown, and why not."""

    count: int
    hidden_reason: str = ""

    @property
    def visible(self) -> bool:
        return not self.hidden_reason

    @property
    def hidden_text(self):
        return HIDDEN_REASONS.get(self.hidden_reason, "")

    @property
    def count_text(self) -> str:
        """The number of answers, except for a hidden group: too small to name its size, or
        hidden so that a small group's size cannot be worked out from it."""
        if self.hidden_reason == FEW:
            return str(_("under 5"))
        if self.hidden_reason:
            return str(_("skjult"))
        return str(self.count)


@dataclass
class OptionShare:
    score: int
    label: str
    count: int
    percent: float


@dataclass
class ItemReport:
    number: int
    text: str
    kind: str
    domain: str
    reverse_scored: bool
    shown: Shown
    options: list[OptionShare] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class Band:
    key: str
    label: str
    count: int
    percent: float


@dataclass
class ScoreReport:
    shown: Shown
    mean: float | None = None
    low: float = 0
    high: float = 0
    bands: list[Band] = field(default_factory=list)
    mean_band: str = ""


@dataclass
class DomainReport:
    domain: str
    label: str
    shown: Shown
    mean: float | None = None


@dataclass
class QuestionnaireReport:
    questionnaire: Questionnaire
    phase: str
    responses: Shown
    score: ScoreReport
    domains: list[DomainReport]
    items: list[ItemReport]

    @property
    def phase_label(self):
        return Phase(self.phase).label

    @property
    def scale_high(self) -> int:
        return _scale_bounds(self.questionnaire)[0]

    @property
    def scale_low(self) -> int:
        return _scale_bounds(self.questionnaire)[1]


@dataclass
class Comparison:
    """Before and after of one questionnaire, each phase with its own group."""

    before_report: QuestionnaireReport
    after_report: QuestionnaireReport

    @property
    def questionnaire(self) -> Questionnaire:
        return self.before_report.questionnaire

    @property
    def before(self) -> ScoreReport:
        return self.before_report.score

    @property
    def after(self) -> ScoreReport:
        return self.after_report.score

    @property
    def visible(self) -> bool:
        return self.before.shown.visible and self.after.shown.visible

    @property
    def change(self) -> float | None:
        if not self.visible or self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean

    @property
    def has_domains(self) -> bool:
        return bool(self.before_report.domains)


@dataclass
class GroupReport:
    """One course, or a whole programme."""

    title: str
    course_id: int | None
    invited: dict[str, int]
    answered: dict[str, Shown]
    questionnaires: list[QuestionnaireReport]
    comparisons: list[Comparison]
    released_on: datetime.date | None = None

    def phase(self, phase: str) -> list[QuestionnaireReport]:
        return [report for report in self.questionnaires if report.phase == phase]

    @property
    def before(self):
        return self.phase(Phase.BEFORE)

    @property
    def after(self):
        return self.phase(Phase.AFTER)

    @property
    def invited_before(self):
        return self.invited.get(Phase.BEFORE, 0)

    @property
    def invited_after(self):
        return self.invited.get(Phase.AFTER, 0)

    @property
    def answered_before(self):
        return self.answered[Phase.BEFORE]

    @property
    def answered_after(self):
        return self.answered[Phase.AFTER]


@dataclass
class ProgramReport:
    program: Program
    total: GroupReport
    courses: list[GroupReport]


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


class _Visibility:
    """Which answers each figure may use, and which course may show it, decided across the
    whole programme."""

    def __init__(self, scored: list[_Scored], questionnaires: dict[int, Questionnaire]):
        per_release: dict[tuple, dict[int, dict[int, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )
        for response in scored:
            for family in _families(response, questionnaires[response.questionnaire_id]):
                key = (response.phase, response.questionnaire_id, *family)
                per_release[key][response.course_id][response.release] += 1
        self._cutoffs: dict[tuple, dict[int, int]] = {}
        self._counts: dict[tuple, dict[int, int]] = {}
        for key, per_course in per_release.items():
            cutoffs = {
                course: suppression.release_cutoff([new.get(n, 0) for n in range(1, max(new) + 1)])
                for course, new in per_course.items()
            }
            self._cutoffs[key] = cutoffs
            self._counts[key] = {
                course: sum(count for n, count in new.items() if n <= cutoffs[course])
                for course, new in per_course.items()
            }
        self._hidden = {key: hidden_courses(per_course) for key, per_course in self._counts.items()}

    def shown(self, key: tuple, course_id: int | None) -> Shown:
        per_course = self._counts.get(key, {})
        if course_id is None:
            count = sum(per_course.values())
            return Shown(count, "" if total_visible(per_course) else FEW)
        count = per_course.get(course_id, 0)
        # No released answers reads like a few: that nobody has answered yet must look the
        # same as answers waiting for their release.
        return Shown(count, self._hidden.get(key, {}).get(course_id, "" if count else FEW))

    def members(self, key: tuple, responses, *, only_shown_courses: bool = False) -> list:
        """The responses a figure may use: those in the releases it has reached, and with
        `only_shown_courses` only from courses that show the figure themselves."""
        cutoffs = self._cutoffs.get(key, {})
        return [
            response
            for response in responses
            if response.release <= cutoffs.get(response.course_id, 0)
            and (not only_shown_courses or self.shown(key, response.course_id).visible)
        ]


def _percent(count: int, total: int) -> float:
    return 100 * count / total if total else 0.0


def _scale_bounds(questionnaire) -> tuple[int, int]:
    """(highest, lowest) score of the questionnaire's usable options; (0, 0) when it has none
    (a scale stored before scales were checked), so that its report shows no figures."""
    try:
        return scoring.scale_bounds(questionnaire.scale)
    except ValueError:
        return 0, 0


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
    high, low = _scale_bounds(questionnaire)
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
    high, low = _scale_bounds(questionnaire)
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


def _invited(program) -> dict[int | None, dict[str, int]]:
    invited: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = InvitationCount.objects.filter(course__program=program).values_list(
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
    visibility: _Visibility
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


def _program_answers(program: Program) -> _ProgramAnswers:
    """Released responses, questionnaires with their items and invitations, each read once."""
    rows = list(
        Response.objects.filter(course__program=program).values(
            "id", "course_id", "phase", "questionnaire_id", "answers"
        )
    )
    # Releases are made as answers arrive (services.report_release_make); a report only reads.
    releases = list(ReportRelease.objects.filter(course__program=program))
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
        _Visibility(scored, questionnaires),
        _invited(program),
        released_on,
    )


def program_report(program: Program, *, rng: random.Random | None = None) -> ProgramReport:
    """The programme's report: its total and every course, with small groups hidden, in a
    constant number of queries."""
    rng = rng or random.SystemRandom()
    answers = _program_answers(program)
    return ProgramReport(
        program=program,
        total=answers.group(program.name, None, rng),
        courses=[
            answers.group(course.title, course.pk, rng)
            for course in program.courses.order_by("first_date", "pk")
        ],
    )


def course_report(course: Course, *, rng: random.Random | None = None) -> GroupReport:
    """One course's report; what it hides is decided together with its programme's courses."""
    answers = _program_answers(course.program)
    return answers.group(course.title, course.pk, rng or random.SystemRandom())


CSV_HEADER = [
    "niveau",
    "forløb",
    "fase",
    "spørgeskema",
    "mål",
    "spørgsmål",
    "svarmulighed",
    "værdi",
    "antal svar",
]
HIDDEN = "skjult"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def csv_group_rows(group: GroupReport) -> list[list[str]]:
    """Aggregates only, never free text; a hidden figure is written as "skjult"."""
    level = "forløb" if group.course_id else "program"
    course = group.title if group.course_id else ""
    rows = []

    def row(phase, questionnaire, measure, item, option, shown: Shown, value):
        if not shown.visible:
            value, count = HIDDEN, ""
        else:
            count = str(shown.count)
        rows.append([level, course, phase, questionnaire, measure, item, option, value, count])

    for phase in PHASES:
        label = str(Phase(phase).label)
        rows.append(
            [level, course, label, "", "inviterede", "", "", str(group.invited.get(phase, 0)), ""]
        )
        answered = group.answered[phase]
        rows.append([level, course, label, "", "besvarelser", "", "", answered.count_text, ""])
    for report in group.questionnaires:
        phase, name = str(report.phase_label), report.questionnaire.name
        row(
            phase,
            name,
            "gennemsnitlig score",
            "",
            "",
            report.score.shown,
            _number(report.score.mean),
        )
        for band in report.score.bands:
            row(
                phase,
                name,
                "WHO-5-gruppe",
                "",
                str(band.label),
                report.score.shown,
                str(band.count),
            )
        for domain in report.domains:
            row(phase, name, "domæne", str(domain.label), "", domain.shown, _number(domain.mean))
        for item in report.items:
            if item.kind != Item.Kind.SCALE:
                continue
            question = f"{item.number}. {item.text}"
            row(phase, name, "gennemsnit", question, "", item.shown, _number(item.mean))
            for option in item.options:
                row(phase, name, "antal", question, option.label, item.shown, str(option.count))
            if not item.options:
                row(phase, name, "antal", question, "", item.shown, "")
    return rows


def csv_rows(report: ProgramReport) -> list[list[str]]:
    return [row for group in [report.total, *report.courses] for row in csv_group_rows(group)]
