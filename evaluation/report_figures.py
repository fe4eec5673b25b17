"""What a report holds: the figures of a course or a programme, each with whether it may be
shown (evaluation.suppression.Shown). Built by evaluation.reports, drawn by the report
templates, written as CSV by evaluation.report_csv."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from evaluation import scoring
from evaluation.models import Phase, Questionnaire
from evaluation.suppression import Shown
from groups.models import Program


def usable_scale_bounds(questionnaire: Questionnaire) -> tuple[int, int]:
    """(highest, lowest) score of the questionnaire's usable options; (0, 0) when it has none
    (a scale stored before scales were checked), so that its report shows no figures."""
    try:
        return scoring.scale_bounds(questionnaire.scale)
    except ValueError:
        return 0, 0


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
        return usable_scale_bounds(self.questionnaire)[0]

    @property
    def scale_low(self) -> int:
        return usable_scale_bounds(self.questionnaire)[1]


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
    """One course, or a whole programme.

    Its figures per questionnaire are worked out when first read (`figures`): the programme
    page lists every course's number of answers, and only the CSV reads every course's
    figures.
    """

    title: str
    course_id: int | None
    invited: dict[str, int]
    answered: dict[str, Shown]
    figures: Callable[[], list[QuestionnaireReport]] = field(repr=False, compare=False)
    released_on: datetime.date | None = None

    @cached_property
    def questionnaires(self) -> list[QuestionnaireReport]:
        return self.figures()

    @cached_property
    def comparisons(self) -> list[Comparison]:
        after = {
            report.questionnaire.pk: report
            for report in self.questionnaires
            if report.phase == Phase.AFTER
        }
        return [
            Comparison(report, after[report.questionnaire.pk])
            for report in self.questionnaires
            if report.phase == Phase.BEFORE and report.questionnaire.pk in after
        ]

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
