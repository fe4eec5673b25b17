"""Demo programmes from the source pages, with courses in the coming weeks.

Facts (names, ages, lengths, capacities, the themes of Vejen til Hverdagslivet, the §82 rule,
intake until session 3, accompaniment up to six months) come from the programmes' own
descriptions. Where those give no value, the value is ours and says "Eksempel": the legal
bases and numbers no seed gives (capacity, weeks, session length, staffing) are listed in
`Program.example_fields`, which the course page, the admin and the printed manual and flyer
label (an invented programme contact is listed there as "contact_name"); invented places and
themes carry "Eksempel: " in their text. Courses are held in municipalities given by code.
Vejen til Hverdagslivet stores its published tariffs.
"""

import datetime

from django.utils import timezone

from groups.models import Course, Program, Theme
from groups.services import course_plan_sessions
from peerprogram.models import Organisation

EXAMPLE = "Eksempel: "

# The §82 target group as both seeds state it: over 18, reduced mental functioning.
SECTION_82_RULES = [
    {"rule": "min_age", "value": 18},
    {"rule": "self_declared", "question": "reduced_mental_functioning"},
]
# Håb og selvbestemmelse's own rule (seed 004), not Vejen til Hverdagslivet's.
EARLY_INTERVENTION_RULE = {"rule": "max_months_psychiatric_services", "less_than": 24}

# Vejen til Hverdagslivet's published tariffs (seed 003): a year of courses, 4 a year per
# weekly group, 48 participants for one group and 96 for two, so 12 seats a course. The seed
# prints 2,908 kr. per participant for one group, where 140,000 / 48 is 2,916.67; the tariff
# page shows both (published_price).
VEJEN_TARIFFS = [
    {
        "annual_cost": 140000,
        "weekly_groups": 1,
        "courses_per_year": 4,
        "seats_per_course": 12,
        "published_price": 2908,
    },
    {
        "annual_cost": 228000,
        "weekly_groups": 2,
        "courses_per_year": 4,
        "seats_per_course": 12,
        "published_price": 2375,
    },
]

VEJEN_THEMES = [
    (
        "Ankomst og godt igang",
        "Vi lærer hinanden at kende og aftaler, hvordan gruppen bliver et godt sted for alle.",
    ),
    (
        "Hvad siger jeg til andre når..",
        "Hvor går mine grænser, og hvad har jeg lyst til at fortælle andre om mig selv?",
    ),
    (
        "Find ud af hvad der er vigtigst for dig!",
        "Vi finder de værdier, der betyder mest for den enkelte i hverdagen.",
    ),
    (
        "Forskelle og ligheder – plads til alt vi er",
        "Gruppens forskelle er en styrke; vi ser på, hvad vi kan lære af hinanden.",
    ),
    (
        "Chancer der er værd at tage",
        "Hvilke små skridt er jeg klar til, og hvad skal der til for at tage dem?",
    ),
    (
        "Opsamling på chancer og vores netværk",
        "Vi følger op på skridtene og taler om, hvad relationer gør for hverdagen.",
    ),
    (
        "Livshistoriefortælling",
        "Vi arbejder med vores egne livshistorier og med at fortælle dem videre på vores måde.",
    ),
    (
        "Sådan sætter du dagsordenen",
        "Vi øver os i at bede andre om hjælp til det, der er vigtigt for os.",
    ),
    (
        "Fra drømme til hverdagslivet",
        "Hver deltager laver en konkret plan for noget, de gerne vil.",
    ),
    ("Forkæl dig selv", "Gode råd om overskud, søvn og ro – og en god afslutning på forløbet."),
]


def _example_themes(titles):
    return [(title, EXAMPLE + purpose) for title, purpose in titles]


HAAB_THEMES = _example_themes(
    [
        ("Velkommen og trygge rammer", "aftaler om fortrolighed og hvordan vi taler sammen."),
        ("Håb – hvad giver mig håb?", "vi deler erfaringer med det, der har hjulpet os videre."),
        ("Mine værdier", "hvad er vigtigt for mig i hverdagen?"),
        ("Selvbestemmelse", "hvor bestemmer jeg selv, og hvor vil jeg gerne bestemme mere?"),
        ("Relationer og netværk", "hvem er omkring mig, og hvem vil jeg gerne have tættere på?"),
        ("Svære dage", "hvad gør jeg, når hverdagen bliver tung?"),
        ("Min historie", "at fortælle om sig selv på sin egen måde."),
        (
            "Skridt ud i fællesskaber",
            "foreninger, frivilligt arbejde og aktiviteter i lokalområdet.",
        ),
        ("Min plan", "næste skridt efter forløbet, evt. med følgeskab."),
        ("Afslutning", "vi ser tilbage på forløbet og siger ordentligt farvel."),
    ]
)

