"""Charts for the reports, drawn on the server as SVG.

They are plain markup (no scripts, no style attributes), so they work under the Content
Security Policy and print the same in the PDF. Every chart sits next to a table with the same
figures, or says its figures in its title, so it is never the only way to read them.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# From the darkest (the highest answer) to the lightest; white gaps separate the segments.
SCALE_COLOURS = ["#08306b", "#1f5fa6", "#4a90c9", "#8fbde0", "#c0d7ec", "#dfeaf5"]
SERIES_COLOURS = ["#8fbde0", "#0b4f8a"]  # before (light), after (dark)
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#6b6b6b"


def scale_colour(index: int, options: int) -> str:
    """The colour of the index-th answer option (highest first) on a scale of `options`."""
    if options <= 1:
        return SCALE_COLOURS[0]
    step = (len(SCALE_COLOURS) - 1) / (options - 1)
    return SCALE_COLOURS[round(index * step)]


def decimal(value: float, places: int = 1) -> str:
    return number_format(value, places)


def distribution_bar(shares: list[tuple[float, str]], summary: str = "") -> SafeString:
    """A 100 % bar of answer shares (percent, colour), highest answer first.

    Decorative on a page (the table beside it holds the figures); a tagged PDF needs an
    alternative text for every figure, so `summary` becomes its title.
    """
    x = 0.0
    segments = []
    for percent, colour in shares:
        if percent > 0:
            segments.append((f"{x:.2f}", f"{percent:.2f}", colour))
        x += percent
    rects = format_html_join(
        "",
        '<rect x="{}" y="0" width="{}" height="10" fill="{}" stroke="#ffffff" stroke-width="0.4"/>',
        segments,
    )
    return format_html(
        '<svg class="chart chart-distribution" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'width="100%" height="18" aria-hidden="true" focusable="false"><title>{}</title>'
        '<rect x="0" y="0" width="100" height="10" fill="#f4f4f4"/>{}</svg>',
        summary,
        rects,
    )


@dataclass
class Bar:
    series: str
    value: float | None  # None: hidden or no answers
    note: str = ""  # shown instead of a value


@dataclass
class BarGroup:
    label: str
    bars: list[Bar]


LABEL_WIDTH = 190
PLOT_WIDTH = 330
VALUE_WIDTH = 120
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14


def bar_chart(title: str, groups: list[BarGroup], low: float, high: float) -> SafeString:
    """Horizontal bars on a common axis from `low` to `high`, a group of bars per label.

    The chart is an image whose accessible name (its <title>) states every value.
    """
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    span = (high - low) or 1
    parts = []
    summary = []
    y = 22
    for group in groups:
        group_height = len(group.bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="{}" font-size="13" dominant-baseline="middle">{}</text>',
                y + group_height / 2,
                TEXT_COLOUR,
                group.label,
            )
        )
        values = []
        for index, bar in enumerate(group.bars):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            text = bar.note if bar.value is None else decimal(bar.value)
            if bar.value is not None:
                length = max(0.0, min(1.0, (bar.value - low) / span)) * PLOT_WIDTH
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                        'stroke-width="0.5"/>',
                        LABEL_WIDTH,
                        y,
                        f"{length:.1f}",
                        BAR_HEIGHT,
                        colour,
                        AXIS_COLOUR,
                    )
                )
                text_x = LABEL_WIDTH + length + 6
            else:
                text_x = LABEL_WIDTH + 6
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" font-size="12" '
                    'dominant-baseline="middle">{}: {}</text>',
                    f"{text_x:.1f}",
                    y + BAR_HEIGHT / 2,
                    TEXT_COLOUR,
                    bar.series,
                    text,
                )
            )
            values.append(f"{bar.series} {text}")
            y += BAR_HEIGHT + BAR_GAP
        summary.append(f"{group.label}: {', '.join(values)}")
        y += GROUP_GAP - BAR_GAP
    axis = format_html(
        '<line x1="{x}" y1="14" x2="{x}" y2="{bottom}" stroke="{c}" stroke-width="1"/>'
        '<text x="{x}" y="10" fill="{t}" font-size="11" text-anchor="middle">{low}</text>'
        '<text x="{end}" y="10" fill="{t}" font-size="11" text-anchor="middle">{high}</text>',
        x=LABEL_WIDTH,
        end=LABEL_WIDTH + PLOT_WIDTH,
        bottom=y,
        c=AXIS_COLOUR,
        t=TEXT_COLOUR,
        low=decimal(low, 0),
        high=decimal(high, 0),
    )
    return format_html(
        '<svg class="chart chart-bars" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" font-family="Source Sans 3, Segoe UI, Arial, sans-serif">'
        "<title>{title}. {summary}</title>{axis}{parts}</svg>",
        w=width,
        h=y + 4,
        title=title,
        summary="; ".join(summary),
        axis=axis,
        parts=SafeString("".join(parts)),
    )
