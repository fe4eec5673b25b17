"""The shipped templates: WHO-5 word for word, our CHIME questions, and the data migration."""

import re
from pathlib import Path

import pytest

from evaluation import instruments
from evaluation.instruments import CHIME, CHIME_NAME, WHO5, WHO5_NAME, install_templates
from evaluation.models import Item, Questionnaire

WHO5_MD = Path(__file__).resolve().parents[3] / "shared" / "instruments" / "who5-da.md"

EXPECTED_WHO5_ITEMS = [
    "I de sidste 2 uger har jeg været glad og i godt humør",
    "I de sidste 2 uger har jeg følt mig rolig og afslappet",
    "I de sidste 2 uger har jeg følt mig aktiv og energisk",
    "I de sidste 2 uger er jeg vågnet frisk og udhvilet",
    "I de sidste 2 uger har min dagligdag været fyldt med ting der interesserer mig",
]
EXPECTED_WHO5_OPTIONS = [
    (5, "Hele tiden"),
    (4, "Det meste af tiden"),
    (3, "Lidt mere end halvdelen af tiden"),
    (2, "Lidt mindre end halvdelen af tiden"),
    (1, "Lidt af tiden"),
    (0, "På intet tidspunkt"),
]
CHIME_DOMAINS = {"connectedness", "hope", "identity", "meaning", "empowerment"}

ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$")


def parse_md_tables(text: str) -> dict[str, list[tuple[int, str]]]:
    """The numbered rows of each table in the md file, keyed by the table's second header."""
    tables: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in text.splitlines():
        header = re.match(r"^\|\s*(?:#|score)\s*\|\s*(.+?)\s*\|\s*$", line)
        if header:
            current = tables.setdefault(header.group(1), [])
            continue
        row = ROW.match(line)
        if row and current is not None:
            current.append((int(row.group(1)), row.group(2)))
        elif not line.startswith("|"):
            current = None
    return tables


def who5_items():
    return [(item["number"], item["text"]) for item in WHO5["items"]]


def who5_options():
    return [(option["score"], option["label"]) for option in WHO5["scale"]]


def test_who5_items_and_options_are_the_expected_danish_wording():
    assert who5_items() == list(enumerate(EXPECTED_WHO5_ITEMS, start=1))
    assert who5_options() == EXPECTED_WHO5_OPTIONS


def test_who5_items_and_options_equal_the_instrument_file_character_for_character():
    if not WHO5_MD.exists():
        pytest.skip(f"{WHO5_MD} is not beside this checkout")
    tables = parse_md_tables(WHO5_MD.read_text(encoding="utf-8"))

    assert tables["item (da)"] == who5_items()
    assert tables["option (da)"] == who5_options()
    # The parser read the whole tables, so the literals above are checked against it too.
    assert [text for _n, text in tables["item (da)"]] == EXPECTED_WHO5_ITEMS
    assert tables["option (da)"] == EXPECTED_WHO5_OPTIONS


def test_who5_is_a_locked_scale_only_instrument_with_its_attribution():
    assert WHO5["name"] == "WHO-5 Trivselsindeks"
    assert WHO5["locked"] is True
    assert WHO5["scoring"] == "who5"
    assert "2 uger" in WHO5["intro"]
    assert all(instruments.item_fields(item)["kind"] == "scale" for item in WHO5["items"])
    assert not any(instruments.item_fields(item)["reverse_scored"] for item in WHO5["items"])
    for fact in (
        "Psykiatrisk Forskningsenhed",
        "Psykiatrisk Center Nordsjælland",
        "Hillerød",
        "WHO",
        "uændret",
        "ikke-kommercielle",
        "CC BY-NC-SA 3.0 IGO",
        "2024",
        "Kommunernes Landsforening (KL)",
    ):
        assert fact in WHO5["attribution"]


def test_chime_covers_every_domain_and_has_a_reverse_scored_item():
    items = [instruments.item_fields(item) for item in CHIME["items"]]
    scale_items = [item for item in items if item["kind"] == "scale"]

    assert {item["domain"] for item in scale_items} == CHIME_DOMAINS
    assert any(item["reverse_scored"] for item in scale_items)
    reversed_item = next(item for item in scale_items if item["reverse_scored"])
    assert reversed_item["domain"] == "connectedness"
    assert len(scale_items) == 8


def test_chime_is_an_editable_mean_scored_template_with_one_free_text_item():
    assert CHIME["locked"] is False
    assert CHIME["scoring"] == "mean"
    assert CHIME["phase"] == "both"
    assert [option["score"] for option in CHIME["scale"]] == [4, 3, 2, 1, 0]
    assert CHIME["scale"][0]["label"] == "I meget høj grad"
    assert CHIME["scale"][-1]["label"] == "Slet ikke"
    text_items = [item for item in CHIME["items"] if item.get("kind") == "text"]
    assert len(text_items) == 1
    assert "Skriv ikke navne" in text_items[0]["text"]
    assert not text_items[0].get("domain")


@pytest.mark.parametrize("template", [WHO5, CHIME], ids=["who5", "chime"])
def test_item_numbers_run_from_one_without_gaps(template):
    numbers = [item["number"] for item in template["items"]]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.django_db
def test_the_data_migration_installed_the_locked_who5_template():
    who5 = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)

    assert who5.locked
    assert who5.is_template
    assert who5.scoring == Questionnaire.Scoring.WHO5
    assert who5.scale == WHO5["scale"]
    assert who5.attribution == WHO5["attribution"]
    assert list(who5.items.values_list("number", "text", "kind")) == [
        (number, text, "scale") for number, text in enumerate(EXPECTED_WHO5_ITEMS, start=1)
    ]


@pytest.mark.django_db
def test_the_data_migration_installed_the_chime_template():
    chime = Questionnaire.objects.get(name=CHIME_NAME, organisation=None)

    assert not chime.locked
    assert chime.scoring == Questionnaire.Scoring.MEAN
    assert chime in Questionnaire.objects.for_phase("before")
    assert chime in Questionnaire.objects.for_phase("after")
    assert chime.items.count() == len(CHIME["items"])
    assert set(chime.items.filter(kind="scale").values_list("domain", flat=True)) == (CHIME_DOMAINS)
    assert chime.items.filter(reverse_scored=True, domain="connectedness").exists()
    assert chime.items.filter(kind="text").count() == 1


@pytest.mark.django_db
def test_installing_the_templates_again_changes_nothing():
    before = (Questionnaire.objects.count(), Item.objects.count())

    returned = install_templates(Questionnaire, Item)

    assert [q.name for q in returned] == [WHO5_NAME, CHIME_NAME]
    assert (Questionnaire.objects.count(), Item.objects.count()) == before


@pytest.mark.django_db
def test_an_organisations_copy_of_the_same_name_is_not_taken_for_the_template(org_a):
    Questionnaire.objects.filter(organisation=None).delete()
    Questionnaire.objects.create(name=WHO5_NAME, organisation=org_a, locked=True)

    install_templates(Questionnaire, Item)

    assert Questionnaire.objects.filter(name=WHO5_NAME).count() == 2
    assert Questionnaire.objects.get(name=WHO5_NAME, organisation=None).items.count() == 5
