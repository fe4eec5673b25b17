import datetime

import pytest

from groups.scheduling import CannotPlanSessions, closed_day_rule, weekly_dates
from peerprogram.models import BlackoutPeriod

D = datetime.date


def never_closed(day):
    return False


def test_sessions_are_one_week_apart_on_the_first_dates_weekday():
    dates = weekly_dates(D(2027, 1, 12), 10, never_closed)
    assert len(dates) == 10
    assert dates[0] == D(2027, 1, 12)
    assert all(b - a == datetime.timedelta(weeks=1) for a, b in zip(dates, dates[1:], strict=False))
    assert {day.weekday() for day in dates} == {1}


def test_a_course_over_easter_skips_easter_monday_and_adds_a_week():
    is_closed = closed_day_rule(skip_public_holidays=True, blackout_periods=[], first_year=2027)
    dates = weekly_dates(D(2027, 3, 15), 3, is_closed)  # Mondays; 29.03.2027 is 2. påskedag
    assert dates == [D(2027, 3, 15), D(2027, 3, 22), D(2027, 4, 5)]


def test_public_holidays_are_kept_when_the_programme_says_so():
    is_closed = closed_day_rule(skip_public_holidays=False, blackout_periods=[], first_year=2027)
    assert D(2027, 3, 29) in weekly_dates(D(2027, 3, 15), 3, is_closed)


def test_a_blackout_week_is_skipped_every_year():
    autumn = BlackoutPeriod(name="Efterårsferie", iso_week=42)
    is_closed = closed_day_rule(
        skip_public_holidays=True, blackout_periods=[autumn], first_year=2027
    )
    dates = weekly_dates(D(2027, 10, 12), 2, is_closed)  # Tuesday of week 41
    assert dates == [D(2027, 10, 12), D(2027, 10, 26)]
    assert D(2028, 10, 17).isocalendar().week == 42 and is_closed(D(2028, 10, 17))


@pytest.mark.parametrize(
    ("period", "day", "closed"),
    [
        (BlackoutPeriod(start_date=D(2026, 12, 24), repeats_yearly=True), D(2031, 12, 24), True),
        (BlackoutPeriod(start_date=D(2026, 12, 24), repeats_yearly=True), D(2031, 12, 25), False),
        (BlackoutPeriod(start_date=D(2026, 6, 5), repeats_yearly=True), D(2027, 6, 5), True),
        (BlackoutPeriod(start_date=D(2027, 7, 1), end_date=D(2027, 7, 31)), D(2027, 7, 15), True),
        (BlackoutPeriod(start_date=D(2027, 7, 1), end_date=D(2027, 7, 31)), D(2028, 7, 15), False),
        (
            BlackoutPeriod(start_date=D(2026, 12, 22), end_date=D(2027, 1, 2), repeats_yearly=True),
            D(2029, 1, 1),
            True,
        ),
        (
            BlackoutPeriod(start_date=D(2026, 12, 22), end_date=D(2027, 1, 2), repeats_yearly=True),
            D(2029, 1, 3),
            False,
        ),
    ],
)
def test_blackout_periods_cover_their_days(period, day, closed):
    assert period.covers(day) is closed


def test_a_calendar_closed_for_a_year_is_refused_instead_of_looping():
    with pytest.raises(CannotPlanSessions):
        weekly_dates(D(2027, 1, 5), 2, lambda day: True)
