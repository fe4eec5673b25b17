"""Template tags that draw the report charts (see evaluation.charts)."""

from django import template
from django.utils.translation import gettext as _

from evaluation import charts

register = template.Library()


@register.simple_tag
def option_colour(index: int, options: int) -> str:
    return charts.scale_colour(index, options)


@register.simple_tag
def item_distribution(item):
    count = len(item.options)
    return charts.distribution_bar(
        [(option.percent, charts.scale_colour(i, count)) for i, option in enumerate(item.options)],
        summary="; ".join(
            f"{option.label}: {charts.decimal(option.percent, 0)} %" for option in item.options
        ),
    )


def _bar(series: str, score_or_domain) -> charts.Bar:
    if score_or_domain is None:
        return charts.Bar(series, None, _("ingen svar"))
    if not score_or_domain.shown.visible:
        return charts.Bar(series, None, _("skjult"))
    if score_or_domain.mean is None:
        return charts.Bar(series, None, _("ingen svar"))
    return charts.Bar(series, score_or_domain.mean)


@register.simple_tag
def comparison_chart(comparison):
    """Before and after means of a questionnaire's score."""
    score = comparison.before
    return charts.bar_chart(
        _("Gennemsnit før og efter: %(name)s") % {"name": comparison.questionnaire.name},
        [
            charts.BarGroup(
                _("Score"),
                [_bar(_("Før"), comparison.before), _bar(_("Efter"), comparison.after)],
            )
        ],
        score.low,
        score.high,
    )


@register.simple_tag
def domain_chart(report, before=None, after=None):
    """Domain means of one questionnaire: before and after when both are given, else one."""
    phases = [(_("Før"), before), (_("Efter"), after)] if before or after else []
    if not phases:
        phases = [(report.phase_label, report)]
    groups = []
    for domain in report.domains:
        bars = []
        for series, phase_report in phases:
            found = None
            if phase_report is not None:
                found = next((d for d in phase_report.domains if d.domain == domain.domain), None)
            bars.append(_bar(series, found))
        groups.append(charts.BarGroup(str(domain.label), bars))
    low, high = report.scale_low, report.scale_high
    return charts.bar_chart(
        _("Gennemsnit pr. domæne: %(name)s") % {"name": report.questionnaire.name},
        groups,
        low,
        high,
    )
