"""Organisation admins manage the people of their own organisations, and nothing else."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from peerprogram.models import Membership, OutboxMessage
from tests.factories import CoordinatorFactory, OrganisationAdminFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:peerprogram_membership_add")


@pytest.fixture
def admin_a(org_a):
    return OrganisationAdminFactory(username="admin.a", organisations=[org_a])


def invite(client, organisation, **fields):
    data = {
        "organisation": organisation.pk,
        "role": "coordinator",
        "username": "ny.koordinator",
        "name": "Ny Koordinator",
        "email": "ny@lejre.example",
        **fields,
    }
    return client.post(ADD, data)


def test_an_organisation_admin_invites_a_coordinator(org_a, admin_a, client_for):
    response = invite(client_for(admin_a), org_a)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ny.koordinator")
    assert user.is_staff and not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "coordinator"
    message = OutboxMessage.objects.get(kind="staff_invitation")
    assert message.recipient_address == "ny@lejre.example"
    assert "/reset/" not in message.body  # the link is made at delivery, never stored


def test_a_taken_username_is_refused_and_the_form_keeps_what_was_typed(
    org_a, admin_a, client_for, coordinator_a
):
    response = invite(client_for(admin_a), org_a, username=coordinator_a.username)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brugernavnet er optaget. Vælg et andet." in html
    assert 'value="ny@lejre.example"' in html
    assert not OutboxMessage.objects.exists()


def test_an_admin_cannot_reach_another_organisation(org_a, org_b, admin_a, client_for):
    other = CoordinatorFactory(organisations=[org_b])
    membership_b = Membership.objects.get(user=other)
    client = client_for(admin_a)
    assert (
        client.get(
            reverse("admin:peerprogram_membership_change", args=[membership_b.pk])
        ).status_code
        == 404
    )
    listing = client.get(reverse("admin:peerprogram_membership_changelist")).content.decode()
    assert other.username not in listing
    response = invite(client, org_b)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="ny.koordinator").exists()


def test_a_coordinator_does_not_manage_staff(org_a, coordinator_a, client_for):
    client = client_for(coordinator_a)
    assert client.get(reverse("admin:peerprogram_membership_changelist")).status_code == 403
    assert invite(client, org_a).status_code == 403


def test_the_last_admin_stays(org_a, admin_a, client_for):
    own = Membership.objects.get(user=admin_a)
    client = client_for(admin_a)
    response = client.post(
        reverse("admin:peerprogram_membership_change", args=[own.pk]), {"role": "coordinator"}
    )
    assert "Organisationen skal have mindst én administrator." in response.content.decode()
    own.refresh_from_db()
    assert own.role == "admin"
    assert (
        client.get(reverse("admin:peerprogram_membership_delete", args=[own.pk])).status_code == 403
    )


def test_removing_someone_closes_a_log_in_left_without_organisation(
    org_a, admin_a, coordinator_a, client_for
):
    membership = Membership.objects.get(user=coordinator_a)
    response = client_for(admin_a).post(
        reverse("admin:peerprogram_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_active
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_partner_is_staff_and_a_referrer_is_not(org_a, admin_a, coordinator_a, client_for):
    client = client_for(admin_a)
    invite(client, org_a, username="partner", role="statistics", email="p@lejre.example")
    assert get_user_model().objects.get(username="partner").is_staff
    membership = Membership.objects.get(user=coordinator_a)
    client.post(
        reverse("admin:peerprogram_membership_change", args=[membership.pk]), {"role": "referrer"}
    )
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_staff