YOUTH_THEMES = _example_themes(
    [
        ("Hvem er vi?", "gruppen lærer hinanden at kende og laver aftaler."),
        ("Når livet er svært", "skilsmisse, pres og diagnoser i familien – vi deler erfaringer."),
        ("Præstationer og pres", "skole, venner og forventninger."),
        ("Følelser og tanker", "at sætte ord på det, der fylder."),
        ("Venskaber", "at finde og holde på gode relationer."),
        ("Familien", "at tale med sine forældre om det svære."),
        ("Mine styrker", "det, jeg er god til, og det, andre ser i mig."),
        ("Håb og fremtid", "historier om at komme videre."),
        ("Hvem kan hjælpe?", "voksne, steder og fællesskaber man kan bruge."),
        ("Afslutning", "det tager vi med os."),
    ]
)

ANXIETY_THEMES = _example_themes(
    [
        ("Hvad er angst?", "at forstå kroppens alarm."),
        ("Tanker og følelser", "at fange de tanker, der gør angsten større."),
        ("Små skridt", "at øve sig i det, der er svært, lidt ad gangen."),
        ("Peerens historie", "en peer fortæller, hvordan redskaberne virkede i hverdagen."),
        ("Ro i kroppen", "vejrtrækning og afspænding."),
        ("Skole og fritid", "at bruge redskaberne, hvor det gælder."),
        ("Forældrenes rolle", "at støtte uden at tage over."),
        ("Tilbagefald", "når angsten kommer igen."),
        ("Min plan", "redskaber jeg vil blive ved med at bruge."),
        ("Afslutning", "vi fejrer det, vi har nået."),
    ]
)

PARENT_THEMES = _example_themes(
    [
        ("Velkommen", "hvad håber vi at få ud af gruppen?"),
        ("Hverdagen derhjemme", "det, der fylder mest lige nu."),
        ("At tale med sit barn", "om det svære, på barnets præmisser."),
        ("Samarbejde med skole og kommune", "erfaringer og gode råd fra andre forældre."),
        ("Søskende og parforhold", "hele familien påvirkes."),
        ("Egne grænser og overskud", "at passe på sig selv som forælder."),
        ("Netværk", "hvem kan vi trække på?"),
        ("Peerens erfaringer", "en forælder fortæller om sin vej."),
        ("Fremtiden", "håb og næste skridt."),
        ("Afslutning", "hvad tager vi med os?"),
    ]
)

MOTION_THEMES = _example_themes(
    [
        ("Første træning", "vi mødes, hilser på holdet og tager det roligt."),
        ("Bevægelse og humør", "hvad motion gør for hovedet."),
        ("Fællesskab på holdet", "at være en del af noget uden at skulle præstere."),
        ("Foreningslivet", "hvad sker der i de lokale foreninger?"),
        ("Følgeskab", "en peer kan følge med til det første møde i en forening."),
        ("Egen træning", "at finde en aktivitet, der passer til én."),
        ("Ud i naturen", "en gåtur i stedet for banen."),
        ("Gode vaner", "at holde fast, også på svære dage."),
        ("Næste skridt", "hvilket hold eller hvilken forening vil jeg prøve?"),
        ("Afslutning", "vi spiller og spiser sammen."),
    ]
)

