"""Who may facilitate a course: status, the current declaration and the børneattest."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from groups.models import Program
from tests.factories import CourseFactory, ProgramFactory
from tests.volunteers.factories import (
    ChildCertificateFactory,
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
    ProfessionalFactory,
)
from volunteers.models import ChildCertificate, CourseFacilitator, Peer
from volunteers.qualification import add_months, assignment_problems, current_declaration
from volunteers.services import facilitator_assign

pytestmark = pytest.mark.django_db

Kind = Peer.Kind
Status = Peer.Status
Outcome = ChildCertificate.Outcome

FACTORIES = {Kind.PEER: PeerFactory, Kind.PROFESSIONAL: ProfessionalFactory}
KINDS = [Kind.PEER, Kind.PROFESSIONAL]


def days(n: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=n)


def earliest_assessment_still_valid() -> datetime.date:
    """The earliest assessment day whose renewal period has not run out today.

    Normally today minus the renewal period; on 29 February one day later, as no day plus
    whole months lands on a 29 February that the earlier year lacks.
    """
    months = settings.CHILD_CERTIFICATE_RENEWAL_MONTHS
    today = datetime.date.today()
    day = add_months(today, -months)
    while add_months(day, months) < today:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def declaration(org_a):
    return DeclarationFactory(organisation=org_a, version="2025-1", published_on=days(-30))


@pytest.fixture
def adult_course(org_a):
    return CourseFactory(program=ProgramFactory(organisation=org_a, min_age=18))


@pytest.fixture
def children_course(org_a):
    program = ProgramFactory(
        organisation=org_a,
        audience=Program.Audience.CHILDREN_AND_YOUTH,
        target_group="Børn og unge",
        min_age=8,
        max_age=18,
    )
    return CourseFactory(program=program)


def facilitator(kind=Kind.PEER, *, signed=None, **fields):
    """A peer or professional of the kind, who signed the given declaration (if any)."""
    person = FACTORIES[kind](**fields)
    if signed is not None:
        DeclarationSignatureFactory(peer=person, declaration=signed)
    return person


def assert_refused(person, course, phrase):
    problems = assignment_problems(person, course)
    assert any(phrase in problem for problem in problems), problems
    with pytest.raises(ValidationError) as refused:
        facilitator_assign(course=course, peer=person)
    assert any(phrase in message for message in refused.value.messages), refused.value.messages
    assert CourseFacilitator.objects.count() == 0
    return problems


def assert_accepted(person, course):
    assert assignment_problems(person, course) == []
    first = facilitator_assign(course=course, peer=person)
    again = facilitator_assign(course=course, peer=person)
    assert first == again
    assert list(CourseFacilitator.objects.values_list("course", "peer")) == [(course.pk, person.pk)]


QUALIFIED = [
    pytest.param(Kind.PEER, Status.TRAINED, id="trained-peer"),
    pytest.param(Kind.PEER, Status.ACTIVE, id="active-peer"),
    pytest.param(Kind.PROFESSIONAL, Status.ACTIVE, id="professional"),
]


# Accepted


@pytest.mark.parametrize(("kind", "status"), QUALIFIED)
def test_a_qualified_facilitator_leads_an_adult_programme_without_a_boerneattest(
    org_a, declaration, adult_course, kind, status
):
    person = facilitator(kind, organisation=org_a, status=status, signed=declaration)

    assert_accepted(person, adult_course)


@pytest.mark.parametrize(("kind", "status"), QUALIFIED)
def test_a_qualified_facilitator_with_an_approved_boerneattest_leads_a_childrens_programme(
    org_a, declaration, children_course, kind, status
):
    person = facilitator(kind, organisation=org_a, status=status, signed=declaration)
    ChildCertificateFactory(peer=person)

    assert_accepted(person, children_course)


@pytest.mark.parametrize(
    "certificate",
    [
        pytest.param(lambda: {"renew_by": days(0)}, id="renew-by-today"),
        pytest.param(lambda: {"renew_by": days(400)}, id="renew-by-next-year"),
        pytest.param(
            lambda: {"assessed_on": earliest_assessment_still_valid()},
            id="assessed-the-renewal-period-ago",
        ),
    ],
)
def test_a_boerneattest_is_valid_up_to_and_including_its_last_day(
    org_a, declaration, children_course, certificate
):
    peer = facilitator(organisation=org_a, signed=declaration)
    ChildCertificateFactory(peer=peer, **certificate())

    assert_accepted(peer, children_course)


def test_a_renewal_under_way_does_not_hide_the_approved_certificate_still_valid(
    org_a, declaration, children_course
):
    peer = facilitator(organisation=org_a, signed=declaration)
    ChildCertificateFactory(peer=peer, assessed_on=days(-300), requested_on=days(-310))
    ChildCertificateFactory(peer=peer, outcome=Outcome.PENDING, received_on=None, assessed_on=None)

    assert_accepted(peer, children_course)


# Refused: status


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        (Status.APPLICANT, "er ikke uddannet endnu (status: ansøger)"),
        (Status.IN_TRAINING, "er ikke uddannet endnu (status: under uddannelse)"),
        (Status.PAUSED, "er ikke aktiv"),
        (Status.STOPPED, "er ikke aktiv"),
    ],
)
def test_a_peer_who_is_not_trained_or_active_is_refused(
    org_a, declaration, adult_course, status, phrase
):
    peer = facilitator(organisation=org_a, status=status, signed=declaration, name="Mette")

    problems = assert_refused(peer, adult_course, f"Mette {phrase}")
    if status in (Status.PAUSED, Status.STOPPED):
        # A peer on pause or stopped has been trained; the reason must not say otherwise.
        assert not any("ikke uddannet" in problem for problem in problems), problems


@pytest.mark.parametrize("status", [Status.PAUSED, Status.STOPPED])
def test_a_professional_on_pause_or_stopped_is_refused(org_a, declaration, adult_course, status):
    professional = facilitator(
        Kind.PROFESSIONAL, organisation=org_a, status=status, signed=declaration, name="Lars"
    )

    assert_refused(professional, adult_course, "Lars er ikke aktiv")


# Refused: the declaration


@pytest.mark.parametrize("kind", KINDS)
def test_signing_only_an_older_declaration_is_not_enough(org_a, declaration, adult_course, kind):
    person = facilitator(kind, organisation=org_a, signed=declaration, name="Mette")
    DeclarationFactory(organisation=org_a, version="2026-1", published_on=days(-1))

    assert_refused(
        person,
        adult_course,
        "Mette har ikke underskrevet den gældende tavshedserklæring (2026-1).",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_facilitator_who_signed_nothing_is_refused(org_a, declaration, adult_course, kind):
    person = facilitator(kind, organisation=org_a, name="Mette")

    assert_refused(person, adult_course, "Mette har ikke underskrevet den gældende")


def test_an_organisation_without_any_declaration_refuses_everyone(org_a, adult_course):
    peer = facilitator(organisation=org_a)

    assert_refused(peer, adult_course, "Organisationen har ingen tavshedserklæring endnu.")


def test_a_declaration_published_in_the_future_is_not_yet_the_current_one(
    org_a, declaration, adult_course
):
    upcoming = DeclarationFactory(organisation=org_a, version="2027-1", published_on=days(1))
    peer = facilitator(organisation=org_a, signed=declaration)

    assert current_declaration(org_a) == declaration
    assert assignment_problems(peer, adult_course) == []
    # Signing the upcoming one only does not count before it applies.
    early = facilitator(organisation=org_a, signed=upcoming, name="Ida")
    assert assignment_problems(early, adult_course) == [
        "Ida har ikke underskrevet den gældende tavshedserklæring (2025-1)."
    ]


def test_an_organisation_whose_only_declaration_is_upcoming_has_none_yet(org_a, adult_course):
    upcoming = DeclarationFactory(organisation=org_a, published_on=days(7))
    peer = facilitator(organisation=org_a, signed=upcoming)

    assert current_declaration(org_a) is None
    assert_refused(peer, adult_course, "Organisationen har ingen tavshedserklæring endnu.")


def test_the_declaration_in_force_is_judged_on_the_day_asked_about(
    org_a, declaration, adult_course
):
    """`today=` must move the whole rule, not only the børneattest's expiry."""
    DeclarationFactory(organisation=org_a, version="2027-1", published_on=days(10))
    peer = facilitator(organisation=org_a, signed=declaration, name="Mette")

    assert assignment_problems(peer, adult_course, today=days(0)) == []
    assert assignment_problems(peer, adult_course, today=days(10)) == [
        "Mette har ikke underskrevet den gældende tavshedserklæring (2027-1)."
    ]


