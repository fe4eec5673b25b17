"""The eligibility rule engine: pure functions over rule data and answers, no database."""

import datetime
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participants.eligibility import (
    EligibilityResult,
    Outcome,
    course_rules,
    describe_rules,
    evaluate,
    questions_for,
    validate_rules,
)
from participants.eligibility_questions import Question

ELIGIBLE = Outcome.ELIGIBLE
NOT_ELIGIBLE = Outcome.NOT_ELIGIBLE
NEEDS_CONVERSATION = Outcome.NEEDS_CONVERSATION

START = datetime.date(2027, 1, 12)
START_TEXT = "12.01.2027"

MIN_AGE_18 = {"rule": "min_age", "value": 18}
AGE_13_TO_20 = {"rule": "age_range", "min": 13, "max": 20}
PARENT_OF_8_TO_18 = {"rule": "parent_of_child_in_range", "min": 8, "max": 18}
REDUCED_FUNCTIONING = {"rule": "self_declared", "question": "reduced_mental_functioning"}
UNDER_24_MONTHS = {"rule": "max_months_psychiatric_services", "less_than": 24}
HAAB_MUNICIPALITIES = {"rule": "municipality_in", "codes": ["607", "217", "101"]}

# "Håb og selvbestemmelse i hverdagslivet": the §82 rules plus the three municipalities.
HAAB_RULES = [MIN_AGE_18, REDUCED_FUNCTIONING, UNDER_24_MONTHS, HAAB_MUNICIPALITIES]


def person(**answers):
    """Answers that satisfy every rule above; a test changes only what it is about."""
    return {
        "birth_date": datetime.date(1990, 5, 17),
        "child_birth_date": datetime.date(2015, 3, 2),
        "municipality": "607",
        "reduced_mental_functioning": "yes",
        "psychiatric_services_months": 6,
        "psychiatric_services_months_unknown": False,
    } | answers


def d(year, month, day):
    return datetime.date(year, month, day)


