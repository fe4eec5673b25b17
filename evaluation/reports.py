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

import contextlib
import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
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


class _Form:
    """A questionnaire with what every response and figure of it needs, read once: its
    items, its scale's usable options and bounds."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.items = list(questionnaire.items.all())
        self.usable_bounds = usable_scale_bounds(questionnaire)
        self.options = scoring.scale_options(questionnaire.scale)
        try:
            self.scale_bounds: tuple[int, int] | None = scoring.scale_bounds(questionnaire.scale)
        except ValueError:  # no usable scale: no response has a score
            self.scale_bounds = None
        self.domains = list(dict.fromkeys(item.domain for item in self.items if item.domain))


@dataclass
class _Batch:
    """The answers of one release of one course phase to one questionnaire, gathered once
    for every figure: a report's figures are built from whole batches, since a figure takes
    a course's answers release by release (evaluation.suppression.Visibility.members)."""

    course_id: int
    release: int
    responses: int = 0
    #: The scores of its complete responses.
    scores: list[float] = field(default_factory=list)
    #: Per domain, the domain score of each response that has one.
    domains: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: Per item number, how often each answer was given, as stored (left-out answers are not
    #: here): the same few answers recur, so each is scored once per batch, not per answer.
    answers: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, answers: dict, form: _Form) -> None:
        self.responses += 1
        if form.scale_bounds is not None:
            # An answer outside the scale (the scale was edited since) gives no scores.
            with contextlib.suppress(ValueError):
                score = scoring.questionnaire_score(
                    form.questionnaire, form.items, answers, bounds=form.scale_bounds
                )
                # A questionnaire without domains need not score the answers a second time.
                domains = (
                    scoring.domain_scores(
                        form.items, answers, form.questionnaire.scale, bounds=form.scale_bounds
                    )
                    if form.domains
                    else {}
                )
                if score is not None:
                    self.scores.append(score)
                for domain, value in domains.items():
                    self.domains[domain].append(value)
        for item in form.items:
            raw = answers.get(str(item.number))
            if raw not in (None, "") and not (isinstance(raw, str) and not raw.strip()):
                self.answers[item.number][raw] += 1

    def families(self) -> Iterable[tuple[tuple, int]]:
        """The figures its answers contribute to, each with how many answers."""
        yield ("responses",), self.responses
        if self.scores:
            yield ("score",), len(self.scores)
        for domain, values in self.domains.items():
            yield ("domain", domain), len(values)
        for number, given in self.answers.items():
            yield ("item", number), given.total()


def _visibility(batches: Iterable[tuple[tuple[str, int], _Batch]]) -> Visibility:
    """Which answers each figure may use and which course may show it, from the counts of
    answers per figure, course and release (evaluation.suppression decides)."""
    per_release: dict[tuple, dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for (phase, questionnaire_id), batch in batches:
        for family, count in batch.families():
            key = (phase, questionnaire_id, *family)
            per_release[key][batch.course_id][batch.release] += count
    return Visibility(per_release)


def _percent(count: int, total: int) -> float:
    return 100 * count / total if total else 0.0


def _item_report(item, form: _Form, members, shown, rng) -> ItemReport:
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
            str(raw).strip()
            for batch in members(only_shown_courses=True)
            for raw in batch.answers.get(item.number, Counter()).elements()
        ]
        report.texts = texts if len(texts) >= MIN_GROUP else []
        rng.shuffle(report.texts)
        return report
    given: Counter = Counter()
    for batch in members():
        given.update(batch.answers.get(item.number, {}))
    high, low = form.usable_bounds
    counts: defaultdict[int, int] = defaultdict(int)
    for raw, times in given.items():
        counts[int(raw)] += times
    report.options = [
        OptionShare(
            score=int(option["score"]),
            label=option["label"],
            count=counts[int(option["score"])],
            percent=_percent(counts[int(option["score"])], given.total()),
        )
        for option in form.options
    ]
    if not report.options:
        return report
    scores = []
    for raw, times in given.items():
        if low <= int(raw) <= high:
            scores += [scoring.item_score(item, raw, high, low)] * times
    report.mean = fmean(scores) if scores else None
    return report


