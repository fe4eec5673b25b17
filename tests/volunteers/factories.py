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
from volunteers.qualification import current_declaration


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


class SignedPeerFactory(PeerFactory):
    """A peer who signed the organisation's current declaration (made if there is none), so
    may facilitate an adult course."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def signed(peer, create, extracted, **kwargs):
        if not create:
            return
        declaration = current_declaration(peer.organisation) or DeclarationFactory(
            organisation=peer.organisation
        )
        DeclarationSignature.objects.create(peer=peer, declaration=declaration)


class CourseFacilitatorFactory(factory.django.DjangoModelFactory):
    """An assignment; a peer made for it may facilitate the course (unless it is for
    children, where a børneattest is needed too)."""

    class Meta:
        model = CourseFacilitator

    course = factory.SubFactory(CourseFactory)
    peer = factory.SubFactory(
        SignedPeerFactory, organisation=factory.SelfAttribute("..course.program.organisation")
    )


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Modul {n + 1}")
    order = factory.Sequence(lambda n: n + 1)