@pytest.mark.parametrize(
    ("rule", "answers", "start", "outcome"),
    [
        # min_age 18, start 12.01.2027
        pytest.param(MIN_AGE_18, person(birth_date=d(2009, 1, 12)), START, ELIGIBLE,
                     id="min-age-18-on-the-start-date"),
        pytest.param(MIN_AGE_18, person(birth_date=d(2009, 1, 13)), START, NOT_ELIGIBLE,
                     id="min-age-18-the-day-after-the-start-date"),
        pytest.param(MIN_AGE_18, person(birth_date=d(1950, 1, 1)), START, ELIGIBLE,
                     id="min-age-well-over"),
        pytest.param(MIN_AGE_18, person(birth_date=None), START, NEEDS_CONVERSATION,
                     id="min-age-birth-date-missing"),
        pytest.param(MIN_AGE_18, {}, START, NEEDS_CONVERSATION,
                     id="min-age-no-answers-at-all"),
        # 29 February: in a non-leap year the birthday is 1 March.
        pytest.param(MIN_AGE_18, person(birth_date=d(2008, 2, 29)), d(2026, 2, 28),
                     NOT_ELIGIBLE, id="leapling-still-17-on-28-february"),
        pytest.param(MIN_AGE_18, person(birth_date=d(2008, 2, 29)), d(2026, 3, 1),
                     ELIGIBLE, id="leapling-18-on-1-march-of-a-common-year"),
        pytest.param({"rule": "min_age", "value": 20}, person(birth_date=d(2008, 2, 29)),
                     d(2028, 2, 29), ELIGIBLE, id="leapling-20-on-29-february-of-a-leap-year"),
        pytest.param({"rule": "min_age", "value": 20}, person(birth_date=d(2008, 2, 29)),
                     d(2028, 2, 28), NOT_ELIGIBLE, id="leapling-19-the-day-before"),
        # age_range 13-20, both ends inclusive
        pytest.param(AGE_13_TO_20, person(birth_date=d(2014, 1, 12)), START, ELIGIBLE,
                     id="age-range-13-on-the-start-date"),
        pytest.param(AGE_13_TO_20, person(birth_date=d(2014, 1, 13)), START, NOT_ELIGIBLE,
                     id="age-range-still-12"),
        pytest.param(AGE_13_TO_20, person(birth_date=d(2006, 1, 13)), START, ELIGIBLE,
                     id="age-range-last-day-of-being-20"),
        pytest.param(AGE_13_TO_20, person(birth_date=d(2006, 1, 12)), START, NOT_ELIGIBLE,
                     id="age-range-21-on-the-start-date"),
        pytest.param(AGE_13_TO_20, person(birth_date=None), START, NEEDS_CONVERSATION,
                     id="age-range-birth-date-missing"),
        # parent of a child 8-18
        pytest.param(PARENT_OF_8_TO_18, person(child_birth_date=d(2019, 1, 12)), START,
                     ELIGIBLE, id="parent-child-turns-8-on-the-start-date"),
        pytest.param(PARENT_OF_8_TO_18, person(child_birth_date=d(2019, 1, 13)), START,
                     NOT_ELIGIBLE, id="parent-child-still-7"),
        pytest.param(PARENT_OF_8_TO_18, person(child_birth_date=d(2008, 1, 13)), START,
                     ELIGIBLE, id="parent-child-18"),
        pytest.param(PARENT_OF_8_TO_18, person(child_birth_date=d(2008, 1, 12)), START,
                     NOT_ELIGIBLE, id="parent-child-19"),
        pytest.param(PARENT_OF_8_TO_18, person(child_birth_date=None), START,
                     NEEDS_CONVERSATION, id="parent-child-birth-date-missing"),
        pytest.param(PARENT_OF_8_TO_18, person(birth_date=None, child_birth_date=d(2015, 6, 1)),
                     START, ELIGIBLE, id="parent-own-birth-date-does-not-matter"),
        # self-declared reduced mental functioning
        pytest.param(REDUCED_FUNCTIONING, person(reduced_mental_functioning="yes"), START,
                     ELIGIBLE, id="self-declared-yes"),
        pytest.param(REDUCED_FUNCTIONING, person(reduced_mental_functioning="no"), START,
                     NOT_ELIGIBLE, id="self-declared-no"),
        pytest.param(REDUCED_FUNCTIONING, person(reduced_mental_functioning="unknown"), START,
                     NEEDS_CONVERSATION, id="self-declared-unknown"),
        pytest.param(REDUCED_FUNCTIONING, person(reduced_mental_functioning=None), START,
                     NEEDS_CONVERSATION, id="self-declared-missing"),
        pytest.param(REDUCED_FUNCTIONING, person(reduced_mental_functioning=""), START,
                     NEEDS_CONVERSATION, id="self-declared-blank"),
        # less than 24 months in psychiatric services
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=23), START, ELIGIBLE,
                     id="months-23"),
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=24), START,
                     NOT_ELIGIBLE, id="months-24"),
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=0), START, ELIGIBLE,
                     id="months-0"),
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=None,
                     psychiatric_services_months_unknown=True), START, NEEDS_CONVERSATION,
                     id="months-ved-ikke-ticked"),
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=None), START,
                     NEEDS_CONVERSATION, id="months-missing"),
        pytest.param(UNDER_24_MONTHS, person(psychiatric_services_months=30,
                     psychiatric_services_months_unknown=True), START, NOT_ELIGIBLE,
                     id="months-a-number-decides-even-with-ved-ikke-ticked"),
        # municipality
        pytest.param(HAAB_MUNICIPALITIES, person(municipality="607"), START, ELIGIBLE,
                     id="municipality-fredericia-served"),
        pytest.param(HAAB_MUNICIPALITIES, person(municipality="101"), START, ELIGIBLE,
                     id="municipality-københavn-served"),
        pytest.param(HAAB_MUNICIPALITIES, person(municipality="350"), START, NOT_ELIGIBLE,
                     id="municipality-lejre-not-served"),
        pytest.param(HAAB_MUNICIPALITIES, person(municipality="999"), START, NOT_ELIGIBLE,
                     id="municipality-unknown-code"),
        pytest.param(HAAB_MUNICIPALITIES, person(municipality=None), START,
                     NEEDS_CONVERSATION, id="municipality-missing"),
        pytest.param(HAAB_MUNICIPALITIES, person(municipality=""), START,
                     NEEDS_CONVERSATION, id="municipality-blank"),
    ],
)  # fmt: skip
def test_a_single_rule_decides(rule, answers, start, outcome):
    result = evaluate([rule], answers, course_start=start)

    assert result.outcome is outcome
    assert bool(result.reasons) is (outcome is NOT_ELIGIBLE)
    assert bool(result.open_questions) is (outcome is NEEDS_CONVERSATION)


