import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from groups.models import Course, Program, Session, Theme
from participants.models import Participant, Registration
from peerprogram.models import Organisation

pytestmark = pytest.mark.django_db

FIVE_PROGRAMMES = {
    "Unge hjælper unge",
    "Mod og Mestring",
    "Ud i Livet",
    "Vejen til Hverdagslivet",
    "Håb og selvbestemmelse i hverdagslivet",
}


def counts():
    models = (Organisation, Program, Theme, Course, Session, Participant, Registration)
    return [model.objects.count() for model in models]


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-test-password"
    call_command("seed_demo")


@pytest.mark.smoke
def test_seed_demo_loads_every_programme_of_the_seeds_and_can_run_again(seeded):
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert set(Program.objects.values_list("name", flat=True)) >= FIVE_PROGRAMMES
    assert {
        "Lejre Kommune",
        "Hillerød Kommune",
        "Peer-Partnerskabet",
        "Fredericia Kommune",
        "Helsingør Kommune",
        "Københavns Kommune",
    } <= set(Organisation.objects.values_list("name", flat=True))


def test_demo_programmes_carry_the_facts_of_the_seeds(seeded):
    vejen = Program.objects.get(name="Vejen til Hverdagslivet")
    assert (vejen.weeks, vejen.session_minutes) == (10, 120)
    titles = list(vejen.themes.values_list("title", flat=True))
    assert len(titles) == 10
    assert titles[0] == "Ankomst og godt igang" and titles[-1] == "Forkæl dig selv"
    haab = Program.objects.get(name="Håb og selvbestemmelse i hverdagslivet")
    assert (haab.capacity, haab.intake_open_until_session, haab.accompaniment_limit_months) == (
        10,
        3,
        6,
    )
    assert {"rule": "max_months_psychiatric_services", "less_than": 24} in haab.eligibility_rules
    assert (Program.objects.get(name="Unge hjælper unge").min_age, 20) == (13, 20)
    mod = Program.objects.get(name="Mod og Mestring")
    assert (mod.min_age, mod.max_age, mod.required_professionals) == (8, 18, 2)
    assert Program.objects.get(name="Ud i Livet").organisation.name == "Hillerød Kommune"


def test_demo_data_shows_seats_a_waitlist_and_a_review(seeded):
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {"accepted", "waitlisted", "needs_review"} <= statuses
    full = Course.objects.get(title="Fredericia, formiddag")
    assert full.registrations.filter(status="accepted").count() == full.capacity


def test_demo_courses_have_sessions_in_the_coming_weeks(seeded):
    assert Course.objects.filter(status=Course.Status.OPEN).exists()
    for course in Course.objects.all():
        assert course.sessions.count() == course.program.weeks


def test_demo_log_ins_use_the_password_from_the_environment(seeded, rf):
    # django-axes checks every log-in against the request it comes with.
    request = rf.post("/admin/login/")
    for username in ["koordinator.lejre", "koordinator.hillerod", "koordinator.peer"]:
        user = authenticate(request, username=username, password="demo-test-password")
        assert user is not None and user.is_staff and not user.is_superuser
    lejre = authenticate(request, username="koordinator.lejre", password="demo-test-password")
    assert list(Organisation.objects.for_user(lejre).values_list("name", flat=True)) == [
        "Lejre Kommune"
    ]


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not Program.objects.exists()
    call_command("seed_demo", "--force")
    assert Program.objects.exists()


def test_demo_evaluation_answers_fill_a_report_once(seeded):
    from evaluation import reports
    from evaluation.models import Response

    course = Course.objects.get(title="Fredericia, formiddag")
    before = Response.objects.count()
    call_command("seed_demo")
    assert Response.objects.count() == before == 16
    (who5, chime) = reports.course_report(course).before
    assert who5.score.shown.visible and who5.score.mean is not None
    assert len(chime.items[-1].texts) == 5


def test_demo_has_an_organisation_admin_and_a_statistics_partner(seeded):
    from peerprogram.models import Membership

    assert Membership.objects.get(user__username="koordinator.lejre").role == "admin"
    partner = Membership.objects.get(user__username="partner.fredericia")
    assert (partner.role, partner.organisation.slug) == ("statistics", "peer-partnerskabet")
    assert partner.user.is_staff


def test_vejen_til_hverdagslivets_rules_follow_its_seed(seeded):
    vejen = Program.objects.get(name="Vejen til Hverdagslivet")
    assert vejen.eligibility_rules == [
        {"rule": "min_age", "value": 18},
        {"rule": "self_declared", "question": "reduced_mental_functioning"},
    ]
    assert "§ 82 a" not in vejen.legal_basis
    assert [
        (t["annual_cost"], t["weekly_groups"] * t["courses_per_year"] * t["seats_per_course"])
        for t in vejen.tariffs
    ] == [(140000, 48), (228000, 96)]


def test_demo_values_no_seed_gives_say_eksempel(seeded):
    lejre_programmes = Program.objects.filter(organisation__slug="lejre")
    # Marked as data (Program.example_fields), not written into the texts.
    assert all("legal_basis" in program.example_fields for program in lejre_programmes)
    ud_i_livet = Program.objects.get(name="Ud i Livet")
    assert ud_i_livet.example_fields == [
        "legal_basis",
        "capacity",
        "weeks",
        "session_minutes",
        "required_peers",
    ]
    assert (ud_i_livet.capacity, ud_i_livet.weeks, ud_i_livet.session_minutes) == (15, 10, 90)
    assert not any(
        "Eksempel" in summary for summary in Program.objects.values_list("summary", flat=True)
    )
    haab = Program.objects.get(name="Håb og selvbestemmelse i hverdagslivet")
    assert "Eksempel" not in haab.summary and "§ 82 b" not in haab.legal_basis
    assert haab.example_fields == []


def test_demo_courses_are_held_in_municipalities_given_by_code(seeded):
    from peerprogram.municipalities import is_municipality

    assert all(
        is_municipality(code) for code in Course.objects.values_list("municipality", flat=True)
    )


def test_the_demo_partner_sees_only_fredericias_courses(seeded, client_for):
    from django.urls import reverse

    from peerprogram.models import Membership

    partner = Membership.objects.get(user__username="partner.fredericia")
    assert partner.municipalities == ["607"]
    client = client_for(partner.user)
    haab = Program.objects.get(name="Håb og selvbestemmelse i hverdagslivet")
    html = client.get(reverse("admin:evaluation_report_change", args=[haab.pk])).content.decode()
    assert "Fredericia, formiddag" in html
    assert "Helsingør, eftermiddag" not in html and "København, Nørrebro" not in html


def test_the_demo_holds_no_named_person_or_contact_from_the_seeds(seeded):
    from django.contrib.auth import get_user_model

    from peerprogram.models import HelpContact

    texts = " ".join(
        str(value)
        for queryset in (
            Program.objects.values_list("summary", "target_group", "legal_basis"),
            Course.objects.values_list("title", "place", "address"),
            Organisation.objects.values_list("name", "privacy_contact", "privacy_email"),
            HelpContact.objects.values_list("label", "phone"),
            Participant.objects.values_list("name", "email", "phone"),
            get_user_model().objects.values_list("first_name", "last_name", "email"),
        )
        for row in queryset
        for value in row
    )
    for seed_contact in ("Malene", "Schröder", "2344 6601", "nima@", "Emilie", "23 84 69 14"):
        assert seed_contact not in texts
