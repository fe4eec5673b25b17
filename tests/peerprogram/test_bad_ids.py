"""An id that is no number, in any admin URL that takes one, is a 404 — never a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD_ID_URLS = [
    # Evaluation reports and answer cards
    "/admin/evaluation/report/abc/",
    "/admin/evaluation/report/abc/change/",
    "/admin/evaluation/report/abc/history/",
    "/admin/evaluation/report/abc/csv/",
    "/admin/evaluation/report/abc/pdf/",
    "/admin/evaluation/report/abc/tariff/",
    "/admin/evaluation/report/7/export.json",
    "/admin/evaluation/report/course/abc/",
    "/admin/evaluation/report/course/abc/csv/",
    "/admin/evaluation/report/course/abc/pdf/",
    "/admin/evaluation/report/course/abc/sheet/",
    "/admin/evaluation/questionnaire/abc/change/",
    # Printing and previews
    "/admin/groups/program/abc/manual-preview/",
    "/admin/groups/program/abc/pdf/program_manual/",
    "/admin/groups/course/abc/manual-preview/",
    "/admin/groups/course/abc/pdf/course_manual/",
    "/admin/participants/registration/attendance-sheet/abc/",
    "/admin/peerprogram/retentionpolicy/abc/dry-run/",
    # A person's export and erasure
    "/admin/participants/participant/abc/export.json",
    "/admin/volunteers/peer/abc/export.json",
    "/admin/volunteers/peer/abc/erase/",
]


@pytest.mark.parametrize("url", BAD_ID_URLS)
@pytest.mark.parametrize("role", ["superuser", "coordinator_a"])
def test_a_non_numeric_id_is_not_found(client_for, request, role, url):
    response = client_for(request.getfixturevalue(role)).get(url, follow=True)
    assert response.status_code == 404