PROGRAMS = [
    {
        "organisation": "lejre",
        "name": "Unge hjælper unge",
        "summary": "Grupper for unge, der har det svært, hvor unge peers og en fagperson leder samtalen. Der er også grupper for forældrene.",
        "legal_basis": "Barnets lov § 30 (unge under 18) og serviceloven § 82 a (unge fra 18 år).",
        "audience": Program.Audience.YOUTH,
        "target_group": "Unge på 13–20 år, fx med skilte forældre, præstationsangst eller en diagnose hos sig selv eller i familien.",
        "min_age": 13,
        "max_age": 20,
        "required_peers": 2,
        "required_professionals": 1,
        # The seed: youth peers and one professional; how many peers it does not say.
        "example_fields": ["legal_basis", "capacity", "weeks", "session_minutes", "required_peers"],
        "eligibility_rules": [{"rule": "age_range", "min": 13, "max": 20}],
        "themes": YOUTH_THEMES,
        "courses": [
            (
                "Ungegruppe, Allerslev",
                EXAMPLE + "Ungdomsskolen, Allerslev",
                "350",
                2,
                datetime.time(16, 0),
            )
        ],
    },
    {
        "organisation": "lejre",
        "name": "Unge hjælper unge – forældregruppe",
        "summary": "Forældre til unge, der har det svært, mødes og støtter hinanden med hjælp fra en forælder-peer.",
        "legal_basis": "Barnets lov § 30.",
        "audience": Program.Audience.PARENTS,
        "target_group": "Forældre til unge på 13–20 år, der har det svært i livet.",
        "min_age": 13,
        "max_age": 20,
        "required_peers": 1,
        "required_professionals": 1,
        "example_fields": [
            "legal_basis",
            "capacity",
            "weeks",
            "session_minutes",
            "required_professionals",
            "required_peers",
        ],
        "eligibility_rules": [{"rule": "parent_of_child_in_range", "min": 13, "max": 20}],
        "themes": PARENT_THEMES,
        "courses": [
            (
                "Forældregruppe, Hvalsø",
                EXAMPLE + "Hvalsø Bibliotek, mødelokale 2",
                "350",
                3,
                datetime.time(19, 0),
            )
        ],
    },
    {
        "organisation": "lejre",
        "name": "Mod og Mestring",
        "summary": "Gruppeforløb i Familiehuset for børn og unge med angst og for deres forældre. To fagpersoner og mindst én frivillig peer er med.",
        "legal_basis": "Barnets lov § 30.",
        "audience": Program.Audience.CHILDREN_AND_YOUTH,
        "target_group": "Børn og unge på 8–18 år med angst eller en diagnose inde på livet, og deres forældre.",
        "min_age": 8,
        "max_age": 18,
        "required_peers": 1,
        "required_professionals": 2,
        # Run by the Familiehus, which answers for it itself (an invented contact).
        "contact_name": "Familiehuset, Mod og Mestring",
        "contact_email": "familiehuset@lejre.eksempel.dk",
        "example_fields": ["legal_basis", "capacity", "weeks", "session_minutes", "contact_name"],
        "eligibility_rules": [{"rule": "age_range", "min": 8, "max": 18}],
        "parents_join": True,  # the seed: for children and young people and their parents
        "themes": ANXIETY_THEMES,
        "courses": [("Børn 8–12 år", "Familiehuset, Lejre", "350", 1, datetime.time(15, 30))],
    },
    {
        "organisation": "lejre",
        "name": "Mod og Mestring – forældre til børn med autisme",
        "summary": "Forældre til børn med autisme deler erfaringer med hinanden, fagpersoner og en forælder-peer.",
        "legal_basis": "Barnets lov § 30.",
        "audience": Program.Audience.PARENTS,
        "target_group": "Forældre til børn på 8–18 år med autisme.",
        "min_age": 8,
        "max_age": 18,
        "required_peers": 1,
        "required_professionals": 2,
        "example_fields": ["legal_basis", "capacity", "weeks", "session_minutes"],
        "eligibility_rules": [{"rule": "parent_of_child_in_range", "min": 8, "max": 18}],
        "themes": PARENT_THEMES,
        "courses": [
            ("Forældre, aftenhold", "Familiehuset, Lejre", "350", 4, datetime.time(18, 30))
        ],
    },
    {
        "organisation": "hillerod",
        "name": "Ud i Livet",
        "summary": "Frivillige peers støtter voksne en til en eller i små grupper og følger dem ud i lokale foreninger, bl.a. på motion-for-sindet-hold med DGI Nordsjælland og Hillerød Fodbold.",
        "legal_basis": "Frivillig indsats i samarbejde med Hillerød Kommune, serviceloven § 82 d.",
        "audience": Program.Audience.ADULTS,
        "target_group": "Borgere over 18 år med psykiske udfordringer, der er i gang med deres recovery og gerne vil ud i fællesskaber.",
        "min_age": 18,
        "format": Program.Format.OPEN_ACTIVITY,
        "offers_accompaniment": True,  # the seed: built on følgeskab; it gives no limit
        "session_minutes": 90,
        "capacity": 15,
        "required_peers": 1,
        "example_fields": ["legal_basis", "capacity", "weeks", "session_minutes", "required_peers"],
        "eligibility_rules": [{"rule": "min_age", "value": 18}],
        "themes": MOTION_THEMES,
        "courses": [
            (
                "Motion for sindet, Hillerød Stadion",
                "Hillerød Stadion",
                "219",
                1,
                datetime.time(17, 0),
            )
        ],
    },
    {
        "organisation": "peer-partnerskabet",
        "name": "Vejen til Hverdagslivet",
        "summary": "Ti ugers gruppeforløb, to timer om ugen, ledet af uddannede frivillige peers efter program og manual. For voksne, der oplever ensomhed og stilstand.",
        "legal_basis": "Målgruppen for serviceloven § 82.",
        "audience": Program.Audience.ADULTS,
        "target_group": "Voksne over 18 år i målgruppen for serviceloven § 82, uanset diagnose, med kendskab til psykisk sårbarhed og kriser.",
        "min_age": 18,
        # 4 courses a year for 48 participants in the published tariff.
        "capacity": 12,
        "required_peers": 2,
        "offers_accompaniment": True,  # "følgeskab" is in its core; the seed gives no limit
        # "Ledes af uddannede, frivillige peers": how many, the seed does not say.
        "example_fields": ["required_peers"],
        "tariffs": VEJEN_TARIFFS,
        # §82 target group, over 18, not diagnosis-specific: no two-year limit, no municipality.
        "eligibility_rules": SECTION_82_RULES,
        "themes": VEJEN_THEMES,
        "courses": [
            (
                "Vinter, Fredericia",
                EXAMPLE + "Frivilligcenter Fredericia",
                "607",
                2,
                datetime.time(10, 0),
            )
        ],
    },
    {
        "organisation": "peer-partnerskabet",
        "name": "Håb og selvbestemmelse i hverdagslivet",
        "summary": "Ti ugers gruppeforløb for op til ti deltagere, ledet af to frivillige peers. Man kan også få individuelt følgeskab af en frivillig i op til seks måneder.",
        "legal_basis": "Målgruppen for serviceloven § 82; indsatsen er etableret i samarbejde med kommunerne efter serviceloven § 82 d.",
        "audience": Program.Audience.ADULTS,
        "target_group": "Voksne over 18 år med nedsat psykisk funktionsevne, som har haft mindre end to års kontakt med socialpsykiatri og behandlingspsykiatri.",
        "min_age": 18,
        "capacity": 10,
        "required_peers": 2,
        "intake_open_until_session": 3,
        "offers_accompaniment": True,
        "accompaniment_limit_months": 6,
        "eligibility_rules": [
            *SECTION_82_RULES,
            EARLY_INTERVENTION_RULE,
            {"rule": "municipality_in", "codes": ["607", "217", "101"]},
        ],
        "themes": HAAB_THEMES,
        "courses": [
            (
                "Fredericia, formiddag",
                EXAMPLE + "Kulturhuset, Fredericia",
                "607",
                # Running since last week: session 2 today, so it still takes newcomers (intake
                # closes when session 3 starts) whatever the time of day.
                -1,
                datetime.time(10, 0),
            ),
            (
                "Helsingør, eftermiddag",
                EXAMPLE + "Biblioteket, Helsingør",
                "217",
                3,
                datetime.time(13, 0),
            ),
            (
                "København, Nørrebro",
                EXAMPLE + "Medborgerhuset, Nørrebro",
                "101",
                5,
                datetime.time(16, 30),
            ),
        ],
    },
]


