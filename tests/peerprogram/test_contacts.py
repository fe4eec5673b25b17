"""The contact on organisations and programmes: what the admin accepts and shows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peerprogram.models import Organisation
from tests.factories import CoordinatorFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

NO_WAY_TO_REACH = "Skriv en kontakttelefon eller en kontakt-e-mail"


def test_a_contact_name_without_phone_or_e_mail_is_refused_in_danish():
    organisation = OrganisationFactory.build(contact_name="Mette, koordinator")
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert NO_WAY_TO_REACH in str(refused.value.message_dict["contact_phone"])
    for way in ({"contact_phone": "20 30 40 50"}, {"contact_email": "mette@eksempel.dk"}):
        OrganisationFactory.build(contact_name="Mette, koordinator", **way).full_clean()


def test_a_programmes_contact_name_needs_a_phone_or_e_mail_too(org_a):
    program = ProgramFactory.build(organisation=org_a, contact_name="Familiehuset")
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert NO_WAY_TO_REACH in str(refused.value.message_dict["contact_phone"])


@pytest.mark.parametrize(
    ("sender", "message"),
    [
        ("Psykiatrien", "Vælg et neutralt afsendernavn"),
        ("Familiehuset", "Skriv højst 11 bogstaver"),
        ("Lejre Kommune", "Skriv højst 11 bogstaver"),
        ("Hillerød", "Skriv højst 11 bogstaver"),
    ],
)
def test_a_revealing_or_too_long_sms_sender_is_refused(sender, message):
    organisation = OrganisationFactory.build(sms_sender=sender)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert message in str(refused.value.message_dict["sms_sender"])


def change_form_data(page) -> dict:
    """What the admin change page would post back unchanged, forms and inlines."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def org_admin_page(client_for, org_a):
    # The shared fixture's crisis line (11 22 33 44) is no valid number; a save checks it.
    org_a.help_contacts.update(phone="70 20 12 01")
    coordinator = CoordinatorFactory(username="koordinator.kontakt", organisations=[org_a])
    client = client_for(coordinator)
    url = reverse("admin:peerprogram_organisation_change", args=[org_a.pk])
    return client, url


def test_the_organisation_admin_has_a_contact_fieldset_a_coordinator_keeps_up_to_date(
    org_admin_page, org_a
):
    client, url = org_admin_page
    page = client.get(url)
    html = page.content.decode()
    assert "<h2" in html and "Kontakt" in html
    for field in ("contact_name", "contact_phone", "contact_email", "sms_sender"):
        assert f'name="{field}"' in html
    assert "ikke et navn der fortæller, hvad beskeden handler om" in html  # the sender's help

    data = change_form_data(page)
    data.update(
        contact_name="Mette, koordinator",
        contact_phone="20 30 40 50",
        contact_email="",
        sms_sender="Lejre",
    )
    assert client.post(url, data).status_code == 302
    org_a.refresh_from_db()
    assert (org_a.contact_name, org_a.contact_phone, org_a.sms_sender) == (
        "Mette, koordinator",
        "+4520304050",
        "Lejre",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contact_name": "Mette", "contact_phone": "", "contact_email": ""}, NO_WAY_TO_REACH),
        ({"sms_sender": "Angstgruppe"}, "Vælg et neutralt afsendernavn"),
        ({"sms_sender": "Lejre Kommune"}, "højst have 11 tegn"),
        ({"sms_sender": "Hillerød"}, "Skriv højst 11 bogstaver"),
    ],
)
def test_the_organisation_admin_refuses_an_unreachable_contact_or_a_bad_sender(
    org_admin_page, org_a, change, message
):
    client, url = org_admin_page
    data = change_form_data(client.get(url))
    data.update(change)
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    org_a.refresh_from_db()
    assert (org_a.contact_name, org_a.sms_sender) == ("", "")


def test_the_programme_admin_shows_the_optional_contact(client_for, coordinator_a, program_a):
    client = client_for(coordinator_a)
    html = client.get(reverse("admin:groups_program_change", args=[program_a.pk])).content
    html = html.decode()
    assert "Står felterne tomme, gælder organisationens kontakt." in html
    for field in ("contact_name", "contact_phone", "contact_email"):
        assert f'name="{field}"' in html


def test_every_demo_organisation_has_an_example_contact_and_a_neutral_sender():
    from peerprogram import demo

    demo.load()
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert organisation.contact_name and organisation.contact_email
        assert organisation.contact_is_example
        assert organisation.sms_sender and organisation.sms_sender.isascii()