def _score_bounds(form: _Form) -> tuple[float, float]:
    questionnaire = form.questionnaire
    high, low = form.usable_bounds
    scale_items = sum(1 for item in form.items if item.kind == Item.Kind.SCALE)
    if questionnaire.scoring == Questionnaire.Scoring.WHO5:
        return 0, 100
    if questionnaire.scoring == Questionnaire.Scoring.SUM:
        return low * scale_items, high * scale_items
    return low, high


def _score_report(form: _Form, batches, shown) -> ScoreReport:
    questionnaire = form.questionnaire
    low, high = _score_bounds(form)
    report = ScoreReport(shown=shown, low=low, high=high)
    if not shown.visible:
        return report
    scores = [score for batch in batches for score in batch.scores]
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


def _questionnaire_report(form: _Form, phase, batches, visibility, course_id, rng):
    questionnaire = form.questionnaire

    def shown(*family):
        return visibility.shown((phase, questionnaire.pk, *family), course_id)

    def members(*family):
        def of_family(*, only_shown_courses=False):
            return visibility.members(
                (phase, questionnaire.pk, *family),
                batches,
                only_shown_courses=only_shown_courses and course_id is None,
            )

        return of_family

    domains = []
    for domain in form.domains:
        domain_shown = shown("domain", domain)
        values = [
            value
            for batch in members("domain", domain)()
            for value in batch.domains.get(domain, ())
        ]
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
        score=_score_report(form, members("score")(), shown("score")),
        domains=domains,
        items=[
            _item_report(item, form, members("item", item.number), shown("item", item.number), rng)
            for item in form.items
        ],
    )


def _group_report(title, course_id, by_key, forms, visibility, invited, rng, released_on):
    # The questionnaires the group has released answers to, in the order they are shown.
    keys = [
        (phase, questionnaire_id)
        for phase in PHASES
        for key_phase, questionnaire_id in sorted(by_key)
        if key_phase == phase
        and visibility.shown((phase, questionnaire_id, "responses"), course_id).count
    ]
    answered = {
        phase: max(
            (
                visibility.shown((phase, questionnaire_id, "responses"), course_id)
                for key_phase, questionnaire_id in keys
                if key_phase == phase
            ),
            key=lambda shown: shown.count,
            default=Shown(0, FEW),
        )
        for phase in PHASES
    }
    return GroupReport(
        title=title,
        course_id=course_id,
        invited=invited,
        answered=answered,
        figures=lambda: [
            _questionnaire_report(
                forms[questionnaire_id],
                phase,
                by_key[phase, questionnaire_id],
                visibility,
                course_id,
                rng,
            )
            for phase, questionnaire_id in keys
        ],
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
    """A programme's answers, scored and gathered in batches once, and what each course may
    show of them."""

    #: Per course (None: the programme), its batches per (phase, questionnaire id).
    by_group: dict[int | None, dict[tuple[str, int], list[_Batch]]]
    forms: dict[int, _Form]
    visibility: Visibility
    invited: dict[int | None, dict[str, int]]
    released_on: dict[int | None, datetime.date]

    def group(self, title, course_id, rng) -> GroupReport:
        return _group_report(
            title,
            course_id,
            self.by_group.get(course_id, {}),
            self.forms,
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
    forms = {
        questionnaire.pk: _Form(questionnaire)
        for questionnaire in Questionnaire.objects.filter(
            pk__in={row["questionnaire_id"] for row in rows}
        ).prefetch_related("items")
    }
    batches: dict[tuple[int, str, int, int], _Batch] = {}
    for row in rows:
        release = release_of[str(row["id"])]
        key = (row["course_id"], row["phase"], row["questionnaire_id"], release)
        if key not in batches:
            batches[key] = _Batch(course_id=row["course_id"], release=release)
        batches[key].add(row["answers"], forms[row["questionnaire_id"]])
    by_group: dict[int | None, dict[tuple[str, int], list[_Batch]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (course_id, phase, questionnaire_id, _release), batch in batches.items():
        by_group[course_id][phase, questionnaire_id].append(batch)
        by_group[None][phase, questionnaire_id].append(batch)
    return _ProgramAnswers(
        by_group,
        forms,
        _visibility(
            ((phase, questionnaire_id), batch)
            for (_course, phase, questionnaire_id, _release), batch in batches.items()
        ),
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
