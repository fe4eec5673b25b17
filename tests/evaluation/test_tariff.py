"""The yearly tariff: the seed figures, the Danish working, and rounding to whole øre."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from evaluation.tariff import Tariff, format_kroner, format_number

# The tariff from the partnership's own figures: four courses a year per weekly group of 12.
# (The seed material states 2.908 kr. per participant for one group; 140.000 / 48 is
# 2.916,67 — the working shows the computed figure.)
ONE_WEEKLY_GROUP = Tariff(
    annual_cost=Decimal("140000"),
    weekly_groups=1,
    courses_per_year_per_group=4,
    seats_per_course=12,
)
TWO_WEEKLY_GROUPS = Tariff(
    annual_cost=Decimal("228000"),
    weekly_groups=2,
    courses_per_year_per_group=4,
    seats_per_course=12,
)


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def test_two_weekly_groups_cost_2375_kroner_per_participant():
    tariff = Tariff(Decimal("228000"), 2, 4, 12)

    assert tariff.participants_per_year == 96
    assert tariff.price_per_participant == Decimal("2375.00")
    assert tariff == TWO_WEEKLY_GROUPS


def test_one_weekly_group_costs_2916_67_not_the_seeds_2908():
    tariff = Tariff(Decimal("140000"), 1, 4, 12)

    assert tariff.participants_per_year == 48
    assert tariff.price_per_participant == Decimal("2916.67")
    assert tariff == ONE_WEEKLY_GROUP


def test_the_working_shows_the_calculation_in_danish():
    assert TWO_WEEKLY_GROUPS.working() == [
        "2 ugentlige grupper × 4 forløb om året × 12 pladser = 96 deltagere",
        "228.000 kr. / 96 deltagere = 2.375,00 kr. pr. deltager",
    ]
    assert ONE_WEEKLY_GROUP.working() == [
        "1 ugentlig gruppe × 4 forløb om året × 12 pladser = 48 deltagere",
        "140.000 kr. / 48 deltagere = 2.916,67 kr. pr. deltager",
    ]


def test_the_working_uses_the_singular_for_one_seat_and_one_participant():
    assert Tariff(Decimal("1234.5"), 1, 1, 1).working() == [
        "1 ugentlig gruppe × 1 forløb om året × 1 plads = 1 deltager",
        "1.234,50 kr. / 1 deltager = 1.234,50 kr. pr. deltager",
    ]


@pytest.mark.parametrize(
    "value, places, text",
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (Decimal("2375"), 2, "2.375,00"),
        (Decimal("2916.665"), 2, "2.916,67"),
        (Decimal("0.5"), 0, "1"),
    ],
)
def test_numbers_are_formatted_the_danish_way(value, places, text):
    assert format_number(value, places) == text


def test_kroner_show_ore_only_when_there_are_any():
    assert format_kroner(Decimal("228000")) == "228.000 kr."
    assert format_kroner(Decimal("228000.00")) == "228.000 kr."
    assert format_kroner(Decimal("140000.5")) == "140.000,50 kr."


def test_the_annual_cost_may_be_given_as_an_int_or_a_string():
    assert Tariff(228000, 2, 4, 12).annual_cost == Decimal("228000")
    assert Tariff("228000.00", 2, 4, 12).price_per_participant == Decimal("2375.00")


@pytest.mark.parametrize(
    "arguments",
    [
        (Decimal("-1"), 1, 4, 12),
        (Decimal("NaN"), 1, 4, 12),
        (1.5, 1, 4, 12),
        (Decimal("1000"), 0, 4, 12),
        (Decimal("1000"), 1, 0, 12),
        (Decimal("1000"), 1, 4, 0),
        (Decimal("1000"), 1.5, 4, 12),
        (Decimal("1000"), True, 4, 12),
    ],
)
def test_a_tariff_refuses_figures_that_make_no_sense(arguments):
    with pytest.raises(ValueError):
        Tariff(*arguments)


@given(
    annual_cost=st.decimals(min_value=0, max_value=10_000_000, places=2),
    weekly_groups=st.integers(min_value=1, max_value=20),
    courses=st.integers(min_value=1, max_value=12),
    seats=st.integers(min_value=1, max_value=30),
)
def test_price_times_participants_is_the_annual_cost_within_half_an_ore_each(
    annual_cost, weekly_groups, courses, seats
):
    tariff = Tariff(annual_cost, weekly_groups, courses, seats)
    participants = tariff.participants_per_year

    assert participants == weekly_groups * courses * seats
    assert tariff.price_per_participant == tariff.price_per_participant.quantize(Decimal("0.01"))
    difference = abs(tariff.price_per_participant * participants - annual_cost)
    assert difference <= Decimal("0.005") * participants


@pytest.mark.django_db
def test_the_tariff_page_starts_from_the_programmes_tariffs_and_explains_the_seeds_2908(
    program_a, client_for, coordinator_a
):
    from django.urls import reverse

    program_a.tariffs = [
        {
            "annual_cost": 140000,
            "weekly_groups": 1,
            "courses_per_year": 4,
            "seats_per_course": 12,
            "published_price": 2908,
        },
        {
            "annual_cost": 228000,
            "weekly_groups": 2,
            "courses_per_year": 4,
            "seats_per_course": 12,
            "published_price": 2375,
        },
    ]
    program_a.full_clean()
    program_a.save()
    page = client_for(coordinator_a).get(
        reverse("admin:evaluation_report_tariff", args=[program_a.pk])
    )
    html = page.content.decode()
    assert "Pris pr. deltager: 2.916,67 kr." in html
    assert "Pris pr. deltager: 2.375,00 kr." in html
    assert (
        "Kilden oplyser 2.908 kr. pr. deltager, men 140.000 kr. / 48 deltagere er 2.916,67 kr."
        in html
    )
    # Only the tariff whose published price differs is explained.
    assert "Kilden oplyser 2.375 kr." not in html
    assert 'value="140000' in html or 'value="140.000' in html


@pytest.mark.parametrize(
    "tariffs",
    [
        [
            {
                "annual_cost": 140000,
                "weekly_groups": 0,
                "courses_per_year": 4,
                "seats_per_course": 12,
            }
        ],
        [{"annual_cost": -1, "weekly_groups": 1, "courses_per_year": 4, "seats_per_course": 12}],
        [{"weekly_groups": 1, "courses_per_year": 4, "seats_per_course": 12}],
        {"annual_cost": 140000},
    ],
)
def test_a_programme_refuses_a_tariff_that_makes_no_sense(tariffs):
    from django.core.exceptions import ValidationError

    from groups.models import validate_tariffs

    with pytest.raises(ValidationError, match="Hver takst skal have en årspris"):
        validate_tariffs(tariffs)
