"""Scores for one response: pure functions, no database.

Items and questionnaires are taken as anything with the right attributes — a model instance,
a historical model or a `SimpleNamespace`:

- an item has `number`, `kind` ("scale" or "text"), `reverse_scored` and `domain`;
- a questionnaire has `scale` (a list of {"score", "label"}, highest first) and `scoring`
  ("sum", "mean" or "who5").

A scale is checked when it is saved (`validate_scale`); one stored before that check may
still be malformed, so everything here reads it through `scale_options`, which leaves out
what it cannot use.

Answers are a response's JSON: item number as a string → the chosen score (an int, or a
string of digits as a form posts it) for scale items, or the text for text items.
"""

from collections.abc import Iterable, Mapping
from statistics import fmean

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WHO5_RAW_MAX = 25

WHO5_LIKELY_DEPRESSION = "likely_depression"
WHO5_POOR = "poor"
WHO5_GOOD = "good"

#: The cut-offs used in Danish practice: ≤ 28 likely depression, ≤ 50 poor well-being.
WHO5_LIKELY_DEPRESSION_MAX = 28
WHO5_POOR_MAX = 50

WHO5_BAND_LABELS = {
    WHO5_LIKELY_DEPRESSION: _("Mulig depression (≤ 28)"),
    WHO5_POOR: _("Lav trivsel (≤ 50)"),
    WHO5_GOOD: _("God trivsel"),
}


def _is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_scale(scale) -> None:
    """A saved answer scale is a list of options, each with a non-empty text ("label") and a
    whole number ("score"); no two options share a score or a text. An empty scale is
    allowed (a questionnaire of free-text questions only).

    Raises ValidationError with every problem found, in Danish.
    """
    if not isinstance(scale, list):
        raise ValidationError(
            _('Svarskalaen skal være en liste, fx [{"score": 1, "label": "Ja"}].'),
            code="scale_not_list",
        )
    errors = []
    scores, labels = set(), set()
    for number, option in enumerate(scale, start=1):
        if not isinstance(option, dict):
            errors.append(
                ValidationError(
                    _('Svarmulighed %(number)s skal skrives som {"score": …, "label": …}.'),
                    code="option_not_object",
                    params={"number": number},
                )
            )
            continue
        label, score = option.get("label"), option.get("score")
        if not isinstance(label, str) or not label.strip():
            errors.append(
                ValidationError(
                    _('Svarmulighed %(number)s mangler en tekst ("label").'),
                    code="option_without_label",
                    params={"number": number},
                )
            )
        elif label.strip().casefold() in labels:
            errors.append(
                ValidationError(
                    _("Teksten »%(label)s« bruges af flere svarmuligheder."),
                    code="duplicate_label",
                    params={"label": label.strip()},
                )
            )
        else:
            labels.add(label.strip().casefold())
        if not _is_whole_number(score):
            errors.append(
                ValidationError(
                    _('Svarmulighed %(number)s skal have et helt tal som point ("score").'),
                    code="option_without_score",
                    params={"number": number},
                )
            )
        elif score in scores:
            errors.append(
                ValidationError(
                    _("Pointtallet %(score)s bruges af flere svarmuligheder."),
                    code="duplicate_score",
                    params={"score": score},
                )
            )
        else:
            scores.add(score)
    if errors:
        raise ValidationError(errors)


def scale_options(scale) -> list[dict]:
    """The usable options of a stored scale, in order, as {"score": int, "label": str}.

    An option without a whole-number score (a string of digits counts) or without a text,
    or repeating an earlier score, is left out; a scale that is not a list has no options.
    """
    if not isinstance(scale, list):
        return []
    options, seen = [], set()
    for option in scale:
        if not isinstance(option, dict):
            continue
        label = option.get("label")
        try:
            score = _as_score(option.get("score"))
        except ValueError:
            continue
        if not isinstance(label, str) or not label.strip() or score in seen:
            continue
        seen.add(score)
        options.append({"score": score, "label": label})
    return options


def scale_bounds(scale: Iterable[Mapping]) -> tuple[int, int]:
    """(highest, lowest) score of a questionnaire's answer scale (its usable options)."""
    scores = [option["score"] for option in scale_options(scale)]
    if not scores:
        raise ValueError("The questionnaire has no answer scale.")
    return max(scores), min(scores)


