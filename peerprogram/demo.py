"""Demo organisations and coordinator log-ins. Contact data are examples, not real mailboxes.

The seeds name their contacts as persons, and no real person's details go into the demo, so
each organisation's contact is invented: a first name and a role, an e-mail address under an
"eksempel" domain and no phone number (any valid Danish number may be someone's own). They
are marked `contact_is_example`, which the public pages show as "Eksempel". The SMS sender is
the municipality's name in ASCII, or a neutral short form.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model

from peerprogram.models import BlackoutPeriod, HelpContact, Membership, Organisation

LIVSLINIEN = (
    "Livslinien – samtale om selvmordstanker",
    "70 201 201",
    "hverdage 11–5, weekend hele døgnet",
)
PSYKIATRIFONDEN = ("Psykiatrifondens telefonrådgivning", "39 25 25 25", "hverdage")
BORNETELEFONEN = ("BørneTelefonen (for børn og unge)", "116 111", "hele døgnet")
AKUT_HOVEDSTADEN = ("Akuttelefonen i Region Hovedstaden", "1813", "hele døgnet")

ORGANISATIONS = [
    {
        "slug": "lejre",
        "name": "Lejre Kommune",
        "kind": Organisation.Kind.MUNICIPALITY,
        "municipality_code": "350",
        "basis": Organisation.DataProtectionBasis.PUBLIC_TASK,
        "contact": "Lene, peer-koordinator",
        "sms_sender": "Lejre",
        "help": [BORNETELEFONEN, LIVSLINIEN, PSYKIATRIFONDEN],
    },
    {
        "slug": "hillerod",
        "name": "Hillerød Kommune",
        "kind": Organisation.Kind.MUNICIPALITY,
        "municipality_code": "219",
        "basis": Organisation.DataProtectionBasis.PUBLIC_TASK,
        "contact": "Henrik, peer-koordinator",
        "sms_sender": "Hillerod",
        "help": [AKUT_HOVEDSTADEN, LIVSLINIEN, PSYKIATRIFONDEN],
    },
    {
        "slug": "peer-partnerskabet",
        "name": "Peer-Partnerskabet",
        "kind": Organisation.Kind.ASSOCIATION,
        "municipality_code": "",
        "basis": Organisation.DataProtectionBasis.CONSENT,
        "contact": "Pia, koordinator",
        "sms_sender": "Partnerskab",
        "help": [LIVSLINIEN, PSYKIATRIFONDEN],
    },
    {
        "slug": "fredericia",
        "name": "Fredericia Kommune",
        "kind": Organisation.Kind.MUNICIPALITY,
        "municipality_code": "607",
        "basis": Organisation.DataProtectionBasis.PUBLIC_TASK,
        "contact": "Frida, koordinator",
        "sms_sender": "Fredericia",
        "help": [LIVSLINIEN, PSYKIATRIFONDEN],
    },
    {
        "slug": "helsingor",
        "name": "Helsingør Kommune",
        "kind": Organisation.Kind.MUNICIPALITY,
        "municipality_code": "217",
        "basis": Organisation.DataProtectionBasis.PUBLIC_TASK,
        "contact": "Hanne, koordinator",
        "sms_sender": "Helsingor",
        "help": [AKUT_HOVEDSTADEN, LIVSLINIEN],
    },
    {
        "slug": "kobenhavn",
        "name": "Københavns Kommune",
        "kind": Organisation.Kind.MUNICIPALITY,
        "municipality_code": "101",
        "basis": Organisation.DataProtectionBasis.PUBLIC_TASK,
        "contact": "Kasper, koordinator",
        "sms_sender": "Kobenhavn",
        "help": [AKUT_HOVEDSTADEN, LIVSLINIEN],
    },
]

# School holidays and days most organisations keep free; editable per organisation.
BLACKOUT_PERIODS = [
    {"name": "Vinterferie (uge 7)", "iso_week": 7},
    {"name": "Efterårsferie (uge 42)", "iso_week": 42},
    {"name": "Grundlovsdag", "start_date": datetime.date(2026, 6, 5), "repeats_yearly": True},
    {"name": "Juleaften", "start_date": datetime.date(2026, 12, 24), "repeats_yearly": True},
    {"name": "Nytårsaften", "start_date": datetime.date(2026, 12, 31), "repeats_yearly": True},
]

# Admin users: (username, first name, last name, organisation slugs, role there).
COORDINATORS = [
    # Lejre's coordinator is also its organisation admin: manages staff and roles.
    ("koordinator.lejre", "Koordinator", "Lejre", ["lejre"], Membership.Role.ADMIN),
    ("koordinator.hillerod", "Koordinator", "Hillerød", ["hillerod"], Membership.Role.COORDINATOR),
    (
        "koordinator.peer",
        "Koordinator",
        "Peer-Partnerskabet",
        ["peer-partnerskabet"],
        Membership.Role.COORDINATOR,
    ),
    # A municipal partner who reads the partnership's reports and nothing else.
    (
        "partner.fredericia",
        "Partner",
        "Fredericia",
        ["peer-partnerskabet"],
        Membership.Role.STATISTICS,
    ),
]

# The municipalities a statistics partner represents: it sees only courses held there.
PARTNER_MUNICIPALITIES = {"partner.fredericia": ["607"]}

REFERRERS = [("henviser.fredericia", "Henviser", "Fredericia", "fredericia")]


def load(stdout=None):
    for data in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "kind": data["kind"],
                "municipality_code": data["municipality_code"],
                "accessibility_statement_url": f"https://www.was.digst.dk/{data['slug']}-eksempel",
                "privacy_contact": "Databeskyttelsesrådgiver (DPO)",
                "privacy_email": f"dpo@{data['slug']}.eksempel.dk",
                "contact_name": data["contact"],
                "contact_email": f"kontakt@{data['slug']}.eksempel.dk",
                "contact_is_example": True,
                "sms_sender": data["sms_sender"],
                "data_protection_basis": data["basis"],
            },
        )
        if not created:
            continue
        for order, (label, phone, hours) in enumerate(data["help"]):
            HelpContact.objects.create(
                organisation=organisation,
                label=label,
                phone=phone,
                opening_hours=hours,
                order=order,
            )
        for period in BLACKOUT_PERIODS:
            BlackoutPeriod.objects.create(organisation=organisation, **period)

    User = get_user_model()
    for username, first_name, last_name, slugs, role in COORDINATORS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "is_staff": True},
        )
        # An invented address, so that the demo's notices to coordinators are delivered (the
        # worker prints them); never a real person's.
        user.email = f"{username}@eksempel.dk"
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        for slug in slugs:
            Membership.objects.get_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=slug),
                defaults={
                    "role": role,
                    "municipalities": PARTNER_MUNICIPALITIES.get(username, []),
                },
            )
    for username, first_name, last_name, slug in REFERRERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(
            user=user,
            organisation=Organisation.objects.get(slug=slug),
            defaults={"role": Membership.Role.REFERRER},
        )


def login_names():
    return [username for username, *_ in COORDINATORS + REFERRERS]
