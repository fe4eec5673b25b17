"""Who a course is for, as the rules of other apps need to know it.

`course_involves_children_under` is the one answer to "does this course involve children under
15?" (the børneattest rule in volunteers.qualification asks it).
"""

from groups.models import Course, Program

CHILDREN_AUDIENCES = (Program.Audience.CHILDREN_AND_YOUTH, Program.Audience.YOUTH)


def course_involves_children_under(course: Course, age: int) -> bool:
    """Whether a participant of `course` can be younger than `age`.

    A programme for parents (adult parent groups) never does, whatever ages of children it
    names. Otherwise the course's own youngest age decides ("Børn 8–12 år"), else the
    programme's; a children's or youth programme with no youngest age may have children of
    any age, an adult one has none.
    """
    program = course.program
    if program.audience == Program.Audience.PARENTS:
        return False
    if course.min_age is not None:
        return course.min_age < age
    if program.min_age is None:
        return program.audience in CHILDREN_AUDIENCES
    return program.min_age < age