@pytest.mark.parametrize(
    ("rule", "answers", "reason"),
    [
        pytest.param(
            MIN_AGE_18,
            person(birth_date=d(2009, 1, 13)),
            f"Forløbet er for personer på mindst 18 år på startdagen {START_TEXT}.",
            id="min-age",
        ),
        pytest.param(
            AGE_13_TO_20,
            person(birth_date=d(2014, 1, 13)),
            f"Forløbet er for personer mellem 13 og 20 år på startdagen {START_TEXT}.",
            id="age-range",
        ),
        pytest.param(
            PARENT_OF_8_TO_18,
            person(child_birth_date=d(2020, 1, 1)),
            f"Forløbet er for forældre til børn mellem 8 og 18 år på startdagen {START_TEXT}.",
            id="parent",
        ),
        pytest.param(
            REDUCED_FUNCTIONING,
            person(reduced_mental_functioning="no"),
            "Forløbet er for personer, der oplever nedsat psykisk funktionsevne "
            "eller psykisk sårbarhed.",
            id="self-declared",
        ),
        pytest.param(
            UNDER_24_MONTHS,
            person(psychiatric_services_months=24),
            "Forløbet er for personer, der i alt har været tilknyttet social- og "
            "behandlingspsykiatrien i mindre end 24 måneder.",
            id="months",
        ),
        pytest.param(
            HAAB_MUNICIPALITIES,
            person(municipality="350"),
            "Forløbet er for borgere, der bor i en af disse kommuner: "
            "Fredericia, Helsingør og København.",
            id="municipality-not-served",
        ),
        pytest.param(
            HAAB_MUNICIPALITIES,
            person(municipality="999"),
            "Forløbet er for borgere, der bor i en af disse kommuner: "
            "Fredericia, Helsingør og København.",
            id="municipality-unknown-code",
        ),
        pytest.param(
            {"rule": "municipality_in", "codes": ["607"]},
            person(municipality="101"),
            "Forløbet er for borgere, der bor i denne kommune: Fredericia.",
            id="one-municipality",
        ),
    ],
)
def test_a_failed_rule_says_why_in_plain_danish(rule, answers, reason):
    result = evaluate([rule], answers, course_start=START)

    assert result.outcome is NOT_ELIGIBLE
    assert result.reasons == (reason,)


@pytest.mark.parametrize(
    ("answers", "open_question"),
    [
        pytest.param(person(birth_date=None), "Fødselsdato: ikke besvaret.", id="birth-date"),
        pytest.param(
            person(reduced_mental_functioning="unknown"),
            "Nedsat psykisk funktionsevne eller psykisk sårbarhed: svaret er »ved ikke«.",
            id="self-declared-ved-ikke",
        ),
        pytest.param(
            person(reduced_mental_functioning=None),
            "Nedsat psykisk funktionsevne eller psykisk sårbarhed: ikke besvaret.",
            id="self-declared-missing",
        ),
        pytest.param(
            person(psychiatric_services_months=None, psychiatric_services_months_unknown=True),
            "Måneder i social- og behandlingspsykiatrien: svaret er »ved ikke«.",
            id="months-ved-ikke",
        ),
        pytest.param(person(municipality=None), "Bopælskommune: ikke besvaret.", id="municipality"),
    ],
)
def test_an_open_answer_names_what_the_conversation_is_about(answers, open_question):
    result = evaluate(HAAB_RULES, answers, course_start=START)

    assert result == EligibilityResult(NEEDS_CONVERSATION, open_questions=(open_question,))


