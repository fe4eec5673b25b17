"""Small-group suppression: which figures may be shown so that no group under 5 answers can be
read, worked out by subtraction, or singled out by comparing two views of a report.

Pure code on counts (nothing here reads an answer or a person); evaluation.reports applies it
to every figure it builds, so the screen, the PDF and the CSV show the same.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MIN_GROUP = 5

FEW = "few"
SUBTRACTION = "subtraction"

HIDDEN_REASONS = {
    FEW: _("Skjult: færre end 5 svar."),
    SUBTRACTION: _("Skjult, så et andet forløbs lille gruppe ikke kan regnes ud."),
}


@dataclass
class Shown:
    """Whether a figure may be shown, and why not."""

    count: int
    hidden_reason: str = ""

    @property
    def visible(self) -> bool:
        return not self.hidden_reason

    @property
    def hidden_text(self):
        return HIDDEN_REASONS.get(self.hidden_reason, "")

    @property
    def count_text(self) -> str:
        """The number of answers, except for a hidden group: too small to name its size, or
        hidden so that a small group's size cannot be worked out from it."""
        if self.hidden_reason == FEW:
            return str(_("under 5"))
        if self.hidden_reason:
            return str(_("skjult"))
        return str(self.count)


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


class Visibility:
    """Which answers each figure may use, and which course may show it, decided across the
    whole programme."""

    def __init__(self, per_release: dict[tuple, dict[int, dict[int, int]]]):
        """`per_release[figure][course][release]`: how many answers each release of each
        course adds to each figure."""
        self._cutoffs: dict[tuple, dict[int, int]] = {}
        self._counts: dict[tuple, dict[int, int]] = {}
        for key, per_course in per_release.items():
            cutoffs = {
                course: release_cutoff([new.get(n, 0) for n in range(1, max(new) + 1)])
                for course, new in per_course.items()
            }
            self._cutoffs[key] = cutoffs
            self._counts[key] = {
                course: sum(count for n, count in new.items() if n <= cutoffs[course])
                for course, new in per_course.items()
            }
        self._hidden = {key: hidden_courses(per_course) for key, per_course in self._counts.items()}

    def shown(self, key: tuple, course_id: int | None) -> Shown:
        per_course = self._counts.get(key, {})
        if course_id is None:
            count = sum(per_course.values())
            return Shown(count, "" if total_visible(per_course) else FEW)
        count = per_course.get(course_id, 0)
        # No released answers reads like a few: that nobody has answered yet must look the
        # same as answers waiting for their release.
        return Shown(count, self._hidden.get(key, {}).get(course_id, "" if count else FEW))

    def members(self, key: tuple, responses, *, only_shown_courses: bool = False) -> list:
        """The responses a figure may use: those in the releases it has reached, and with
        `only_shown_courses` only from courses that show the figure themselves."""
        cutoffs = self._cutoffs.get(key, {})
        return [
            response
            for response in responses
            if response.release <= cutoffs.get(response.course_id, 0)
            and (not only_shown_courses or self.shown(key, response.course_id).visible)
        ]