def _as_score(raw) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"Not a score: {raw!r}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ValueError(f"Not a score: {raw!r}")


def _is_scale(item) -> bool:
    return item.kind == "scale"


def _answer(answers: Mapping, item):
    """The raw answer to an item, or None when it was left out (missing, None or blank)."""
    raw = answers.get(str(item.number), answers.get(item.number))
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return raw


def item_score(item_like, raw, scale_max: int, scale_min: int) -> int:
    """The score an answer counts for: reversed (max + min − raw) for a reverse-scored item.

    Raises ValueError for an answer outside the scale.
    """
    score = _as_score(raw)
    if not scale_min <= score <= scale_max:
        raise ValueError(f"{score} is outside the scale {scale_min}–{scale_max}.")
    if item_like.reverse_scored:
        return scale_max + scale_min - score
    return score


def _scale_item_scores(items, answers, scale, bounds) -> list[tuple[object, int | None]]:
    scale_max, scale_min = bounds or scale_bounds(scale)
    scored = []
    for item in items:
        if not _is_scale(item):
            continue
        raw = _answer(answers, item)
        score = None if raw is None else item_score(item, raw, scale_max, scale_min)
        scored.append((item, score))
    return scored


def questionnaire_score(
    questionnaire_like, items, answers: Mapping, *, bounds: tuple[int, int] | None = None
) -> float | None:
    """The response's score by the questionnaire's `scoring`, over its scale items.

    - "sum": the sum of the item scores;
    - "mean": their mean;
    - "who5": the WHO-5 percentage score, raw sum × 4 (0–100).

    Reverse-scored items count reversed; text items never count. Returns None when any scale
    item is unanswered (or there are no scale items): a partial sum is not comparable with a
    whole one, so an incomplete response has no score rather than a misleadingly low one.

    `bounds`: the scale's `scale_bounds`, from a caller that scores many responses and reads
    the scale once.
    """
    scored = _scale_item_scores(items, answers, questionnaire_like.scale, bounds)
    if not scored or any(score is None for _item, score in scored):
        return None
    scores = [score for _item, score in scored]
    scoring = questionnaire_like.scoring
    if scoring == "sum":
        return float(sum(scores))
    if scoring == "mean":
        return fmean(scores)
    if scoring == "who5":
        return float(who5_percent(sum(scores)))
    raise ValueError(f"Unknown scoring: {scoring!r}")


def who5_percent(raw_sum: int) -> int:
    """The WHO-5 percentage score: the raw sum of the five items (0–25) × 4, so 0–100."""
    if isinstance(raw_sum, bool) or not isinstance(raw_sum, int):
        raise ValueError(f"A WHO-5 raw score is a whole number, not {raw_sum!r}.")
    if not 0 <= raw_sum <= WHO5_RAW_MAX:
        raise ValueError(f"A WHO-5 raw score is 0–{WHO5_RAW_MAX}, not {raw_sum}.")
    return raw_sum * 4


def who5_band(percent: float) -> str:
    """The band of a WHO-5 percentage score (or a group mean of them).

    ≤ 28 "likely_depression", ≤ 50 "poor", above 50 "good"; labels in `WHO5_BAND_LABELS`.
    """
    if percent <= WHO5_LIKELY_DEPRESSION_MAX:
        return WHO5_LIKELY_DEPRESSION
    if percent <= WHO5_POOR_MAX:
        return WHO5_POOR
    return WHO5_GOOD


def domain_scores(
    items, answers: Mapping, scale, *, bounds: tuple[int, int] | None = None
) -> dict[str, float]:
    """The mean item score per CHIME domain, over the answered scale items that have a domain.

    Reverse scoring is applied. Unanswered items are left out of their domain's mean, and a
    domain with no answered item is left out of the result. Domains come in item order.
    `bounds` as for `questionnaire_score`.
    """
    per_domain: dict[str, list[int]] = {}
    for item, score in _scale_item_scores(items, answers, scale, bounds):
        if item.domain and score is not None:
            per_domain.setdefault(item.domain, []).append(score)
    return {domain: fmean(scores) for domain, scores in per_domain.items()}