def test_the_haab_rules_accept_an_eligible_person():
    result = evaluate(HAAB_RULES, person(), course_start=START)

    assert result == EligibilityResult(ELIGIBLE, reasons=(), open_questions=())


def test_several_failures_list_every_reason_in_rule_order():
    answers = person(
        birth_date=d(2010, 1, 1),
        reduced_mental_functioning="no",
        psychiatric_services_months=36,
        municipality="350",
    )

    result = evaluate(HAAB_RULES, answers, course_start=START)

    assert result.outcome is NOT_ELIGIBLE
    assert len(result.reasons) == 4
    assert "mindst 18 år" in result.reasons[0]
    assert "psykisk sårbarhed" in result.reasons[1]
    assert "mindre end 24 måneder" in result.reasons[2]
    assert "Fredericia, Helsingør og København" in result.reasons[3]


def test_a_failure_outweighs_an_unknown_answer():
    answers = person(
        psychiatric_services_months=24,
        reduced_mental_functioning="unknown",
        municipality=None,
    )

    result = evaluate(HAAB_RULES, answers, course_start=START)

    assert result.outcome is NOT_ELIGIBLE
    assert len(result.reasons) == 1 and "24 måneder" in result.reasons[0]
    assert result.open_questions == ()


def test_every_open_answer_is_listed_once():
    rules = [MIN_AGE_18, AGE_13_TO_20, *HAAB_RULES]
    answers = person(birth_date=None, reduced_mental_functioning="unknown")

    result = evaluate(rules, answers, course_start=START)

    assert result.open_questions == (
        "Fødselsdato: ikke besvaret.",
        "Nedsat psykisk funktionsevne eller psykisk sårbarhed: svaret er »ved ikke«.",
    )


def test_no_rules_means_everyone_is_eligible():
    assert evaluate([], {}, course_start=START).outcome is ELIGIBLE


@given(months=st.integers(min_value=0, max_value=600))
def test_the_24_month_limit_is_strict_for_any_number_of_months(months):
    result = evaluate(HAAB_RULES, person(psychiatric_services_months=months), course_start=START)

    assert (result.outcome is ELIGIBLE) == (months < 24)
    assert result.outcome in {ELIGIBLE, NOT_ELIGIBLE}


def test_as_dict_round_trips_through_json():
    result = evaluate(
        HAAB_RULES, person(reduced_mental_functioning="no", municipality="999"), course_start=START
    )

    stored = json.loads(json.dumps(result.as_dict()))

    assert stored == result.as_dict()
    assert stored["outcome"] == "not_eligible"
    assert stored["reasons"] == list(result.reasons) and len(stored["reasons"]) == 2
    assert stored["open_questions"] == []


def test_outcomes_are_plain_strings():
    assert [str(outcome) for outcome in Outcome] == [
        "eligible",
        "not_eligible",
        "needs_conversation",
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        pytest.param([{"rule": "max_age", "value": 30}], "ukendt regeltype »max_age«", id="type"),
        pytest.param(
            [REDUCED_FUNCTIONING, {"rule": "min_age"}], "Regel 2 (min_age)", id="malformed"
        ),
    ],
)
def test_evaluate_refuses_rules_it_does_not_understand(rules, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        evaluate(rules, person(), course_start=START)


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        pytest.param(person(reduced_mental_functioning="maybe"), "reduced", id="yes-no-unknown"),
        pytest.param(person(psychiatric_services_months=-1), "months", id="negative-months"),
        pytest.param(person(psychiatric_services_months="12"), "months", id="months-as-text"),
        pytest.param(person(birth_date="1990-05-17"), "birth_date", id="birth-date-as-text"),
    ],
)
def test_evaluate_refuses_answers_a_form_cannot_give(answers, key):
    with pytest.raises(ValueError, match=key):
        evaluate(HAAB_RULES, answers, course_start=START)


