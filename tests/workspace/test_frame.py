"""The workspace's frame: who gets in, where people land after signing in, and the pages
every coordinator starts from."""

import pytest
from django.urls import reverse

from groups.services import course_plan_sessions
from tests.conftest import log_in
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationFactory,
    ProgramFactory,
    ReferrerFactory,
    ThemeFactory,
    UserFactory,
)
from tests.volunteers.factories import PeerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(program=ProgramFactory(name="Vejen til Hverdagslivet"), title="Forår")
    ThemeFactory(program=course.program, number=1, title="Velkommen")
    course_plan_sessions(course=course)
    return course


def test_coordinator_sees_today_and_their_course(client, course):
    coordinator = CoordinatorFactory(organisations=[course.program.organisation])
    log_in(client, coordinator)
    today = client.get(reverse("workspace:today"))
    assert today.status_code == 200
    assert "I dag" in today.content.decode()
    courses = client.get(reverse("workspace:courses")).content.decode()
    assert reverse("workspace:course", args=[course.pk]) in courses
    page = client.get(reverse("workspace:course", args=[course.pk])).content.decode()
    assert "Velkommen" in page


def test_another_organisations_course_is_not_found(client, course):
    log_in(client, CoordinatorFactory(organisations=[OrganisationFactory()]))
    assert client.get(reverse("workspace:course", args=[course.pk])).status_code == 404
    courses = client.get(reverse("workspace:courses")).content.decode()
    assert course.title not in courses


def test_people_who_coordinate_nowhere_are_refused(client, course):
    organisation = course.program.organisation
    for user in [
        ReferrerFactory(organisations=[organisation]),
        PeerFactory(organisation=organisation, user=UserFactory()).user,
    ]:
        client.logout()
        log_in(client, user)
        assert client.get(reverse("workspace:today")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("workspace:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_coordinator_lands_in_the_workspace_after_signing_in(client, course):
    log_in(client, CoordinatorFactory(organisations=[course.program.organisation]))
    assert client.get(reverse("landing"))["Location"] == reverse("workspace:today")


def test_a_peer_lands_on_their_sessions_after_signing_in(client, course):
    peer = PeerFactory(organisation=course.program.organisation, user=UserFactory())
    log_in(client, peer.user)
    assert client.get(reverse("landing"))["Location"] == reverse("volunteers:schedule")


def test_the_admin_log_in_sends_coordinators_on_to_the_workspace(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'name="next" value="{reverse("landing")}"' in page


@pytest.mark.parametrize("size", [2, 20])
def test_the_course_list_reads_in_the_same_number_of_queries_at_any_size(
    client, django_assert_max_num_queries, size
):
    organisation = OrganisationFactory()
    program = ProgramFactory(organisation=organisation)
    for number in range(size):
        CourseFactory(program=program, title=f"Forløb {number}")
    log_in(client, CoordinatorFactory(organisations=[organisation]))
    client.get(reverse("workspace:courses"))
    with django_assert_max_num_queries(9):
        page = client.get(reverse("workspace:courses")).content.decode()
    assert page.count("/koordinator/forloeb/") >= size
