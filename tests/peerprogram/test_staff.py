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


# A statistics partner's municipalities (issue #13 item 9): the organisation's admin sets them
# where it manages staff, through peerprogram.accounts.staff.membership_set_municipalities.


@pytest.fixture
def partner_a(org_a):
    user = CoordinatorFactory(username="partner.a", organisations=[org_a])
    membership = Membership.objects.get(user=user)
    membership.role = Membership.Role.STATISTICS
    membership.save()
    return membership


def change(client, membership, **data):
    return client.post(
        reverse("admin:peerprogram_membership_change", args=[membership.pk]),
        {"role": membership.role, **data},
    )


def test_an_organisation_admin_sets_the_municipalities_a_partner_represents(
    admin_a, partner_a, client_for
):
    client = client_for(admin_a)
    page = client.get(reverse("admin:peerprogram_membership_change", args=[partner_a.pk]))
    assert '<option value="350">Lejre (350)</option>' in page.content.decode()
    response = change(client, partner_a, municipalities=["607", "350"])
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert partner_a.municipalities == ["607", "350"]  # by name: Fredericia, Lejre
    listing = client.get(reverse("admin:peerprogram_membership_changelist")).content.decode()
    assert "Fredericia, Lejre" in listing


@pytest.mark.parametrize(
    ("role", "municipalities", "message"),
    [
        ("statistics", ["999"], "Marker en gyldig valgmulighed. 999 er ikke en af"),
        ("coordinator", ["350"], "Kun en kommunal partner repræsenterer kommuner."),
    ],
)
def test_municipalities_that_are_not_codes_or_not_for_a_partner_are_refused(
    admin_a, partner_a, client_for, role, municipalities, message
):
    partner_a.municipalities = ["607"]
    partner_a.save()
    response = change(client_for(admin_a), partner_a, role=role, municipalities=municipalities)
    assert response.status_code == 200
    assert message in response.content.decode()
    partner_a.refresh_from_db()
    assert (partner_a.role, partner_a.municipalities) == ("statistics", ["607"])


@pytest.mark.parametrize(
    ("role", "municipalities", "message"),
    [
        ("statistics", ["350", "Lejre"], "en af dem er ikke en kommunekode"),
        ("coordinator", ["350"], "Kun en kommunal partner repræsenterer kommuner."),
    ],
)
def test_the_service_refuses_bad_municipalities_and_changes_nothing(
    partner_a, role, municipalities, message
):
    from django.core.exceptions import ValidationError

    from peerprogram.accounts import staff

    partner_a.role = role
    with pytest.raises(ValidationError) as refused:
        staff.membership_set_municipalities(membership=partner_a, municipalities=municipalities)
    assert message in " ".join(refused.value.messages)
    assert Membership.objects.get(pk=partner_a.pk).municipalities == []


def test_a_partner_is_invited_with_its_municipalities(org_a, admin_a, client_for):
    client = client_for(admin_a)
    response = invite(
        client,
        org_a,
        username="partner.ny",
        role="statistics",
        email="p@lejre.example",
        municipalities=["350"],
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="partner.ny").municipalities == ["350"]


def test_a_coordinator_sets_no_partners_municipalities(coordinator_a, partner_a, client_for):
    response = change(client_for(coordinator_a), partner_a, municipalities=["350"])
    assert response.status_code == 403
    partner_a.refresh_from_db()
    assert partner_a.municipalities == []
