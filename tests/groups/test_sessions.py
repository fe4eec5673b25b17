import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Session
from groups.services import course_cancel, course_plan_sessions, session_cancel, session_move
from tests.factories import BlackoutPeriodFactory, CourseFactory, ProgramFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CPH = timezone.get_fixed_timezone(60)


@pytest.fixture
def course(org_a):
    program = ProgramFactory(organisation=org_a, weeks=10, session_minutes=120)
    for number in range(1, 11):
        ThemeFactory(program=program, number=number, title=f"Tema {number}")
    return CourseFactory(
        program=program, first_date=datetime.date(2027, 3, 1), start_time=datetime.time(17, 0)
    )


def local_dates(course):
    return [timezone.localtime(s.starts_at).date() for s in course.sessions.order_by("number")]


def test_a_new_course_gets_one_session_per_week_with_the_themes_in_order(course):
    result = course_plan_sessions(course=course)
    sessions = list(course.sessions.order_by("number"))
    assert result.created == 10
    assert [s.number for s in sessions] == list(range(1, 11))
    assert [s.theme.title for s in sessions] == [f"Tema {n}" for n in range(1, 11)]
    first = sessions[0]
    assert timezone.localtime(first.starts_at).time() == datetime.time(17, 0)
    assert first.ends_at - first.starts_at == datetime.timedelta(minutes=120)
    assert first.place == course.place


def test_sessions_skip_easter_monday_and_the_organisations_blackout_week(course, org_a):
    BlackoutPeriodFactory(organisation=org_a, name="Vinterferie", iso_week=9)
    course_plan_sessions(course=course)
    dates = local_dates(course)
    assert datetime.date(2027, 3, 1) not in dates  # week 9: winter holiday
    assert datetime.date(2027, 3, 29) not in dates  # 2. påskedag
    assert dates[0] == datetime.date(2027, 3, 8)
    assert len(dates) == 10


def test_sessions_keep_local_time_across_the_switch_to_summer_time(course):
    course_plan_sessions(course=course)
    times = {timezone.localtime(s.starts_at).time() for s in course.sessions.all()}
    assert times == {datetime.time(17, 0)}


def test_planning_again_changes_nothing_and_duplicates_nothing(course):
    course_plan_sessions(course=course)
    before = list(course.sessions.values_list("pk", "number", "starts_at", "version"))
    result = course_plan_sessions(course=course)
    after = list(course.sessions.values_list("pk", "number", "starts_at", "version"))
    assert (result.created, result.updated, result.cancelled) == (0, 0, 0)
    assert before == after


def test_moving_one_session_keeps_the_others_and_all_ids(course):
    course_plan_sessions(course=course)
    ids = list(course.sessions.order_by("number").values_list("pk", flat=True))
    third = course.sessions.get(number=3)
    others_before = list(course.sessions.exclude(number=3).values_list("starts_at", flat=True))

    new_time = datetime.datetime(2027, 3, 18, 18, 0, tzinfo=CPH)
    session_move(session=third, starts_at=new_time, place="Biblioteket")

    third.refresh_from_db()
    assert third.starts_at == new_time
    assert third.ends_at == new_time + datetime.timedelta(hours=2)
    assert third.place == "Biblioteket"
    assert third.moved and third.version == 2
    assert list(course.sessions.exclude(number=3).values_list("starts_at", flat=True)) == (
        others_before
    )
    assert list(course.sessions.order_by("number").values_list("pk", flat=True)) == ids


def test_planning_again_after_a_new_start_date_keeps_moved_and_cancelled_sessions(course):
    course_plan_sessions(course=course)
    ids = list(course.sessions.order_by("number").values_list("pk", flat=True))
    moved = course.sessions.get(number=2)
    moved_to = datetime.datetime(2027, 3, 10, 12, 0, tzinfo=CPH)
    session_move(session=moved, starts_at=moved_to)
    session_cancel(session=course.sessions.get(number=4))

    course.first_date = datetime.date(2027, 3, 2)
    course.save()
    result = course_plan_sessions(course=course)

    assert list(course.sessions.order_by("number").values_list("pk", flat=True)) == ids
    assert course.sessions.get(number=2).starts_at == moved_to
    assert course.sessions.get(number=4).status == Session.Status.CANCELLED
    first = course.sessions.get(number=1)
    assert timezone.localtime(first.starts_at).date() == datetime.date(2027, 3, 2)
    assert first.version == 2
    assert result.updated == 8  # every session but the moved and the cancelled one


def test_a_shorter_programme_cancels_surplus_sessions_instead_of_deleting_them(course):
    course_plan_sessions(course=course)
    course.program.weeks = 8
    course.program.save()
    result = course_plan_sessions(course=course)
    assert result.cancelled == 2
    assert course.sessions.count() == 10
    assert set(course.sessions.filter(number__gt=8).values_list("status", flat=True)) == {
        Session.Status.CANCELLED
    }


def test_new_themes_reach_existing_sessions(course):
    course.program.themes.filter(number=5).delete()
    course_plan_sessions(course=course)
    assert course.sessions.get(number=5).theme is None
    ThemeFactory(program=course.program, number=5, title="Nyt tema")
    course_plan_sessions(course=course)
    assert course.sessions.get(number=5).theme.title == "Nyt tema"


def test_a_cancelled_session_cannot_be_moved(course):
    course_plan_sessions(course=course)
    session = session_cancel(session=course.sessions.get(number=1))
    with pytest.raises(ValidationError):
        session_move(session=session, starts_at=datetime.datetime(2027, 3, 2, 10, tzinfo=CPH))


def test_cancelling_a_course_cancels_only_sessions_still_to_come(course, monkeypatch):
    course_plan_sessions(course=course)
    now = datetime.datetime(2027, 3, 20, 12, 0, tzinfo=CPH)
    monkeypatch.setattr(timezone, "now", lambda: now)
    cancelled = course_cancel(course=course)
    course.refresh_from_db()
    assert course.status == course.Status.CANCELLED
    past = course.sessions.filter(starts_at__lt=now)
    assert cancelled == course.sessions.count() - past.count()
    assert set(past.values_list("status", flat=True)) == {Session.Status.PLANNED}
