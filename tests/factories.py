import datetime

import factory
from django.contrib.auth import get_user_model

from groups.models import Course, Program, Session, Theme
from participants.models import Participant, Registration
from peerprogram.models import (
    BlackoutPeriod,
    HelpContact,
    Membership,
    Organisation,
    OutboxMessage,
)

PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    kind = Organisation.Kind.MUNICIPALITY
    municipality_code = "350"
    accessibility_statement_url = factory.LazyAttribute(
        lambda o: f"https://www.was.digst.dk/{o.slug}"
    )
    privacy_contact = "Databeskyttelsesrådgiver"
    privacy_email = factory.LazyAttribute(lambda o: f"dpo@{o.slug}.eksempel.dk")
    data_protection_basis = Organisation.DataProtectionBasis.PUBLIC_TASK


class HelpContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpContact

    organisation = factory.SubFactory(OrganisationFactory)
    label = "Akuttelefon"
    phone = "70 20 12 01"


class BlackoutPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlackoutPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Lukket"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoordinatorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        for organisation in extracted or []:
            Membership.objects.create(user=obj, organisation=organisation)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    summary = "Et gruppeforløb."
    legal_basis = "Serviceloven § 82 a"
    audience = Program.Audience.ADULTS
    target_group = "Voksne"
    min_age = 18


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda t: f"Tema {t.number}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Hold {n}")
    place = "Medborgerhuset"
    municipality = "350"
    first_date = datetime.date(2027, 1, 12)
    start_time = datetime.time(10, 0)
    capacity = 10
    status = Course.Status.OPEN


def open_course(program, capacity=3, first_date=None, **extra):
    """A course open for registration, starting in two weeks, with its sessions planned."""
    from django.utils import timezone

    from groups.services import course_plan_sessions

    course = CourseFactory(
        program=program,
        capacity=capacity,
        first_date=first_date or timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
        **extra,
    )
    course_plan_sessions(course=course)
    return course


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2027, 1, 12, 10, tzinfo=datetime.UTC)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    place = "Medborgerhuset"


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "session_reminder"
    channel = OutboxMessage.Channel.EMAIL
    recipient_name = "Deltager"
    recipient_address = "deltager@eksempel.dk"
    template = "notifications/session_reminder"
    # As groups.message_kinds.SessionReminder stores it (outbox.services.context_to_json).
    context = factory.LazyFunction(
        lambda: {
            "program": "Vejen til Hverdagslivet",
            "course": "Forår",
            "number": 1,
            "theme": "Ankomst",
            "starts_at": {"__datetime__": "2027-01-12T17:00:00+01:00"},
            "ends_at": {"__datetime__": "2027-01-12T19:00:00+01:00"},
            "place": "Medborgerhuset",
            "contact": {
                "organisation": "Lejre Kommune",
                "name": "Mette Holm",
                "phone": "+4520304050",
                "email": "mette@lejre.eksempel.dk",
            },
        }
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Deltager {n}")
    email = factory.Sequence(lambda n: f"deltager{n}@eksempel.dk")
    birth_date = datetime.date(1990, 5, 17)
    municipality = "350"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    course = factory.SubFactory(CourseFactory)
    participant = factory.SubFactory(
        ParticipantFactory, organisation=factory.SelfAttribute("..course.program.organisation")
    )
    status = Registration.Status.ACCEPTED
    privacy_notice_version = "test"


class OrganisationAdminFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        for organisation in extracted or []:
            Membership.objects.create(
                user=obj, organisation=organisation, role=Membership.Role.ADMIN
            )


class PartnerFactory(UserFactory):
    """A municipal partner who sees aggregate figures and reports only."""

    is_staff = True

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        for organisation in extracted or []:
            # Bound to Lejre, where CourseFactory holds its courses.
            Membership.objects.create(
                user=obj,
                organisation=organisation,
                role=Membership.Role.STATISTICS,
                municipalities=kwargs.get("municipalities", ["350"]),
            )


class ReferrerFactory(UserFactory):
    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        for organisation in extracted or []:
            Membership.objects.create(
                user=obj, organisation=organisation, role=Membership.Role.REFERRER
            )
