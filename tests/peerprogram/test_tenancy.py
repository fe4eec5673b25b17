import pytest
from django.http import Http404

from groups.models import Course, Program, Session
from groups.services import course_plan_sessions
from peerprogram.models import Membership, Organisation
from peerprogram.permissions import get_object_for_user
from tests.factories import CoordinatorFactory, CourseFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_courses(org_a, org_b):
    course_a = CourseFactory(program=ProgramFactory(organisation=org_a))
    course_b = CourseFactory(program=ProgramFactory(organisation=org_b))
    course_plan_sessions(course=course_a)
    course_plan_sessions(course=course_b)
    return course_a, course_b


def test_a_coordinator_sees_only_their_organisations_data(coordinator_a, org_a, two_courses):
    course_a, _ = two_courses
    assert list(Organisation.objects.for_user(coordinator_a)) == [org_a]
    assert list(Program.objects.for_user(coordinator_a)) == [course_a.program]
    assert list(Course.objects.for_user(coordinator_a)) == [course_a]
    assert set(Session.objects.for_user(coordinator_a)) == set(course_a.sessions.all())


def test_a_coordinator_of_two_organisations_sees_both_without_duplicates(org_a, org_b, two_courses):
    both = CoordinatorFactory(organisations=[org_a, org_b])
    assert Course.objects.for_user(both).count() == 2
    assert Session.objects.for_user(both).count() == 20


def test_superusers_see_everything(superuser, two_courses):
    assert Course.objects.for_user(superuser).count() == 2


@pytest.mark.parametrize(
    "kind", ["anonymous", "staff_without_organisation", "inactive", "not_staff"]
)
def test_people_without_a_coordinator_role_see_nothing(org_a, two_courses, kind):
    from django.contrib.auth.models import AnonymousUser

    if kind == "anonymous":
        user = AnonymousUser()
    elif kind == "staff_without_organisation":
        user = UserFactory(is_staff=True)
    elif kind == "inactive":
        user = CoordinatorFactory(organisations=[org_a], is_active=False)
    else:
        user = UserFactory()
        Membership.objects.create(user=user, organisation=org_a)
    assert not Course.objects.for_user(user).exists()
    assert not Organisation.objects.for_user(user).exists()


def test_another_organisations_object_is_not_found(coordinator_a, two_courses):
    course_a, course_b = two_courses
    assert get_object_for_user(Course, coordinator_a, pk=course_a.pk) == course_a
    with pytest.raises(Http404):
        get_object_for_user(Course, coordinator_a, pk=course_b.pk)
