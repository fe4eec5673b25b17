"""The admin lists' row checkbox is written directly (peerprogram.admin_site), not through a
widget template per row: what a coordinator and a screen reader get must stay Django's."""

import pytest
from django.contrib import admin
from django.utils import translation

from groups.models import Course
from peerprogram.admin_site import OrganisationScopedModelAdmin
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_row_checkbox_is_djangos_to_the_letter(language):
    course = CourseFactory(title='Hold "A" & <B>')
    ours = OrganisationScopedModelAdmin(Course, admin.site)

    with translation.override(language):
        assert ours.action_checkbox(course) == admin.ModelAdmin.action_checkbox(ours, course)
