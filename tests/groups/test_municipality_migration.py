"""The data migration that turns free-text course municipalities into codes."""

import importlib
import io

import pytest
from django.apps import apps

from groups.models import Course
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "groups.migrations.0007_course_municipality_code_and_program_tariffs"
)


def test_the_migration_maps_names_to_codes_and_lists_what_it_cannot_map():
    lejre = CourseFactory(title="Hold A")
    written = CourseFactory(title="Hold B")
    unknown = CourseFactory(title="Hold C")
    # Free text as it was stored before the field held codes.
    Course.objects.filter(pk=lejre.pk).update(municipality="Lejre")
    Course.objects.filter(pk=written.pk).update(municipality="  københavns kommune ")
    Course.objects.filter(pk=unknown.pk).update(municipality="Allerslev")
    out = io.StringIO()

    migration.course_municipalities_to_codes(apps, None, out=out)

    codes = dict(Course.objects.values_list("title", "municipality"))
    assert codes == {"Hold A": "350", "Hold B": "101", "Hold C": ""}
    assert f"Forløb #{unknown.pk} (Hold C): 'Allerslev' kunne ikke oversættes" in out.getvalue()
    assert "Hold A" not in out.getvalue() and "Hold B" not in out.getvalue()


def test_the_reverse_migration_writes_the_names_back():
    course = CourseFactory(municipality="219")
    migration.course_municipality_codes_to_names(apps, None)
    course.refresh_from_db()
    assert course.municipality == "Hillerød"
