"""Which questionnaires fit a programme's participants: WHO-5 and the adult recovery
questions are not sent to children.

The one definition of "a programme for children" used here: the youngest age its eligibility
rules admit (`min_age`, the lower end of `age_range`) is under 18. Rules about a parent's
child (`parent_of_child_in_range`) admit adults, so parent groups are not for children; a
programme with no age rule is not either. A questionnaire's `min_age` is the youngest age it
is meant for (none: every age).
"""

from django.db.models import Q, QuerySet

from evaluation.models import Questionnaire
from groups.models import Program

ADULT_AGE = 18


def youngest_participant_age(program: Program) -> int | None:
    """The youngest age the programme's eligibility rules admit; None without an age rule."""
    ages = []
    for rule in program.eligibility_rules or []:
        if not isinstance(rule, dict):
            continue
        if rule.get("rule") == "min_age":
            ages.append(rule.get("value"))
        elif rule.get("rule") == "age_range":
            ages.append(rule.get("min"))
    whole = [age for age in ages if isinstance(age, int) and not isinstance(age, bool)]
    return min(whole, default=None)


def is_for_children(program: Program) -> bool:
    youngest = youngest_participant_age(program)
    return youngest is not None and youngest < ADULT_AGE


def fitting_questionnaires(
    questionnaires: QuerySet[Questionnaire], program: Program
) -> QuerySet[Questionnaire]:
    """The questionnaires meant for everyone the programme admits."""
    youngest = youngest_participant_age(program)
    if youngest is None:
        return questionnaires
    return questionnaires.filter(Q(min_age__isnull=True) | Q(min_age__lte=youngest))