# Refused: the børneattest


MISSING_OR_NOT_APPROVED = [
    pytest.param(None, "Mette har ingen børneattest.", id="missing"),
    pytest.param(
        lambda: {
            "outcome": Outcome.PENDING,
            "consent": ChildCertificate.Consent.PENDING,
            "received_on": None,
            "assessed_on": None,
        },
        "Mette har ingen godkendt børneattest.",
        id="pending",
    ),
    pytest.param(
        lambda: {"outcome": Outcome.NEEDS_ASSESSMENT, "assessed_on": None},
        "Mette har ingen godkendt børneattest.",
        id="needs-assessment",
    ),
    pytest.param(
        lambda: {"outcome": Outcome.NOT_APPROVED},
        "Mette har ingen godkendt børneattest.",
        id="not-approved",
    ),
    pytest.param(lambda: {"renew_by": days(-1)}, "udløb", id="renew-by-passed"),
    pytest.param(
        lambda: {
            "requested_on": days(-800),
            "received_on": days(-790),
            "assessed_on": earliest_assessment_still_valid() - datetime.timedelta(days=1),
        },
        "udløb",
        id="renewal-period-passed",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("certificate", "phrase"), MISSING_OR_NOT_APPROVED)
def test_a_childrens_programme_needs_an_approved_unexpired_boerneattest(
    org_a, declaration, children_course, kind, certificate, phrase
):
    person = facilitator(kind, organisation=org_a, signed=declaration, name="Mette")
    if certificate is not None:
        ChildCertificateFactory(peer=person, **certificate())

    assert_refused(person, children_course, phrase)


def test_an_expired_boerneattest_names_the_day_it_expired(org_a, declaration, children_course):
    peer = facilitator(organisation=org_a, signed=declaration, name="Mette")
    ChildCertificateFactory(peer=peer, renew_by=datetime.date(2024, 3, 1))

    [problem] = assignment_problems(peer, children_course)
    assert "udløb 01.03.2024 og skal fornyes." in problem
    assert "Mette" in problem
    # Danish genitive: "Mettes"; an apostrophe alone is only for names ending in s, x or z.
    assert "Mette'" not in problem


def test_a_newer_boerneattest_that_was_not_approved_outweighs_an_older_approved_one(
    org_a, declaration, children_course
):
    peer = facilitator(organisation=org_a, signed=declaration, name="Mette")
    ChildCertificateFactory(peer=peer, requested_on=days(-200), assessed_on=days(-190))
    ChildCertificateFactory(peer=peer, requested_on=days(-10), outcome=Outcome.NOT_APPROVED)

    assert_refused(peer, children_course, "børneattest")


# Refused: the organisation, and several reasons at once


def test_a_facilitator_from_another_organisation_is_refused(
    org_a, org_b, declaration, adult_course
):
    peer = facilitator(
        organisation=org_b,
        name="Mette",
        signed=DeclarationFactory(organisation=org_b, published_on=days(-30)),
    )

    assert_refused(peer, adult_course, "Mette hører til en anden organisation end forløbet.")


def test_every_problem_is_listed_at_once(org_a, declaration, children_course):
    peer = facilitator(organisation=org_a, status=Status.APPLICANT, name="Mette")

    problems = assignment_problems(peer, children_course)

    assert problems == [
        "Mette er ikke uddannet endnu (status: ansøger).",
        "Mette har ikke underskrevet den gældende tavshedserklæring (2025-1).",
        "Mette har ingen børneattest.",
    ]
    with pytest.raises(ValidationError) as refused:
        facilitator_assign(course=children_course, peer=peer)
    assert refused.value.messages == problems
    assert CourseFacilitator.objects.count() == 0


# Months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 11, 15), 3, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 1, 15), -1, datetime.date(2025, 12, 15)),
        (datetime.date(2026, 8, 30), 0, datetime.date(2026, 8, 30)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected
