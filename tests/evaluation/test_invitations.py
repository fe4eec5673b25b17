import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import Questionnaire
from groups.services import course_plan_sessions
from peerprogram.models import OutboxMessage
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def course_with_people(org, first_date, status):
    course = CourseFactory(
        program=ProgramFactory(organisation=org), first_date=first_date, status=status
    )
    course_plan_sessions(course=course)
    RegistrationFactory.create_batch(3, course=course)
    return course


def test_invitations_go_out_at_the_first_session_and_after_the_last_once(org_a):
    today = timezone.localdate()
    starting = course_with_people(org_a, today + datetime.timedelta(days=2), "open")
    # Its tenth session was about a week ago.
    ended = course_with_people(org_a, today - datetime.timedelta(weeks=9, days=5), "running")
    now = starting.sessions.get(number=1).starts_at - datetime.timedelta(hours=2)
    services.invitations_due(now=now)
    services.invitations_due(now=now + datetime.timedelta(minutes=30))
    before = OutboxMessage.objects.filter(kind="evaluation_invitation", context__phase="before")
    after = OutboxMessage.objects.filter(kind="evaluation_invitation", context__phase="after")
    assert before.count() == 3 and {m.related_id for m in before} == {starting.pk}
    assert after.count() == 3 and {m.related_id for m in after} == {ended.pk}


def test_a_coordinator_copies_a_template_and_a_locked_instrument_stays_locked(
    client_for, coordinator_a, org_a
):
    who5 = Questionnaire.objects.get(organisation=None, locked=True)
    client = client_for(coordinator_a)
    client.post(
        reverse("admin:evaluation_questionnaire_changelist"),
        {"action": "copy_to_my_organisation", "_selected_action": [who5.pk]},
    )
    copy = Questionnaire.objects.get(organisation=org_a)
    assert copy.locked and copy.items.count() == who5.items.count()
    page = client.get(reverse("admin:evaluation_questionnaire_change", args=[copy.pk]))
    assert 'name="items-0-text"' not in page.content.decode()
