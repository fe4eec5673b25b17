import pytest
from django.core.exceptions import ValidationError

from tests.factories import BlackoutPeriodFactory, HelpContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["70 20 12 01", "+45 70201201", "112", "1813", "116 111"])
def test_danish_phone_numbers_are_accepted(phone):
    HelpContactFactory.build(organisation=OrganisationFactory(), phone=phone).full_clean()


@pytest.mark.parametrize("phone", ["2345", "+46 70 20 12 01", "70-20-12-01", "7020120"])
def test_other_phone_numbers_get_a_danish_message(phone):
    contact = HelpContactFactory.build(organisation=OrganisationFactory(), phone=phone)
    with pytest.raises(ValidationError, match="dansk telefonnummer"):
        contact.full_clean()


def test_a_municipality_needs_its_three_digit_code():
    with pytest.raises(ValidationError, match="kommunekode"):
        OrganisationFactory.build(municipality_code="").full_clean()
    with pytest.raises(ValidationError, match="tre cifre"):
        OrganisationFactory.build(municipality_code="35").full_clean()


def test_a_blackout_period_ending_before_it_starts_is_refused():
    import datetime

    period = BlackoutPeriodFactory.build(
        organisation=OrganisationFactory(),
        start_date=datetime.date(2027, 7, 31),
        end_date=datetime.date(2027, 7, 1),
    )
    with pytest.raises(ValidationError, match="Slutdatoen ligger før startdatoen"):
        period.full_clean()


def test_a_blackout_period_is_a_week_or_dates_not_both():
    import datetime

    period = BlackoutPeriodFactory.build(
        organisation=OrganisationFactory(), iso_week=7, start_date=datetime.date(2027, 2, 15)
    )
    with pytest.raises(ValidationError, match="enten en uge eller datoer"):
        period.full_clean()


def test_the_admin_flags_crisis_lines_nobody_has_checked(client_for, superuser, org_a):
    import datetime

    from django.urls import reverse

    from peerprogram.models import HelpContact

    client = client_for(superuser)
    listing = client.get(reverse("admin:peerprogram_organisation_changelist")).content.decode()
    assert "⚠ 1 ikke kontrolleret" in listing
    page = client.get(reverse("admin:peerprogram_organisation_change", args=[org_a.pk]))
    assert "Ikke kontrolleret: ring op" in page.content.decode()

    HelpContact.objects.filter(organisation=org_a).update(verified_on=datetime.date(2026, 11, 1))
    listing = client.get(reverse("admin:peerprogram_organisation_changelist")).content.decode()
    assert "ikke kontrolleret" not in listing
