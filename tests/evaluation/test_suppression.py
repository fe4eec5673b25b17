"""The small-group rules on counts alone: subtraction across courses, and releases in steps."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.suppression import (
    FEW,
    MIN_GROUP,
    SUBTRACTION,
    hidden_courses,
    release_cutoff,
    release_due,
    total_visible,
)


@pytest.mark.parametrize(
    ("counts", "hidden", "total_shown"),
    [
        ({}, {}, False),
        ({1: 6, 2: 9}, {}, True),
        ({1: 0, 2: 6}, {}, True),
        # One small course: the smallest other course is hidden with it.
        ({1: 4, 2: 5}, {1: FEW, 2: SUBTRACTION}, True),
        ({1: 4, 2: 7, 3: 5}, {1: FEW, 3: SUBTRACTION}, True),
        # Two small courses whose remainder is at least 5 hide each other.
        ({1: 4, 2: 3, 3: 6}, {1: FEW, 2: FEW}, True),
        ({1: 4, 2: 1, 3: 6}, {1: FEW, 2: FEW}, True),
        # Two small courses with a remainder of 4: a shown course must go too.
        ({1: 2, 2: 2, 3: 6}, {1: FEW, 2: FEW, 3: SUBTRACTION}, True),
        ({1: 2, 2: 2, 3: 9, 4: 6}, {1: FEW, 2: FEW, 4: SUBTRACTION}, True),
        ({1: 1, 2: 1, 3: 1, 4: 7, 5: 8}, {1: FEW, 2: FEW, 3: FEW, 4: SUBTRACTION}, True),
        # Only small courses: the programme figure is the remainder and is hidden if under 5.
        ({1: 2, 2: 2}, {1: FEW, 2: FEW}, False),
        ({1: 3, 2: 0}, {1: FEW}, False),
        ({1: 3, 2: 4}, {1: FEW, 2: FEW}, True),
    ],
)
def test_hidden_courses_leave_no_remainder_of_one_to_four(counts, hidden, total_shown):
    assert hidden_courses(counts) == hidden
    assert total_visible(counts) is total_shown


@given(st.dictionaries(st.integers(1, 40), st.integers(0, 30), max_size=12))
def test_no_hidden_course_can_be_worked_out_from_the_programme_total(counts):
    hidden = hidden_courses(counts)
    shown = {course: count for course, count in counts.items() if course not in hidden}
    # Every shown course has 0 or at least 5 answers; every course of 1–4 is hidden.
    assert all(count == 0 or count >= MIN_GROUP for count in shown.values())
    if total_visible(counts):
        remainder = sum(counts.values()) - sum(shown.values())
        assert not 0 < remainder < MIN_GROUP
    # Nothing is hidden beyond need: at most one course for the subtraction rule.
    assert sum(1 for reason in hidden.values() if reason == SUBTRACTION) <= 1


@pytest.mark.parametrize(
    ("new_per_release", "cutoff"),
    [
        ([], 0),
        ([4], 0),
        ([5], 1),
        ([3, 2], 2),
        ([5, 1], 1),
        ([5, 1, 4], 3),
        ([5, 0, 0], 1),
        ([1, 1, 1, 1, 1], 5),
        ([12, 4, 0, 1], 4),
    ],
)
def test_a_figure_uses_releases_up_to_where_five_new_answers_have_gathered(new_per_release, cutoff):
    assert release_cutoff(new_per_release) == cutoff


def _included(new_per_release: list[int]) -> int:
    return sum(new_per_release[: release_cutoff(new_per_release)])


@given(st.lists(st.integers(0, 12), max_size=15), st.integers(0, 12))
def test_a_figure_changes_by_no_fewer_than_five_answers(new_per_release, more):
    before = _included(new_per_release)
    after = _included([*new_per_release, more])
    assert before == 0 or before >= MIN_GROUP
    assert after == before or after - before >= MIN_GROUP


@pytest.mark.parametrize(
    ("new_per_questionnaire", "due"),
    [({}, False), ({1: 4}, False), ({1: 4, 2: 4}, False), ({1: 5}, True), ({1: 1, 2: 6}, True)],
)
def test_a_release_is_due_once_five_people_have_answered(new_per_questionnaire, due):
    assert release_due(new_per_questionnaire) is due
