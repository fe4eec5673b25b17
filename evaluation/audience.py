"""Which questionnaires fit a programme's participants: WHO-5 and the adult recovery
questions are not sent to children.

"A programme for children" is groups.audience's answer: its youngest participant is under 18
(parent groups never). A questionnaire's `min_age` is the youngest age it is meant for (none:
every age).
"""

from django.db.models import Q, QuerySet

from evaluation.models import Questionnaire
from groups.audience import ADULT_AGE, program_involves_children_under, program_youngest_age
from groups.models import Program


def is_for_children(program: Program) -> bool:
    return program_involves_children_under(program, ADULT_AGE)


def fitting_questionnaires(
    questionnaires: QuerySet[Questionnaire], program: Program
) -> QuerySet[Questionnaire]:
    """The questionnaires meant for everyone the programme admits."""
    youngest = program_youngest_age(program)
    if youngest is None:
        return questionnaires
    return questionnaires.filter(Q(min_age__isnull=True) | Q(min_age__lte=youngest))
