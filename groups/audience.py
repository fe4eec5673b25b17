"""Who a programme and a course are for, as the rules of other apps need to know it: the one
answer to "does this course involve children under 15?" (the børneattest rule in
volunteers.qualification) and to "is this programme for children?" (which questionnaires
evaluation may send).

The youngest participant comes from the programme's eligibility rules, which registration
checks (`min_age`, the lower end of `age_range`); without an age rule, from its stated minimum
age. Parent groups admit adults only, whatever ages of children they name.
"""

from groups.models import Course, Program

CHILDREN_AUDIENCES = (Program.Audience.CHILDREN_AND_YOUTH, Program.Audience.YOUTH)
ADULT_AGE = 18


def _youngest_in_rules(rules: object) -> int | None:
    ages: list[object] = []
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        if rule.get("rule") == "min_age":
            ages.append(rule.get("value"))
        elif rule.get("rule") == "age_range":
            ages.append(rule.get("min"))
    whole = [age for age in ages if isinstance(age, int) and not isinstance(age, bool)]
    return min(whole, default=None)


def _for_parents(program: Program) -> bool:
    rules = program.eligibility_rules if isinstance(program.eligibility_rules, list) else []
    return program.audience == Program.Audience.PARENTS or any(
        isinstance(rule, dict) and rule.get("rule") == "parent_of_child_in_range" for rule in rules
    )


def program_youngest_age(program: Program) -> int | None:
    """The youngest age a participant of the programme may have; None for a parent group or a
    programme that states no age (adults). A children's or youth programme without any age
    may have children of any age (0)."""
    if _for_parents(program):
        return None
    youngest = _youngest_in_rules(program.eligibility_rules)
    if youngest is None:
        youngest = program.min_age
    if youngest is None and program.audience in CHILDREN_AUDIENCES:
        return 0
    return youngest


def program_involves_children_under(program: Program, age: int) -> bool:
    youngest = program_youngest_age(program)
    return youngest is not None and youngest < age


def course_involves_children_under(course: Course, age: int) -> bool:
    """Whether a participant of `course` can be younger than `age`: the course's own youngest
    age decides ("Børn 8–12 år"), else the programme's."""
    if _for_parents(course.program):
        return False
    if course.min_age is not None:
        return course.min_age < age
    return program_involves_children_under(course.program, age)
