import datetime

import factory

from tests.factories import CourseFactory, OrganisationFactory
from volunteers.models import (
    ChildCertificate,
    CourseFacilitator,
    Declaration,
    DeclarationSignature,
    Peer,
    TrainingModule,
)


class PeerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Peer

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Peer.Kind.PEER
    name = factory.Sequence(lambda n: f"Peer {n}")
    email = factory.Sequence(lambda n: f"peer{n}@eksempel.dk")
    status = Peer.Status.ACTIVE


class ProfessionalFactory(PeerFactory):
    kind = Peer.Kind.PROFESSIONAL
    name = factory.Sequence(lambda n: f"Fagperson {n}")
    email = factory.Sequence(lambda n: f"fagperson{n}@eksempel.dk")


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    organisation = factory.SubFactory(OrganisationFactory)
    version = factory.Sequence(lambda n: f"v{n + 1}")
    text = "Jeg fortæller ikke videre, hvad deltagerne deler i gruppen."
    published_on = factory.LazyFunction(datetime.date.today)


class DeclarationSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclarationSignature

    peer = factory.SubFactory(PeerFactory)
    declaration = factory.SubFactory(
        DeclarationFactory, organisation=factory.SelfAttribute("..peer.organisation")
    )
    signed_on = factory.LazyFunction(datetime.date.today)


class ChildCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildCertificate

    peer = factory.SubFactory(PeerFactory)
    requested_on = factory.LazyFunction(datetime.date.today)
    consent = ChildCertificate.Consent.GIVEN
    received_on = factory.LazyFunction(datetime.date.today)
    outcome = ChildCertificate.Outcome.APPROVED
    assessed_on = factory.LazyFunction(datetime.date.today)
    renew_by = None


class CourseFacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseFacilitator

    course = factory.SubFactory(CourseFactory)
    peer = factory.SubFactory(
        PeerFactory, organisation=factory.SelfAttribute("..course.program.organisation")
    )


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Modul {n + 1}")
    order = factory.Sequence(lambda n: n + 1)
