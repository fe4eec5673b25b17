"""When a course meets: weekly dates that skip public holidays and an organisation's closed days.

Pure functions over dates, so the rule can be tested without a database.
"""

import datetime
from collections.abc import Callable, Iterable

import holidays

DayIsClosed = Callable[[datetime.date], bool]

# A course that cannot find its sessions within this many extra weeks is misconfigured
# (e.g. a closed period covering every week); stop instead of looping forever.
MAX_SKIPPED_WEEKS = 52


class CannotPlanSessions(ValueError):
    pass


def danish_public_holidays(years: Iterable[int]) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=list(years), language="da")


def closed_day_rule(
    *, skip_public_holidays: bool, blackout_periods: Iterable, first_year: int
) -> DayIsClosed:
    """A predicate telling whether no session can be held on a day."""
    periods = list(blackout_periods)
    public = (
        danish_public_holidays(range(first_year, first_year + 3)) if skip_public_holidays else {}
    )

    def is_closed(day: datetime.date) -> bool:
        return day in public or any(period.covers(day) for period in periods)

    return is_closed


def weekly_dates(
    first_date: datetime.date, count: int, is_closed: DayIsClosed
) -> list[datetime.date]:
    """`count` dates one week apart from `first_date`, each closed day pushing the rest a week."""
    dates: list[datetime.date] = []
    day = first_date
    skipped = 0
    while len(dates) < count:
        if is_closed(day):
            skipped += 1
            if skipped > MAX_SKIPPED_WEEKS:
                raise CannotPlanSessions(f"closed for {MAX_SKIPPED_WEEKS} weeks in a row")
        else:
            dates.append(day)
        day += datetime.timedelta(weeks=1)
    return dates
