"""The data migration that turns free-text course municipalities into codes, run for real:
the schema is migrated back to before it, old values written, and migrated forward again."""

import contextlib
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from groups.models import Course
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("groups", "0006_program_offers_accompaniment")]


def migrate(targets) -> str:
    executor = MigrationExecutor(connection)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return output.getvalue()


def old_course_model():
    return (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE)
        .apps.get_model("groups", "Course")
    )


def test_the_migration_maps_names_to_codes_and_lists_what_it_cannot_map():
    lejre = CourseFactory(title="Hold A")
    written = CourseFactory(title="Hold B")
    unknown = CourseFactory(title="Hold C")
    migrate(BEFORE)
    # Free text as it was stored before the field held codes.
    OldCourse = old_course_model()
    OldCourse.objects.filter(pk=lejre.pk).update(municipality="Lejre")
    OldCourse.objects.filter(pk=written.pk).update(municipality="  københavns kommune ")
    OldCourse.objects.filter(pk=unknown.pk).update(municipality="Allerslev")

    out = migrate(None)

    codes = dict(Course.objects.values_list("title", "municipality"))
    assert codes == {"Hold A": "350", "Hold B": "101", "Hold C": ""}
    assert f"Forløb #{unknown.pk} (Hold C): 'Allerslev' kunne ikke oversættes" in out
    assert "Hold A" not in out and "Hold B" not in out


def test_the_reverse_migration_writes_the_names_back():
    course = CourseFactory(municipality="219")
    try:
        migrate(BEFORE)
        assert old_course_model().objects.get(pk=course.pk).municipality == "Hillerød"
    finally:
        migrate(None)