def test_questions_for_the_haab_rules():
    assert questions_for(HAAB_RULES) == [
        Question(
            key="reduced_mental_functioning",
            label="Har du det svært psykisk, så det går ud over din hverdag?",
            kind="yes_no_unknown",
            help_text=(
                "Det kan fx være angst, tristhed, uro eller at du let bliver overvældet. "
                "Du behøver ikke at have en diagnose."
            ),
        ),
        Question(
            key="psychiatric_services_months",
            label="Hvor mange måneder har du i alt været tilknyttet psykiatrien?",
            kind="months_or_unknown",
            help_text=(
                "Læg tiden i socialpsykiatrien (fx bostøtte eller værested) og i "
                "behandlingspsykiatrien (fx ambulant behandling eller indlæggelse) sammen. "
                "Vælg »ved ikke«, hvis du ikke er sikker."
            ),
        ),
    ]


@pytest.mark.parametrize(
    ("rules", "keys"),
    [
        pytest.param([], [], id="no-rules"),
        pytest.param([MIN_AGE_18, HAAB_MUNICIPALITIES], [], id="form-asks-these-itself"),
        pytest.param([PARENT_OF_8_TO_18], ["child_birth_date"], id="parent"),
        pytest.param(
            [UNDER_24_MONTHS, REDUCED_FUNCTIONING, REDUCED_FUNCTIONING, PARENT_OF_8_TO_18],
            ["child_birth_date", "reduced_mental_functioning", "psychiatric_services_months"],
            id="deduplicated-in-a-fixed-order",
        ),
    ],
)
def test_questions_for_asks_only_what_the_rules_need(rules, keys):
    questions = questions_for(rules)

    assert [question.key for question in questions] == keys
    assert all(question.label for question in questions)


def test_questions_for_a_parent_rule_asks_the_childs_birth_date():
    (question,) = questions_for([PARENT_OF_8_TO_18])

    assert question.kind == "child_birth_date"
    assert question.label == "Hvornår er dit barn født?"


