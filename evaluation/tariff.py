"""The yearly tariff: what one participant's course costs when groups are bought for a year.

The calculation is shown, not only its result, so a municipality can check it:

    2 ugentlige grupper × 4 forløb om året × 12 pladser = 96 deltagere
    228.000 kr. / 96 deltagere = 2.375,00 kr. pr. deltager

Amounts are Decimal kroner; the price per participant is rounded half up to whole øre.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, ngettext

ORE = Decimal("0.01")


def format_number(value, places: int = 0) -> str:
    """A number the Danish way: '.' between thousands, ',' before the decimals.

    Rounded half up to `places` decimals: format_number(Decimal("2916.666"), 2) → "2.916,67".
    """
    quantized = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    english = f"{quantized:,.{places}f}"
    return english.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_kroner(amount) -> str:
    """Kroner without decimals when whole ("228.000 kr."), else with øre ("2.916,67 kr.")."""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    return gettext("%(amount)s kr.") % {"amount": format_number(amount, places)}


def _positive_whole(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}.")
    return value


@dataclass(frozen=True)
class Tariff:
    annual_cost: Decimal
    weekly_groups: int
    courses_per_year_per_group: int
    seats_per_course: int

    def __post_init__(self):
        cost = self.annual_cost
        if isinstance(cost, bool) or not isinstance(cost, Decimal | int | str):
            raise ValueError(f"annual_cost must be a Decimal, an int or a string, not {cost!r}.")
        cost = Decimal(cost)
        if not cost.is_finite() or cost < 0:
            raise ValueError(f"annual_cost must be a finite amount of 0 or more, not {cost}.")
        object.__setattr__(self, "annual_cost", cost)
        _positive_whole("weekly_groups", self.weekly_groups)
        _positive_whole("courses_per_year_per_group", self.courses_per_year_per_group)
        _positive_whole("seats_per_course", self.seats_per_course)

    @property
    def participants_per_year(self) -> int:
        return self.weekly_groups * self.courses_per_year_per_group * self.seats_per_course

    @property
    def price_per_participant(self) -> Decimal:
        """The annual cost shared over the year's seats, rounded half up to whole øre."""
        return (self.annual_cost / self.participants_per_year).quantize(ORE, rounding=ROUND_HALF_UP)

    def working(self) -> list[str]:
        """The calculation as Danish lines, one per step."""
        groups = ngettext(
            "%(count)s ugentlig gruppe", "%(count)s ugentlige grupper", self.weekly_groups
        ) % {"count": format_number(self.weekly_groups)}
        courses = ngettext(
            "%(count)s forløb om året",
            "%(count)s forløb om året",
            self.courses_per_year_per_group,
        ) % {"count": format_number(self.courses_per_year_per_group)}
        seats = ngettext("%(count)s plads", "%(count)s pladser", self.seats_per_course) % {
            "count": format_number(self.seats_per_course)
        }
        participants = ngettext(
            "%(count)s deltager", "%(count)s deltagere", self.participants_per_year
        ) % {"count": format_number(self.participants_per_year)}
        price = gettext("%(amount)s kr. pr. deltager") % {
            "amount": format_number(self.price_per_participant, 2)
        }
        return [
            f"{groups} × {courses} × {seats} = {participants}",
            f"{format_kroner(self.annual_cost)} / {participants} = {price}",
        ]


def stored_tariffs(program) -> list[tuple[Tariff, str]]:
    """The programme's own tariffs (`Program.tariffs`), each with a note where the price per
    participant its source publishes differs from the calculation, so nobody has to guess
    which figure is right."""
    stored = []
    for row in program.tariffs or []:
        tariff = Tariff(
            annual_cost=Decimal(str(row["annual_cost"])),
            weekly_groups=row["weekly_groups"],
            courses_per_year_per_group=row["courses_per_year"],
            seats_per_course=row["seats_per_course"],
        )
        published = row.get("published_price")
        note = ""
        if published is not None and Decimal(str(published)) != tariff.price_per_participant:
            note = gettext(
                "Kilden oplyser %(published)s pr. deltager, men %(cost)s / %(participants)s "
                "deltagere er %(price)s. Forskellen står ikke forklaret i kilden; "
                "taksten her regnes ud fra årsprisen og antallet af deltagere."
            ) % {
                "published": format_kroner(published),
                "cost": format_kroner(tariff.annual_cost),
                "participants": format_number(tariff.participants_per_year),
                "price": format_kroner(tariff.price_per_participant),
            }
        stored.append((tariff, note))
    return stored
