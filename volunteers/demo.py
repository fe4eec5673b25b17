"""Demo facilitators: made-up people in every training state, declarations, certificates and
assignments. `peer.demo` is trained, has signed and facilitates several courses."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model

from groups.models import Course
from peerprogram.models import Organisation
from volunteers.models import (
    ChildCertificate,
    CourseFacilitator,
    Declaration,
    DeclarationSignature,
    Peer,
    TrainingModule,
    TrainingRecord,
)

DECLARATION_TEXT = (
    "Jeg lover ikke at fortælle andre om det, deltagerne deler i gruppen, eller om hvem der "
    "deltager. Det gælder også, når jeg ikke længere er frivillig. Er jeg bekymret for en "
    "deltager, taler jeg med koordinatoren."
)
MODULES = ["Introduktion til peer-støtte", "Gruppeledelse efter manualen", "Egne grænser"]
# (organisation, name, kind, status, courses) — the people are made up.
PEOPLE = [
    (
        "peer-partnerskabet",
        "Demo Peer",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        ["Fredericia, formiddag", "Helsingør, eftermiddag", "Vinter, Fredericia"],
    ),
    ("peer-partnerskabet", "Anna Ansøger", Peer.Kind.PEER, Peer.Status.APPLICANT, []),
    ("peer-partnerskabet", "Ib Uddannelse", Peer.Kind.PEER, Peer.Status.IN_TRAINING, []),
    (
        "peer-partnerskabet",
        "Tove Uddannet",
        Peer.Kind.PEER,
        Peer.Status.TRAINED,
        ["Fredericia, formiddag"],
    ),
    ("peer-partnerskabet", "Per Pause", Peer.Kind.PEER, Peer.Status.PAUSED, []),
    ("peer-partnerskabet", "Sanne Stoppet", Peer.Kind.PEER, Peer.Status.STOPPED, []),
    ("lejre", "Maja Ung-peer", Peer.Kind.PEER, Peer.Status.ACTIVE, ["Ungegruppe, Allerslev"]),
    (
        "lejre",
        "Fagperson Familiehuset",
        Peer.Kind.PROFESSIONAL,
        Peer.Status.ACTIVE,
        ["Børn 8–12 år", "Ungegruppe, Allerslev"],
    ),
    (
        "hillerod",
        "Mikkel Motion",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        ["Motion for sindet, Hillerød Stadion"],
    ),
]


def load(stdout=None):
    today = datetime.date.today()
    for slug in {organisation for organisation, *_ in PEOPLE}:
        organisation = Organisation.objects.get(slug=slug)
        Declaration.objects.get_or_create(
            organisation=organisation,
            version="2026-1",
            defaults={"text": DECLARATION_TEXT, "published_on": datetime.date(2026, 1, 1)},
        )
        for order, name in enumerate(MODULES):
            TrainingModule.objects.get_or_create(
                organisation=organisation, name=name, defaults={"order": order}
            )
    for slug, name, kind, status, course_titles in PEOPLE:
        organisation = Organisation.objects.get(slug=slug)
        peer, created = Peer.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "kind": kind,
                "status": status,
                "email": f"{name.split()[0].lower()}@demo.eksempel.dk",
                "accompanies": kind == Peer.Kind.PEER,
            },
        )
        if not created:
            continue
        qualified = status in (Peer.Status.TRAINED, Peer.Status.ACTIVE) or kind != Peer.Kind.PEER
        if qualified:
            for module in TrainingModule.objects.filter(organisation=organisation):
                TrainingRecord.objects.create(peer=peer, module=module, completed_on=today)
            DeclarationSignature.objects.create(
                peer=peer, declaration=Declaration.objects.get(organisation=organisation)
            )
        if slug == "lejre":
            # Children's programmes: an approved certificate, one of them due for renewal.
            ChildCertificate.objects.create(
                peer=peer,
                requested_on=today - datetime.timedelta(days=700),
                consent=ChildCertificate.Consent.GIVEN,
                received_on=today - datetime.timedelta(days=690),
                outcome=ChildCertificate.Outcome.APPROVED,
                assessed_on=today - datetime.timedelta(days=690),
                renew_by=today + datetime.timedelta(days=20 if kind == Peer.Kind.PEER else 400),
            )
        for title in course_titles:
            CourseFacilitator.objects.get_or_create(
                course=Course.objects.get(title=title), peer=peer
            )

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="peer.demo", defaults={"first_name": "Demo"})
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    Peer.objects.filter(name="Demo Peer").update(user=user)