def test_questions_for_refuses_malformed_rules():
    with pytest.raises(ValueError, match="ukendt regeltype"):
        questions_for([{"rule": "shoe_size", "value": 42}])


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param([], id="empty"),
        pytest.param(HAAB_RULES, id="haab"),
        pytest.param([AGE_13_TO_20], id="youth"),
        pytest.param([PARENT_OF_8_TO_18], id="parents"),
        pytest.param([{"rule": "age_range", "min": 18, "max": 18}], id="min-equals-max"),
    ],
)
def test_validate_rules_accepts_good_rules(rules):
    assert validate_rules(rules) == []


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        pytest.param(
            {"rule": "min_age", "value": 18},
            "Optagelseskriterierne skal være en liste af regler.",
            id="not-a-list",
        ),
        pytest.param(None, "Optagelseskriterierne skal være en liste af regler.", id="none"),
        pytest.param(
            ["min_age"], 'Regel 1 skal være et objekt med nøglen "rule".', id="rule-not-a-dict"
        ),
        pytest.param(
            [{"value": 18}], 'Regel 1 skal være et objekt med nøglen "rule".', id="no-rule-key"
        ),
        pytest.param(
            [{"rule": "max_age", "value": 30}],
            "Regel 1: ukendt regeltype »max_age«.",
            id="unknown-rule-type",
        ),
        pytest.param(
            [MIN_AGE_18, {"rule": "min_age"}],
            "Regel 2 (min_age): mangler »value«.",
            id="missing-parameter",
        ),
        pytest.param(
            [{"rule": "min_age", "value": "18"}],
            "Regel 1 (min_age): »value« skal være et helt antal år fra 0 til 150.",
            id="age-as-text",
        ),
        pytest.param(
            [{"rule": "min_age", "value": 17.5}],
            "Regel 1 (min_age): »value« skal være et helt antal år fra 0 til 150.",
            id="age-as-float",
        ),
        pytest.param(
            [{"rule": "min_age", "value": True}],
            "Regel 1 (min_age): »value« skal være et helt antal år fra 0 til 150.",
            id="age-as-bool",
        ),
        pytest.param(
            [{"rule": "age_range", "min": -1, "max": 20}],
            "Regel 1 (age_range): »min« skal være et helt antal år fra 0 til 150.",
            id="negative-age",
        ),
        pytest.param(
            [{"rule": "age_range", "min": 20, "max": 13}],
            "Regel 1 (age_range): »min« må ikke være større end »max«.",
            id="age-range-min-over-max",
        ),
        pytest.param(
            [{"rule": "parent_of_child_in_range", "min": 18, "max": 8}],
            "Regel 1 (parent_of_child_in_range): »min« må ikke være større end »max«.",
            id="parent-min-over-max",
        ),
        pytest.param(
            [{"rule": "min_age", "value": 18, "max": 20}],
            "Regel 1 (min_age): ukendt parameter »max«.",
            id="unknown-parameter",
        ),
        pytest.param(
            [{"rule": "self_declared", "question": "is_lonely"}],
            "Regel 1 (self_declared): »question« skal være et af disse spørgsmål: "
            "reduced_mental_functioning.",
            id="unknown-self-declared-question",
        ),
        pytest.param(
            [{"rule": "max_months_psychiatric_services", "less_than": 0}],
            "Regel 1 (max_months_psychiatric_services): »less_than« skal være et helt antal "
            "måneder, mindst 1.",
            id="zero-month-limit",
        ),
        pytest.param(
            [{"rule": "municipality_in", "codes": ["607", "999", "411"]}],
            "Regel 1 (municipality_in): »codes« indeholder ukendte kommunekoder: 999, 411.",
            id="unknown-municipality-code",
        ),
        pytest.param(
            [{"rule": "municipality_in", "codes": [607]}],
            "Regel 1 (municipality_in): »codes« indeholder ukendte kommunekoder: 607.",
            id="municipality-code-as-int",
        ),
        pytest.param(
            [{"rule": "municipality_in", "codes": []}],
            "Regel 1 (municipality_in): »codes« skal være en liste med mindst én kommunekode.",
            id="no-municipalities",
        ),
        pytest.param(
            [{"rule": "municipality_in", "codes": "607"}],
            "Regel 1 (municipality_in): »codes« skal være en liste med mindst én kommunekode.",
            id="codes-not-a-list",
        ),
    ],
)
def test_validate_rules_explains_what_is_wrong(rules, message):
    assert validate_rules(rules) == [message]


def test_validate_rules_reports_every_problem():
    rules = [
        {"rule": "age_range", "min": 20},
        {"rule": "unknown"},
        MIN_AGE_18,
        {"rule": "municipality_in", "codes": ["999"], "extra": 1},
    ]

    assert validate_rules(rules) == [
        "Regel 1 (age_range): mangler »max«.",
        "Regel 2: ukendt regeltype »unknown«.",
        "Regel 4 (municipality_in): ukendt parameter »extra«.",
        "Regel 4 (municipality_in): »codes« indeholder ukendte kommunekoder: 999.",
    ]


# A course's own age range narrows the programme's age rule; the course page states each rule.


def course(min_age=None, max_age=None):
    from types import SimpleNamespace

    return SimpleNamespace(min_age=min_age, max_age=max_age, first_date=START)


