"""Names as long as the demo's longest, shared by the examples."""

from tests.factories import CourseFactory

LONG_PROGRAM = "Unge hjælper unge – gruppeforløb for unge med angst og depression"
LONG_COURSE = "Unge hjælper unge, efterår, torsdage i Medborgerhuset Ådalen"
LONG_PLACE = "Medborgerhuset Ådalen, Søndre Allé 142, 2. sal, lokale 3, 4000 Roskilde"
LONG_ORGANISATION = "Foreningen for Psykisk Sundhed i Lejre og Roskilde"


def long_course(**kwargs):
    """A course whose programme, organisation and place have the longest demo names, and
    whose organisation and programme name revealing words (which must not reach a lock
    screen)."""
    course = CourseFactory(title=LONG_COURSE, place=LONG_PLACE, **kwargs)
    program = course.program
    program.name = LONG_PROGRAM
    program.save(update_fields=["name"])
    organisation = program.organisation
    organisation.name = LONG_ORGANISATION
    organisation.contact_name = "Mette Kristine Andersen-Holm, koordinator"
    organisation.contact_phone = "+4520304050"
    organisation.contact_email = "koordinator@lejre.eksempel.dk"
    organisation.sms_sender = "Lejre"
    organisation.save()
    return course