def _first_date(weeks_from_now: int, weekday: int = 1) -> datetime.date:
    """A weekday `weeks_from_now` weeks away (negative: a course already running)."""
    today = timezone.localdate()
    this_week = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=weekday)
    return this_week + datetime.timedelta(weeks=weeks_from_now)


def load(stdout=None):
    for index, data in enumerate(PROGRAMS):
        data = dict(data)
        organisation = Organisation.objects.get(slug=data.pop("organisation"))
        themes = data.pop("themes")
        courses = data.pop("courses")
        program, created = Program.objects.get_or_create(
            organisation=organisation, name=data.pop("name"), defaults=data
        )
        if created:
            Theme.objects.bulk_create(
                Theme(program=program, number=number, title=title, purpose=purpose)
                for number, (title, purpose) in enumerate(themes, start=1)
            )
        for title, place, municipality, weeks_from_now, start_time in courses:
            course, created = Course.objects.get_or_create(
                program=program,
                title=title,
                defaults={
                    "place": place,
                    "municipality": municipality,
                    "first_date": _first_date(weeks_from_now, weekday=index % 5),
                    "start_time": start_time,
                    "capacity": program.capacity,
                    "status": Course.Status.RUNNING if weeks_from_now < 0 else Course.Status.OPEN,
                },
            )
            if created:
                course_plan_sessions(course=course)