AGE_8_TO_18 = {"rule": "age_range", "min": 8, "max": 18}


@pytest.mark.parametrize(
    ("rules", "on_course", "expected"),
    [
        pytest.param([AGE_8_TO_18], course(), [AGE_8_TO_18], id="no-course-range"),
        pytest.param(
            [AGE_8_TO_18],
            course(8, 12),
            [{"rule": "age_range", "min": 8, "max": 12}],
            id="children-8-12-in-8-18",
        ),
        pytest.param(
            [PARENT_OF_8_TO_18, REDUCED_FUNCTIONING],
            course(13, None),
            [{"rule": "parent_of_child_in_range", "min": 13, "max": 18}, REDUCED_FUNCTIONING],
            id="parent-group-narrows-the-child-range",
        ),
        pytest.param(
            [MIN_AGE_18],
            course(None, 30),
            [{"rule": "age_range", "min": 18, "max": 30}],
            id="min-age-gets-an-upper-limit",
        ),
        pytest.param(
            [MIN_AGE_18], course(25, None), [{"rule": "min_age", "value": 25}], id="min-age-raised"
        ),
        pytest.param(
            [REDUCED_FUNCTIONING],
            course(8, 12),
            [REDUCED_FUNCTIONING, {"rule": "age_range", "min": 8, "max": 12}],
            id="no-age-rule-gets-one",
        ),
        pytest.param(
            [AGE_8_TO_18],
            course(20, 25),
            [{"rule": "age_range", "min": 20, "max": 25}],
            id="no-overlap-the-course-decides",
        ),
    ],
)
def test_a_course_age_range_narrows_the_programme_age_rule(rules, on_course, expected):
    assert course_rules(rules, course=on_course) == expected


@pytest.mark.parametrize(
    ("age", "outcome"),
    [(7, NOT_ELIGIBLE), (8, ELIGIBLE), (12, ELIGIBLE), (13, NOT_ELIGIBLE), (16, NOT_ELIGIBLE)],
)
def test_an_8_to_12_course_in_an_8_to_18_programme_decides_at_its_edges(age, outcome):
    rules = course_rules([AGE_8_TO_18], course=course(8, 12))
    result = evaluate(rules, person(birth_date=d(2027 - age, 1, 12)), course_start=START)
    assert result.outcome == outcome
    if outcome == NOT_ELIGIBLE:
        assert result.reasons == (
            f"Forløbet er for personer mellem 8 og 12 år på startdagen {START_TEXT}.",
        )


def test_describe_rules_states_every_rule_in_the_words_of_a_refusal():
    assert describe_rules(HAAB_RULES, course=course()) == [
        f"Forløbet er for personer på mindst 18 år på startdagen {START_TEXT}.",
        "Forløbet er for personer, der oplever nedsat psykisk funktionsevne eller psykisk "
        "sårbarhed.",
        "Forløbet er for personer, der i alt har været tilknyttet social- og "
        "behandlingspsykiatrien i mindre end 24 måneder.",
        "Forløbet er for borgere, der bor i en af disse kommuner: Fredericia, Helsingør og "
        "København.",
    ]
    refused = evaluate(
        HAAB_RULES,
        person(
            birth_date=d(2010, 1, 1),
            reduced_mental_functioning="no",
            psychiatric_services_months=24,
            municipality="350",
        ),
        course_start=START,
    )
    assert list(refused.reasons) == describe_rules(HAAB_RULES, course=course())


def test_describe_rules_names_one_municipality_and_the_course_ages():
    rules = [AGE_8_TO_18, {"rule": "municipality_in", "codes": ["350"]}]
    assert describe_rules(rules, course=course(8, 12)) == [
        f"Forløbet er for personer mellem 8 og 12 år på startdagen {START_TEXT}.",
        "Forløbet er for borgere, der bor i denne kommune: Lejre.",
    ]
