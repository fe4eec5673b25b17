"""Small-group suppression: which figures may be shown so that no group under 5 answers can be
read, worked out by subtraction, or singled out by comparing two views of a report.

Pure functions on counts; evaluation.reports applies them to every figure it builds, so the
screen, the PDF and the CSV show the same.
"""

MIN_GROUP = 5

FEW = "few"
SUBTRACTION = "subtraction"


def hidden_courses(counts: dict[int, int]) -> dict[int, str]:
    """Courses that must not show a figure, with the reason, given answers per course.

    A course with 1–4 answers is hidden (`FEW`). The programme figure covers every course, so
    "programme minus the shown courses" is the hidden courses' figure taken together: that
    remainder must be 0 or at least `MIN_GROUP` answers. While it is 1–4 the smallest shown
    course is hidden too (`SUBTRACTION`) — one is always enough, as a shown course has at least
    `MIN_GROUP`. When no course is left to hide, the remainder is the whole programme, which
    is then under `MIN_GROUP` and hidden by `total_visible`.
    """
    hidden = {course: FEW for course, count in counts.items() if 0 < count < MIN_GROUP}
    remainder = sum(counts[course] for course in hidden)
    shown = sorted((count, course) for course, count in counts.items() if count >= MIN_GROUP)
    for count, course in shown:
        if remainder == 0 or remainder >= MIN_GROUP:
            break
        hidden[course] = SUBTRACTION
        remainder += count
    return hidden


def total_visible(counts: dict[int, int]) -> bool:
    """The programme figure shows when it has at least `MIN_GROUP` answers."""
    return sum(counts.values()) >= MIN_GROUP


def release_cutoff(new_per_release: list[int]) -> int:
    """How many of a group's releases (oldest first) a figure may use.

    `new_per_release` counts the answers each release adds to this figure. The figure moves
    only when at least `MIN_GROUP` new answers have gathered since it last moved, so two
    views of a report never differ by fewer than `MIN_GROUP` answers (and a figure is either
    empty or built from at least `MIN_GROUP`).
    """
    cutoff, gathered = 0, 0
    for number, count in enumerate(new_per_release, start=1):
        gathered += count
        if gathered >= MIN_GROUP:
            cutoff, gathered = number, 0
    return cutoff


def release_due(new_per_questionnaire: dict[int, int]) -> bool:
    """A course phase's new answers are released once one questionnaire has `MIN_GROUP` of
    them: every answer form stores one response per questionnaire, so that many people
    have answered since the last release."""
    return max(new_per_questionnaire.values(), default=0) >= MIN_GROUP
