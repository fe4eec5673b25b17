import pytest

from peerprogram.municipalities import (
    MUNICIPALITIES,
    MUNICIPALITY_CHOICES,
    is_municipality,
    municipality_code_for,
    municipality_name,
)


def test_there_are_exactly_98_municipalities():
    assert len(MUNICIPALITIES) == 98


def test_every_code_has_three_digits_between_101_and_860():
    assert all(len(code) == 3 and code.isdigit() for code in MUNICIPALITIES)
    assert min(MUNICIPALITIES) == "101" and max(MUNICIPALITIES) == "860"


def test_names_are_unique_and_carry_no_kommune_suffix():
    names = list(MUNICIPALITIES.values())
    assert len(set(names)) == len(names)
    assert not [name for name in names if "kommune" in name.casefold()]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("101", "København"),
        ("147", "Frederiksberg"),
        ("217", "Helsingør"),
        ("219", "Hillerød"),
        ("350", "Lejre"),
        ("607", "Fredericia"),
        ("492", "Ærø"),
        ("580", "Aabenraa"),
        ("400", "Bornholm"),
        ("860", "Hjørring"),
    ],
    ids=lambda value: value,
)
def test_municipality_name_looks_up_the_official_name(code, name):
    assert municipality_name(code) == name


def test_municipality_name_raises_key_error_for_an_unknown_code():
    with pytest.raises(KeyError):
        municipality_name("999")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("607", True, id="fredericia"),
        pytest.param("411", False, id="christiansø-is-not-a-municipality"),
        pytest.param("999", False, id="unknown"),
        pytest.param("0607", False, id="four-digits"),
        pytest.param(607, False, id="an-int-is-not-a-code"),
        pytest.param(None, False, id="none"),
    ],
)
def test_is_municipality(code, expected):
    assert is_municipality(code) is expected


def test_choices_hold_every_municipality_once():
    assert dict(MUNICIPALITY_CHOICES) == MUNICIPALITIES
    assert len(MUNICIPALITY_CHOICES) == 98


def test_choices_are_in_danish_alphabetical_order():
    names = [name for _code, name in MUNICIPALITY_CHOICES]
    assert names[0] == "Albertslund"
    assert names.index("Vordingborg") < names.index("Ærø")
    # "Aa" sorts as "Å", the last letter: Aabenraa, Aalborg and Aarhus close the list.
    assert names[-4:] == ["Ærø", "Aabenraa", "Aalborg", "Aarhus"]
    assert names.index("Faxe") < names.index("Faaborg-Midtfyn") < names.index("Gentofte")
    assert names.index("Køge") < names.index("Langeland")
    assert names.index("Næstved") < names.index("Odder")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Lejre", "350"),
        ("  lejre  ", "350"),
        ("Lejre Kommune", "350"),
        ("Københavns Kommune", "101"),
        ("Hoeje Taastrup", "169"),
        ("høje-taastrup", "169"),
        ("Aabenraa", "580"),
        ("Åbenrå", "580"),
        ("Nordfyns Kommune", "480"),
        ("607", "607"),
        ("Allerslev", None),
        ("", None),
        ("999", None),
    ],
)
def test_a_municipality_written_by_name_is_found_by_its_code(written, code):
    assert municipality_code_for(written) == code
