"""Scores for one response: pure functions, no database.

Items and questionnaires are taken as anything with the right attributes — a model instance,
a historical model or a `SimpleNamespace`:

- an item has `number`, `kind` ("scale" or "text"), `reverse_scored` and `domain`;
- a questionnaire has `scale` (a list of {"score", "label"}, highest first) and `scoring`
  ("sum", "mean" or "who5").

Answers are a response's JSON: item number as a string → the chosen score (an int, or a
string of digits as a form posts it) for scale items, or the text for text items.
"""

from collections.abc import Iterable, Mapping
from statistics import fmean

from django.utils.translation import gettext_lazy as _

WHO5_ITEMS = 5
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


def scale_bounds(scale: Iterable[Mapping]) -> tuple[int, int]:
    """(highest, lowest) score of a questionnaire's answer scale."""
    scores = [int(option["score"]) for option in scale]
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


def _scale_item_scores(items, answers, scale) -> list[tuple[object, int | None]]:
    scale_max, scale_min = scale_bounds(scale)
    scored = []
    for item in items:
        if not _is_scale(item):
            continue
        raw = _answer(answers, item)
        score = None if raw is None else item_score(item, raw, scale_max, scale_min)
        scored.append((item, score))
    return scored


def questionnaire_score(questionnaire_like, items, answers: Mapping) -> float | None:
    """The response's score by the questionnaire's `scoring`, over its scale items.

    - "sum": the sum of the item scores;
    - "mean": their mean;
    - "who5": the WHO-5 percentage score, raw sum × 4 (0–100).

    Reverse-scored items count reversed; text items never count. Returns None when any scale
    item is unanswered (or there are no scale items): a partial sum is not comparable with a
    whole one, so an incomplete response has no score rather than a misleadingly low one.
    """
    scored = _scale_item_scores(items, answers, questionnaire_like.scale)
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


def domain_scores(items, answers: Mapping, scale) -> dict[str, float]:
    """The mean item score per CHIME domain, over the answered scale items that have a domain.

    Reverse scoring is applied. Unanswered items are left out of their domain's mean, and a
    domain with no answered item is left out of the result. Domains come in item order.
    """
    per_domain: dict[str, list[int]] = {}
    for item, score in _scale_item_scores(items, answers, scale):
        if item.domain and score is not None:
            per_domain.setdefault(item.domain, []).append(score)
    return {domain: fmean(scores) for domain, scores in per_domain.items()}
