"""A report as CSV rows: aggregates only, never free text, hidden figures written as "skjult"."""

from evaluation.models import Item, Phase
from evaluation.report_figures import GroupReport, ProgramReport
from evaluation.reports import PHASES
from evaluation.suppression import Shown

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
