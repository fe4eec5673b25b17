"""Demo facilitators: made-up people in every training state, declarations, certificates and
assignments. `peer.demo` is trained, has signed and facilitates several courses, and
accompanies a citizen whose accompaniment ends soon. Hillerød gets associations, a contact
request and a bridging record for Ud i Livet."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from groups.models import Course, Program
from participants.models import Participant, Registration
from peerprogram.models import Organisation
from volunteers import services
from volunteers.models import (
    Accompaniment,
    AccompanimentMeeting,
    Association,
    AssociationActivity,
    Bridging,
    ChildCertificate,
    ContactRequest,
    Declaration,
    DeclarationSignature,
    Peer,
    TrainingModule,
    TrainingRecord,
)
from volunteers.qualification import add_months

DECLARATION_TEXT = (
    "Jeg lover ikke at fortælle andre om det, deltagerne deler i gruppen, eller om hvem der "
    "deltager. Det gælder også, når jeg ikke længere er frivillig. Er jeg bekymret for en "
    "deltager, taler jeg med koordinatoren."
)
MODULES = ["Introduktion til peer-støtte", "Gruppeledelse efter manualen", "Egne grænser"]
# (organisation, name, kind, status, age (for a birth year) or None, certificate valid for
# (days) or None, courses) — the people are made up. Lejre's children's groups show the
# børneattest rule: the youth peer aged 13 needs none, the others one that lasts the course;
# the parent peer's runs out within 30 days, which a parent group does not need but
# coordinators are told about.
PEOPLE = [
    (
        "peer-partnerskabet",
        "Demo Peer",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        None,
        None,
        ["Fredericia, formiddag", "Helsingør, eftermiddag", "Vinter, Fredericia"],
    ),
    ("peer-partnerskabet", "Anna Ansøger", Peer.Kind.PEER, Peer.Status.APPLICANT, None, None, []),
    (
        "peer-partnerskabet",
        "Ib Uddannelse",
        Peer.Kind.PEER,
        Peer.Status.IN_TRAINING,
        None,
        None,
        [],
    ),
    (
        "peer-partnerskabet",
        "Tove Uddannet",
        Peer.Kind.PEER,
        Peer.Status.TRAINED,
        None,
        None,
        ["Fredericia, formiddag"],
    ),
    ("peer-partnerskabet", "Per Pause", Peer.Kind.PEER, Peer.Status.PAUSED, None, None, []),
    ("peer-partnerskabet", "Sanne Stoppet", Peer.Kind.PEER, Peer.Status.STOPPED, None, None, []),
    (
        "lejre",
        "Maja Ung-peer",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        19,
        400,
        ["Ungegruppe, Allerslev", "Børn 8–12 år"],
    ),
    (
        "lejre",
        "Emil Ung-peer",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        13,
        None,
        ["Ungegruppe, Allerslev"],
    ),
    (
        "lejre",
        "Fagperson Familiehuset",
        Peer.Kind.PROFESSIONAL,
        Peer.Status.ACTIVE,
        None,
        400,
        ["Børn 8–12 år", "Ungegruppe, Allerslev"],
    ),
    (
        "lejre",
        "Forælder-peer Hvalsø",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        None,
        20,
        ["Forældregruppe, Hvalsø"],
    ),
    (
        "hillerod",
        "Mikkel Motion",
        Peer.Kind.PEER,
        Peer.Status.ACTIVE,
        None,
        None,
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
    for slug, name, kind, status, age, certificate_days, course_titles in PEOPLE:
        organisation = Organisation.objects.get(slug=slug)
        peer, created = Peer.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "kind": kind,
                "status": status,
                "email": f"{name.split()[0].lower()}@demo.eksempel.dk",
                "accompanies": kind == Peer.Kind.PEER,
                "birth_year": today.year - age if age is not None else None,
            },
        )
        if not created:
            continue
        if status in Peer.WORKING_STATUSES:
            for module in TrainingModule.objects.filter(organisation=organisation):
                TrainingRecord.objects.create(peer=peer, module=module, completed_on=today)
            DeclarationSignature.objects.create(
                peer=peer, declaration=Declaration.objects.get(organisation=organisation)
            )
        if certificate_days is not None:
            ChildCertificate.objects.create(
                peer=peer,
                requested_on=today - datetime.timedelta(days=700),
                consent=ChildCertificate.Consent.GIVEN,
                received_on=today - datetime.timedelta(days=690),
                outcome=ChildCertificate.Outcome.APPROVED,
                assessed_on=today - datetime.timedelta(days=690),
                renew_by=today + datetime.timedelta(days=certificate_days),
            )
        for title in course_titles:
            # Through the assignment service, so the demo obeys the rule it demonstrates.
            services.facilitator_assign(course=Course.objects.get(title=title), peer=peer)

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="peer.demo", defaults={"first_name": "Demo"})
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    Peer.objects.filter(name="Demo Peer").update(user=user)
    # Lejre's coordinator assesses børneattester; the others see only dates and consent.
    User.objects.get(username="koordinator.lejre").user_permissions.add(
        Permission.objects.get(codename="view_certificate_outcome")
    )

    _load_accompaniment()
    _load_bridging()


# Made-up associations and activities in Hillerød, for Ud i Livet's bridging.
ASSOCIATIONS = [
    (
        "DGI Nordsjælland",
        "Instruktøren på holdet",
        [
            ("Motion for sindet – gåhold", "Tirsdag kl. 10.00", "Mødested ved Slotsparken"),
            ("Motion for sindet – styrke og balance", "Fredag kl. 13.00", "Idrætshallen"),
        ],
    ),
    (
        "Hillerød Fodbold",
        "Holdets træner",
        [("Motion for sindet – fodbold", "Torsdag kl. 17.00", "Hillerød Stadion, bane 3")],
    ),
]


def _load_accompaniment():
    """Demo Peer accompanies a citizen from "Fredericia, formiddag" on the Håb programme,
    started about five and a half months ago, so it ends within the 14-day notice."""
    haab = Program.objects.get(name="Håb og selvbestemmelse i hverdagslivet")
    registration = (
        Registration.objects.filter(
            course__title="Fredericia, formiddag", status=Registration.Status.ACCEPTED
        )
        .select_related("participant")
        .order_by("participant__name")
        .first()
    )
    starts_on = add_months(timezone.localdate() + datetime.timedelta(days=10), -6)
    accompaniment, created = Accompaniment.objects.get_or_create(
        peer=Peer.objects.get(organisation=haab.organisation, name="Demo Peer"),
        participant=registration.participant,
        program=haab,
        defaults={
            "starts_on": starts_on,
            "planned_end_on": add_months(starts_on, haab.accompaniment_limit_months),
        },
    )
    for days, kind, note in [
        (14, AccompanimentMeeting.Kind.APPOINTMENT, "Fulgtes til et møde på jobcentret"),
        (60, AccompanimentMeeting.Kind.ACTIVITY, "Prøvede en åben gåtur sammen"),
    ]:
        AccompanimentMeeting.objects.get_or_create(
            accompaniment=accompaniment,
            kind=kind,
            defaults={
                "date": accompaniment.starts_on + datetime.timedelta(days=days),
                "note": note,
            },
        )


def _load_bridging():
    hillerod = Organisation.objects.get(slug="hillerod")
    activities = {}
    for name, contact, activity_rows in ASSOCIATIONS:
        association, _ = Association.objects.get_or_create(
            organisation=hillerod, name=name, defaults={"contact": contact}
        )
        for activity_name, when, place in activity_rows:
            activities[activity_name], _ = AssociationActivity.objects.get_or_create(
                association=association,
                name=activity_name,
                defaults={"when": when, "place": place},
            )
    ContactRequest.objects.get_or_create(
        organisation=hillerod,
        first_name="Lone",
        defaults={
            "email": "lone@demo.eksempel.dk",
            "wish": ContactRequest.Wish.PEER,
        },
    )
    citizen, _ = Participant.objects.get_or_create(
        organisation=hillerod,
        name="Rasmus (demo)",
        defaults={
            "email": "rasmus@demo.eksempel.dk",
            "birth_date": datetime.date(1979, 9, 14),
            "municipality": "219",
        },
    )
    Bridging.objects.get_or_create(
        participant=citizen,
        activity=activities["Motion for sindet – fodbold"],
        defaults={
            "status": Bridging.Status.VISITED,
            "peer": Peer.objects.get(organisation=hillerod, name="Mikkel Motion"),
        },
    )
