"""Scoring one response: WHO-5 percentages and bands, reverse scoring, sums, means, domains."""

from types import SimpleNamespace

import pytest

from evaluation.instruments import CHIME, WHO5, item_fields
from evaluation.scoring import (
    WHO5_BAND_LABELS,
    domain_scores,
    item_score,
    questionnaire_score,
    scale_bounds,
    who5_band,
    who5_percent,
)

ZERO_TO_FOUR = [{"score": score, "label": str(score)} for score in (4, 3, 2, 1, 0)]


def item(number, *, kind="scale", reverse_scored=False, domain=""):
    return SimpleNamespace(number=number, kind=kind, reverse_scored=reverse_scored, domain=domain)


def questionnaire(scoring, scale=ZERO_TO_FOUR):
    return SimpleNamespace(scoring=scoring, scale=scale)


def template_items(template):
    return [SimpleNamespace(**item_fields(data)) for data in template["items"]]


# --- WHO-5 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, percent", [(0, 0), (1, 4), (7, 28), (13, 52), (25, 100)])
def test_who5_percent_is_the_raw_sum_times_four(raw, percent):
    assert who5_percent(raw) == percent


@pytest.mark.parametrize("raw", [-1, 26, 12.5, True])
def test_who5_percent_refuses_a_raw_score_outside_0_to_25(raw):
    with pytest.raises(ValueError):
        who5_percent(raw)


@pytest.mark.parametrize(
    "percent, band",
    [
        (0, "likely_depression"),
        (28, "likely_depression"),
        (29, "poor"),
        (50, "poor"),
        (51, "good"),
        (100, "good"),
        (28.5, "poor"),
        (50.5, "good"),
    ],
)
def test_who5_bands_cut_at_28_and_50(percent, band):
    assert who5_band(percent) == band


def test_every_who5_band_has_a_danish_label():
    assert {who5_band(p) for p in range(0, 101, 4)} == set(WHO5_BAND_LABELS)
    assert str(WHO5_BAND_LABELS["likely_depression"]) == "Mulig depression (≤ 28)"
    assert str(WHO5_BAND_LABELS["poor"]) == "Lav trivsel (≤ 50)"
    assert str(WHO5_BAND_LABELS["good"]) == "God trivsel"


def test_a_who5_response_scores_as_its_percentage():
    who5 = SimpleNamespace(**{key: WHO5[key] for key in ("scale", "scoring")})
    answers = {"1": 3, "2": 2, "3": 1, "4": 0, "5": 1}  # raw 7

    assert questionnaire_score(who5, template_items(WHO5), answers) == 28.0
    assert who5_band(questionnaire_score(who5, template_items(WHO5), answers)) == (
        "likely_depression"
    )
    all_the_time = {str(n): 5 for n in range(1, 6)}
    assert questionnaire_score(who5, template_items(WHO5), all_the_time) == 100.0


# --- reverse scoring -----------------------------------------------------------------------


@pytest.mark.parametrize("raw, reversed_score", [(0, 4), (1, 3), (2, 2), (3, 1), (4, 0)])
def test_reverse_scoring_turns_the_scale_around(raw, reversed_score):
    assert item_score(item(1, reverse_scored=True), raw, 4, 0) == reversed_score
    assert item_score(item(1), raw, 4, 0) == raw


def test_reverse_scoring_uses_max_plus_min_for_a_scale_not_starting_at_zero():
    assert item_score(item(1, reverse_scored=True), 1, 5, 1) == 5
    assert item_score(item(1, reverse_scored=True), 4, 5, 1) == 2


def test_a_score_posted_as_a_string_of_digits_counts():
    assert item_score(item(1), "3", 4, 0) == 3


@pytest.mark.parametrize("raw", [5, -1, "mange", 2.5, True])
def test_an_answer_outside_the_scale_is_refused(raw):
    with pytest.raises(ValueError):
        item_score(item(1), raw, 4, 0)


def test_scale_bounds_read_the_highest_and_lowest_score():
    assert scale_bounds(ZERO_TO_FOUR) == (4, 0)
    assert scale_bounds(WHO5["scale"]) == (5, 0)
    with pytest.raises(ValueError):
        scale_bounds([])


# --- questionnaire scores ------------------------------------------------------------------

ITEMS = [
    item(1, domain="hope"),
    item(2, reverse_scored=True, domain="connectedness"),
    item(3, domain="connectedness"),
    item(4, kind="text"),
]


def test_sum_adds_the_scale_items_with_reverse_scoring_and_ignores_text():
    answers = {"1": 3, "2": 1, "3": 2, "4": "Tak for et godt forløb"}
    # 3 + (4 - 1) + 2
    assert questionnaire_score(questionnaire("sum"), ITEMS, answers) == 8.0


def test_mean_averages_the_scale_items():
    answers = {"1": 3, "2": 1, "3": 2}
    assert questionnaire_score(questionnaire("mean"), ITEMS, answers) == pytest.approx(8 / 3)


@pytest.mark.parametrize(
    "answers",
    [
        {"1": 3, "2": 1},
        {"1": 3, "2": 1, "3": None},
        {"1": 3, "2": 1, "3": ""},
        {},
    ],
    ids=["missing", "none", "blank", "empty"],
)
def test_a_response_with_an_unanswered_scale_item_has_no_score(answers):
    assert questionnaire_score(questionnaire("sum"), ITEMS, answers) is None
    assert questionnaire_score(questionnaire("mean"), ITEMS, answers) is None


def test_an_unanswered_text_item_does_not_matter():
    assert questionnaire_score(questionnaire("sum"), ITEMS, {"1": 0, "2": 4, "3": 0}) == 0.0


def test_a_questionnaire_without_scale_items_has_no_score():
    assert questionnaire_score(questionnaire("sum"), [item(1, kind="text")], {"1": "hej"}) is None


def test_an_unknown_scoring_is_an_error():
    with pytest.raises(ValueError):
        questionnaire_score(questionnaire("median"), ITEMS, {"1": 1, "2": 1, "3": 1})


# --- domains -------------------------------------------------------------------------------


def test_domain_scores_are_means_per_domain_with_reverse_scoring():
    answers = {"1": 3, "2": 1, "3": 2, "4": "fritekst"}
    # hope: 3; connectedness: ((4 - 1) + 2) / 2 = 2.5
    assert domain_scores(ITEMS, answers, ZERO_TO_FOUR) == {"hope": 3.0, "connectedness": 2.5}


def test_domain_scores_leave_out_unanswered_items_and_items_without_a_domain():
    items = [*ITEMS, item(5)]
    answers = {"2": 0, "5": 4}
    # Only item 2 counts: reversed 0 → 4. Hope has no answer, item 5 has no domain.
    assert domain_scores(items, answers, ZERO_TO_FOUR) == {"connectedness": 4.0}


def test_domain_scores_of_the_chime_template_by_hand():
    items = template_items(CHIME)
    answers = {"1": 4, "2": 3, "3": 2, "4": 3, "5": 1, "6": 2, "7": 0, "8": 3, "9": "Tak"}

    assert domain_scores(items, answers, CHIME["scale"]) == {
        "connectedness": 2.5,  # (4 + (4 - 3)) / 2
        "hope": 2.5,  # (2 + 3) / 2
        "identity": 1.0,
        "meaning": 2.0,
        "empowerment": 1.5,  # (0 + 3) / 2
    }
    # 4 + 1 + 2 + 3 + 1 + 2 + 0 + 3 = 16 over eight items
    assert questionnaire_score(SimpleNamespace(**CHIME), items, answers) == 2.0
