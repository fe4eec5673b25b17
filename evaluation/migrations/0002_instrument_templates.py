"""Install the shipped questionnaire templates: WHO-5 (locked) and our CHIME questions."""

from django.db import migrations


def install(apps, schema_editor):
    from evaluation.instruments import install_templates

    install_templates(
        apps.get_model("evaluation", "Questionnaire"), apps.get_model("evaluation", "Item")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
