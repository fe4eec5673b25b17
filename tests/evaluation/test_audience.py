"""Questionnaires fit the audience: WHO-5 and the adult recovery questions are not sent to
children; a programme for children has no evaluation until a questionnaire for its age is
chosen, and the admin says so."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.audience import is_for_children
from evaluation.instruments import CHIME_NAME, WHO5_NAME
from evaluation.models import Invitation, Phase, Questionnaire
from groups.audience import program_youngest_age
from peerprogram.models import OutboxMessage
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CHILDREN = [{"rule": "age_range", "min": 8, "max": 18}]
PARENTS = [{"rule": "parent_of_child_in_range", "min": 8, "max": 18}]
ADULTS = [{"rule": "min_age", "value": 18}]


def course_with_three(org, rules):
    course = CourseFactory(program=ProgramFactory(organisation=org, eligibility_rules=rules))
    RegistrationFactory.create_batch(3, course=course, status="accepted")
    return course


def invitations(course):
    return OutboxMessage.objects.filter(kind="evaluation_invitation", related_id=course.pk)


@pytest.mark.parametrize(
    ("rules", "youngest", "for_children"),
    [
        (CHILDREN, 8, True),
        ([{"rule": "age_range", "min": 13, "max": 20}], 13, True),
        ([{"rule": "min_age", "value": 17}], 17, True),
        (ADULTS, 18, False),
        (PARENTS, None, False),
        ([], 18, False),  # no age rule: the programme's stated minimum age
    ],
)
def test_a_programme_is_for_children_when_its_rules_admit_someone_under_18(
    org_a, rules, youngest, for_children
):
    program = ProgramFactory(organisation=org_a, eligibility_rules=rules)
    assert program_youngest_age(program) == youngest
    assert is_for_children(program) is for_children


def test_the_shipped_who5_and_chime_questions_are_for_adults():
    assert set(Questionnaire.objects.filter(organisation=None).values_list("name", "min_age")) == {
        (WHO5_NAME, 18),
        (CHIME_NAME, 18),
    }


def test_a_childrens_programme_sends_no_who5_invitation(org_a):
    course = course_with_three(org_a, CHILDREN)
    assert services.questionnaires_for(course, Phase.AFTER) == []
    assert services.invitations_send(course=course, phase=Phase.AFTER) == 0
    assert not invitations(course).exists()


def test_adults_and_parents_are_invited_with_the_shipped_questionnaires(org_a):
    for rules in (ADULTS, PARENTS):
        course = course_with_three(org_a, rules)
        names = {q.name for q in services.questionnaires_for(course, Phase.AFTER)}
        assert names == {WHO5_NAME, CHIME_NAME}
        assert services.invitations_send(course=course, phase=Phase.AFTER) == 3


def test_a_copy_of_who5_chosen_for_a_childrens_programme_is_still_not_sent(org_a):
    course = course_with_three(org_a, CHILDREN)
    template = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)
    copy = services.questionnaire_copy(questionnaire=template, organisation=org_a)
    copy.program = course.program
    copy.save()
    assert copy.min_age == 18
    assert services.invitations_send(course=course, phase=Phase.AFTER) == 0


def test_a_questionnaire_for_the_childrens_age_is_what_they_are_sent(org_a):
    course = course_with_three(org_a, CHILDREN)
    for_children = Questionnaire.objects.create(
        organisation=org_a, program=course.program, name="Sådan har jeg det", min_age=8
    )
    assert services.questionnaires_for(course, Phase.AFTER) == [for_children]
    assert services.invitations_send(course=course, phase=Phase.AFTER) == 3


def test_the_admin_says_a_childrens_programme_has_no_evaluation(org_a, client_for, coordinator_a):
    course = course_with_three(org_a, CHILDREN)
    adults = course_with_three(org_a, ADULTS)
    client = client_for(coordinator_a)
    warning = "Ingen evaluering: programmet optager børn"

    listing = client.get(reverse("admin:evaluation_report_changelist")).content.decode()
    assert listing.count(warning) == 1
    page = client.get(reverse("admin:evaluation_report_change", args=[course.program.pk]))
    assert warning in page.content.decode()
    other = client.get(reverse("admin:evaluation_report_change", args=[adults.program.pk]))
    assert warning not in other.content.decode()

    sheet = reverse("admin:evaluation_report_sheet", args=[course.pk])
    refused = client.post(sheet, {"phase": "after", "count": 3})
    assert refused.status_code == 200 and warning in refused.content.decode()
    assert not Invitation.objects.filter(course=course).exists()
