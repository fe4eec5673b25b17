"""A retention run the safety stop halted: it shows in the work queue, and from the dry run
page an organisation admin approves exactly the list shown (issue #12, item 2)."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Participant, Registration
from peerprogram.models import RetentionRun
from peerprogram.privacy import retention
from peerprogram.workspace import items
from tests.conftest import log_in
from tests.factories import (
    CourseFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TITLE = "Sletning stoppet af sikkerhedsgrænsen"


def ended_course(program, day=datetime.date(2020, 1, 6)):
    """A course whose only session was on `day`, long enough ago for its people to be due."""
    course = CourseFactory(program=program, first_date=day)
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=UTC)
    SessionFactory(
        course=course, number=1, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    return course


def accepted(course):
    registration = RegistrationFactory(course=course, status=Registration.Status.ACCEPTED)
    Registration.objects.filter(pk=registration.pk).update(accepted_at=timezone.now())
    return registration.participant


def anonymised():
    return set(Participant.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))


@pytest.fixture
def org_admin_a(org_a):
    return OrganisationAdminFactory(username="admin.a", organisations=[org_a])


@pytest.fixture
def stopped(org_a, program_a):
    """Everyone org A holds is due: 2 of 2 people is more than the default 20 %."""
    course = ended_course(program_a)
    people = [accepted(course), accepted(course)]
    outcome = retention.organisation_run(org_a)
    assert outcome.stopped and not anonymised()
    return people


def dry_run_url(organisation):
    return reverse("admin:peerprogram_retentionpolicy_dry_run", args=[organisation.pk])


def shown_fingerprint(client, organisation):
    page = client.get(dry_run_url(organisation)).content.decode()
    assert "Godkend denne kørsel" in page
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page).group(1)


def test_a_stopped_run_shows_in_the_queue_with_a_link_to_the_dry_run(
    client, org_a, stopped, org_admin_a, coordinator_a
):
    log_in(client, org_admin_a)
    page = client.get(reverse("workspace:today")).content.decode()
    assert TITLE in page
    assert f'href="{dry_run_url(org_a)}"' in page
    assert "2 af 2 personer på én gang. Se listen igennem på prøvekørslen" in page

    # Coordinators see it too (they were e-mailed the same), told who must approve.
    client.logout()
    log_in(client, coordinator_a)
    page = client.get(reverse("workspace:today")).content.decode()
    assert TITLE in page
    assert "En organisationsadministrator skal godkende kørslen" in page
    dry_run = client.get(dry_run_url(org_a)).content.decode()
    assert "Godkend denne kørsel" not in dry_run
    assert "Kun en organisationsadministrator kan godkende kørslen." in dry_run


def test_a_run_that_went_through_is_no_work(org_a, program_a, coordinator_a):
    accepted(ended_course(program_a))
    for _n in range(9):
        accepted(CourseFactory(program=program_a, first_date=datetime.date(2099, 1, 1)))
    assert not retention.organisation_run(org_a).stopped
    assert items.retention_stopped(user=coordinator_a, organisation_ids=[org_a.pk]).count == 0


def test_an_organisation_admin_approves_the_list_shown_and_the_item_goes(
    client, org_a, stopped, org_admin_a
):
    log_in(client, org_admin_a)
    fingerprint = shown_fingerprint(client, org_a)

    response = client.post(dry_run_url(org_a), {"fingerprint": fingerprint}, follow=True)

    assert "Kørslen er godkendt: 2 personer er anonymiseret." in response.content.decode()
    assert anonymised() == {person.pk for person in stopped}
    run = RetentionRun.objects.filter(organisation=org_a).first()
    assert (run.stopped, run.approved_by, run.total) == (False, org_admin_a, 2)
    assert "<td>admin.a</td></tr>" in client.get(dry_run_url(org_a)).content.decode()
    assert TITLE not in client.get(reverse("workspace:today")).content.decode()


def test_a_list_that_changed_after_it_was_shown_is_refused_and_nothing_is_anonymised(
    client, org_a, program_a, stopped, org_admin_a
):
    log_in(client, org_admin_a)
    fingerprint = shown_fingerprint(client, org_a)
    accepted(ended_course(program_a))  # one more is due now

    response = client.post(dry_run_url(org_a), {"fingerprint": fingerprint}, follow=True)

    assert "har ændret sig, siden du så den. Intet er anonymiseret." in response.content.decode()
    assert not anonymised()
    assert RetentionRun.objects.filter(organisation=org_a).count() == 1
    # Approving the same list twice: the second finds it changed (it is done).
    fingerprint = shown_fingerprint(client, org_a)
    client.post(dry_run_url(org_a), {"fingerprint": fingerprint})
    response = client.post(dry_run_url(org_a), {"fingerprint": fingerprint}, follow=True)
    assert "Intet er anonymiseret" in response.content.decode()
    assert RetentionRun.objects.filter(organisation=org_a).count() == 2


def test_only_an_organisation_admin_may_approve(
    client, org_a, stopped, org_admin_a, coordinator_a, coordinator_b
):
    fingerprint = retention.plan(org_a).fingerprint
    log_in(client, coordinator_a)
    assert client.post(dry_run_url(org_a), {"fingerprint": fingerprint}).status_code == 403
    client.logout()
    log_in(client, coordinator_b)
    assert client.post(dry_run_url(org_a), {"fingerprint": fingerprint}).status_code == 404
    client.logout()
    log_in(client, OrganisationAdminFactory(organisations=[OrganisationFactory()]))
    assert client.post(dry_run_url(org_a), {"fingerprint": fingerprint}).status_code == 404
    assert not anonymised()
    assert RetentionRun.objects.filter(organisation=org_a).count() == 1


def test_the_approval_goes_through_the_retention_run_once(client, org_a, stopped, org_admin_a):
    log_in(client, org_admin_a)
    fingerprint = shown_fingerprint(client, org_a)
    with mock.patch(
        "peerprogram.privacy.retention.organisation_run", wraps=retention.organisation_run
    ) as run:
        client.post(dry_run_url(org_a), {"fingerprint": fingerprint})
    run.assert_called_once()
    approval = run.call_args.kwargs["approval"]
    assert (approval.fingerprint, approval.user) == (fingerprint, org_admin_a)


@pytest.mark.parametrize("organisations", [1, 4])
def test_the_item_counts_in_a_constant_number_of_queries(
    organisations, org_a, stopped, coordinator_a, django_assert_max_num_queries
):
    ids = [org_a.pk]
    for _n in range(organisations - 1):
        organisation = OrganisationFactory()
        accepted(ended_course(ProgramFactory(organisation=organisation)))
        retention.organisation_run(organisation)
        ids.append(organisation.pk)
    coordinator_a.is_superuser = True  # sees every organisation
    with django_assert_max_num_queries(2):
        item = items.retention_stopped(user=coordinator_a, organisation_ids=ids)
        assert item.count == organisations
