"""Course.municipality becomes one of the 98 municipality codes; programmes get tariffs.

Free-text municipalities are mapped to codes by name (case, spacing, "Kommune" and the
spellings aa/å ignored). A value that names no municipality cannot be kept in a field that
holds codes only: it is emptied and listed in the migration's output, so a coordinator
chooses the municipality in the admin (the course form requires one).
"""

import sys

from django.db import migrations, models

import groups.models
from peerprogram.municipalities import MUNICIPALITIES, municipality_code_for


def course_municipalities_to_codes(apps, schema_editor, out=None):
    out = out or sys.stdout
    Course = apps.get_model("groups", "Course")
    for course in Course.objects.order_by("pk"):
        code = municipality_code_for(course.municipality)
        if code is None:
            out.write(
                f"\n  Forløb #{course.pk} ({course.title}): {course.municipality!r} kunne ikke "
                "oversættes til en kommunekode — ret det i admin."
            )
            code = ""
        if code != course.municipality:
            Course.objects.filter(pk=course.pk).update(municipality=code)


def course_municipality_codes_to_names(apps, schema_editor):
    Course = apps.get_model("groups", "Course")
    for code, name in MUNICIPALITIES.items():
        Course.objects.filter(municipality=code).update(municipality=name)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0006_program_offers_accompaniment"),
    ]

    operations = [
        migrations.RunPython(course_municipalities_to_codes, course_municipality_codes_to_names),
        migrations.AddField(
            model_name="program",
            name="tariffs",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Årspriser for køb af grupper, som takstsiden regner videre på, fx [{"annual_cost": 140000, "weekly_groups": 1, "courses_per_year": 4, "seats_per_course": 12, "published_price": 2908}]. "published_price" er den pris pr. deltager, kilden selv oplyser (kan udelades).',
                validators=[groups.models.validate_tariffs],
                verbose_name="takster",
            ),
        ),
        migrations.AlterField(
            model_name="course",
            name="municipality",
            field=models.CharField(
                choices=[
                    ("165", "Albertslund"),
                    ("201", "Allerød"),
                    ("420", "Assens"),
                    ("151", "Ballerup"),
                    ("530", "Billund"),
                    ("400", "Bornholm"),
                    ("153", "Brøndby"),
                    ("810", "Brønderslev"),
                    ("155", "Dragør"),
                    ("240", "Egedal"),
                    ("561", "Esbjerg"),
                    ("563", "Fanø"),
                    ("710", "Favrskov"),
                    ("320", "Faxe"),
                    ("210", "Fredensborg"),
                    ("607", "Fredericia"),
                    ("147", "Frederiksberg"),
                    ("813", "Frederikshavn"),
                    ("250", "Frederikssund"),
                    ("190", "Furesø"),
                    ("430", "Faaborg-Midtfyn"),
                    ("157", "Gentofte"),
                    ("159", "Gladsaxe"),
                    ("161", "Glostrup"),
                    ("253", "Greve"),
                    ("270", "Gribskov"),
                    ("376", "Guldborgsund"),
                    ("510", "Haderslev"),
                    ("260", "Halsnæs"),
                    ("766", "Hedensted"),
                    ("217", "Helsingør"),
                    ("163", "Herlev"),
                    ("657", "Herning"),
                    ("219", "Hillerød"),
                    ("860", "Hjørring"),
                    ("316", "Holbæk"),
                    ("661", "Holstebro"),
                    ("615", "Horsens"),
                    ("167", "Hvidovre"),
                    ("169", "Høje-Taastrup"),
                    ("223", "Hørsholm"),
                    ("756", "Ikast-Brande"),
                    ("183", "Ishøj"),
                    ("849", "Jammerbugt"),
                    ("326", "Kalundborg"),
                    ("440", "Kerteminde"),
                    ("621", "Kolding"),
                    ("101", "København"),
                    ("259", "Køge"),
                    ("482", "Langeland"),
                    ("350", "Lejre"),
                    ("665", "Lemvig"),
                    ("360", "Lolland"),
                    ("173", "Lyngby-Taarbæk"),
                    ("825", "Læsø"),
                    ("846", "Mariagerfjord"),
                    ("410", "Middelfart"),
                    ("773", "Morsø"),
                    ("707", "Norddjurs"),
                    ("480", "Nordfyns"),
                    ("450", "Nyborg"),
                    ("370", "Næstved"),
                    ("727", "Odder"),
                    ("461", "Odense"),
                    ("306", "Odsherred"),
                    ("730", "Randers"),
                    ("840", "Rebild"),
                    ("760", "Ringkøbing-Skjern"),
                    ("329", "Ringsted"),
                    ("265", "Roskilde"),
                    ("230", "Rudersdal"),
                    ("175", "Rødovre"),
                    ("741", "Samsø"),
                    ("740", "Silkeborg"),
                    ("746", "Skanderborg"),
                    ("779", "Skive"),
                    ("330", "Slagelse"),
                    ("269", "Solrød"),
                    ("340", "Sorø"),
                    ("336", "Stevns"),
                    ("671", "Struer"),
                    ("479", "Svendborg"),
                    ("706", "Syddjurs"),
                    ("540", "Sønderborg"),
                    ("787", "Thisted"),
                    ("550", "Tønder"),
                    ("185", "Tårnby"),
                    ("187", "Vallensbæk"),
                    ("573", "Varde"),
                    ("575", "Vejen"),
                    ("630", "Vejle"),
                    ("820", "Vesthimmerlands"),
                    ("791", "Viborg"),
                    ("390", "Vordingborg"),
                    ("492", "Ærø"),
                    ("580", "Aabenraa"),
                    ("851", "Aalborg"),
                    ("751", "Aarhus"),
                ],
                help_text="Kommunen hvor forløbet holdes.",
                max_length=3,
                verbose_name="kommune",
            ),
        ),
    ]
