"""Who may join a course: a programme's eligibility rules, checked against a citizen's answers.

Pure functions over plain data, so views, admin and tasks can share them and the tests need
no database. A programme stores its rules in `Program.eligibility_rules` as a list of dicts:

    {"rule": "min_age", "value": 18}
    {"rule": "age_range", "min": 13, "max": 20}
    {"rule": "parent_of_child_in_range", "min": 8, "max": 18}
    {"rule": "self_declared", "question": "reduced_mental_functioning"}
    {"rule": "max_months_psychiatric_services", "less_than": 24}
    {"rule": "municipality_in", "codes": ["607", "217", "101"]}

The answers are a dict with the keys `birth_date` and `child_birth_date` (dates),
`municipality` (a three-digit code), `reduced_mental_functioning` ("yes", "no" or
"unknown"), `psychiatric_services_months` (a whole number) and
`psychiatric_services_months_unknown` (True when the person ticked "ved ikke"). A key that is
absent, None or an empty string counts as not answered.

`evaluate` gives one of three outcomes. Any failed rule makes the person not eligible, with
every failed rule's reason, even when other answers are unknown. Otherwise an answer that is
"ved ikke" or missing means a coordinator must talk with the person. Otherwise they are
eligible. Numbers decide strictly: with "less_than": 24, 23 months pass and 24 do not, and a
number decides even if "ved ikke" was also ticked.

A course may narrow the programme's ages: `course_rules` gives the rules that apply to one
course, and `describe_rules` states each of them in a Danish sentence for the course page,
the same sentence a refusal gives as its reason.

Ages are whole years on the course's start date: someone turning 18 on the start date is
18 that day. A person born on 29 February has their birthday on 1 March in other years.
"""

import datetime
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.eligibility_questions import SELF_DECLARED, Question, all_questions
from peerprogram.municipalities import danish_sort_key, is_municipality, municipality_name

MAX_AGE = 150

Rule = Mapping[str, Any]
Answers = Mapping[str, Any]


class Outcome(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_CONVERSATION = "needs_conversation"


@dataclass(frozen=True)
class EligibilityResult:
    outcome: Outcome
    reasons: tuple[str, ...] = ()
    """Why the person is not eligible: one sentence per failed rule, in plain Danish."""
    open_questions: tuple[str, ...] = ()
    """The answers that were "ved ikke" or missing, for the coordinator's conversation."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, to store the result as it was given."""
        return {
            "outcome": str(self.outcome),
            "reasons": list(self.reasons),
            "open_questions": list(self.open_questions),
        }


def evaluate(
    rules: list[dict], answers: Answers, *, course_start: datetime.date
) -> EligibilityResult:
    """Check the answers against every rule; a ValueError if the rules are malformed."""
    _require_valid(rules)
    reasons: list[str] = []
    open_questions: list[str] = []
    for rule in rules:
        verdict = _RULE_TYPES[rule["rule"]].check(rule, answers, course_start)
        if verdict.reason and verdict.reason not in reasons:
            reasons.append(verdict.reason)
        if verdict.open_question and verdict.open_question not in open_questions:
            open_questions.append(verdict.open_question)

    if reasons:
        return EligibilityResult(Outcome.NOT_ELIGIBLE, reasons=tuple(reasons))
    if open_questions:
        return EligibilityResult(Outcome.NEEDS_CONVERSATION, open_questions=tuple(open_questions))
    return EligibilityResult(Outcome.ELIGIBLE)


def course_rules(rules: list[dict], *, course: Any) -> list[dict]:
    """The programme's rules as they apply to one course.

    A course may narrow the programme's ages (`course.min_age`, `course.max_age`, e.g.
    "Børn 8–12 år" in an 8–18 programme): the narrower range replaces the age in the
    programme's age rule — the person's own age (min_age, age_range), or the child's for a
    parent group (parent_of_child_in_range). A programme without an age rule gets one for the
    person. Should the two ranges not overlap (data set inconsistently), the course's range
    decides, since it is the more specific.
    """
    low, high = course.min_age, course.max_age
    if low is None and high is None:
        return list(rules)
    narrowed = [
        _narrowed(rule, low, high) if rule["rule"] in _AGE_RULES else rule for rule in rules
    ]
    if not any(rule["rule"] in _AGE_RULES for rule in rules):
        narrowed.append(
            {"rule": "age_range", "min": low or 0, "max": MAX_AGE if high is None else high}
        )
    return narrowed


def describe_rules(rules: list[dict], *, course: Any) -> list[str]:
    """Every rule that registration for `course` checks, one Danish sentence each, in the
    words a refusal would use; the course page shows them before the form."""
    applied = course_rules(rules, course=course)
    _require_valid(applied)
    sentences: list[str] = []
    for rule in applied:
        sentence = _RULE_TYPES[rule["rule"]].describe(rule, course.first_date)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def questions_for(rules: list[dict]) -> list[Question]:
    """The rule-specific questions, each once, in a fixed order.

    Birth date and municipality are not included: the registration form always asks them.
    """
    _require_valid(rules)
    wanted = {_RULE_TYPES[rule["rule"]].asks(rule) for rule in rules}
    return [question for question in all_questions() if question.key in wanted]


def validate_rules(rules: object) -> list[str]:
    """Danish messages for everything wrong with the rule data; empty when it is fine."""
    if not isinstance(rules, list):
        return [_("Optagelseskriterierne skal være en liste af regler.")]
    errors: list[str] = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("rule"), str):
            errors.append(
                _('Regel %(number)s skal være et objekt med nøglen "rule".') % {"number": number}
            )
            continue
        rule_type = _RULE_TYPES.get(rule["rule"])
        if rule_type is None:
            errors.append(
                _("Regel %(number)s: ukendt regeltype »%(rule)s«.")
                % {"number": number, "rule": rule["rule"]}
            )
            continue
        errors.extend(_parameter_errors(number, rule, rule_type))
    return errors


_AGE_RULES = {"min_age", "age_range", "parent_of_child_in_range"}


def _narrowed(rule: Rule, low: int | None, high: int | None) -> dict:
    if rule["rule"] == "min_age":
        rule_low, rule_high = rule["value"], None
    else:
        rule_low, rule_high = rule["min"], rule["max"]
    new_low = rule_low if low is None else max(rule_low, low)
    new_high = high if rule_high is None else (rule_high if high is None else min(rule_high, high))
    if new_high is not None and new_low > new_high:
        new_low, new_high = low if low is not None else 0, high
    if new_high is None:
        return {"rule": "min_age", "value": new_low}
    kind = "age_range" if rule["rule"] == "min_age" else rule["rule"]
    return {"rule": kind, "min": new_low, "max": new_high}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`; a 29 February birthday is 1 March in other years."""
    try:
        birthday = birth_date.replace(year=day.year)
    except ValueError:
        birthday = datetime.date(day.year, 3, 1)
    return day.year - birth_date.year - (day < birthday)


# --- Verdicts of a single rule ---------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    reason: str = ""  # set when the rule fails
    open_question: str = ""  # set when the answer it needs is "ved ikke" or missing


_PASSED = _Verdict()


def _not_answered(topic: str) -> _Verdict:
    return _Verdict(open_question=_("%(topic)s: ikke besvaret.") % {"topic": topic})


def _answered_unknown(topic: str) -> _Verdict:
    return _Verdict(open_question=_("%(topic)s: svaret er »ved ikke«.") % {"topic": topic})


def _answer(answers: Answers, key: str) -> Any:
    value = answers.get(key)
    return None if value == "" else value


def _date_answer(answers: Answers, key: str) -> datetime.date | None:
    value = _answer(answers, key)
    if value is not None and not isinstance(value, datetime.date):
        raise ValueError(f"{key} must be a date or None, not {value!r}")
    return value


def _start(course_start: datetime.date) -> str:
    return date_format(course_start, "SHORT_DATE_FORMAT")


# --- One function per rule type -------------------------------------------------------------


# Each rule type's sentence says what the rule asks. The course page lists them before the
# form, and a refusal gives the same sentence as its reason.


def _describe_min_age(rule: Rule, course_start: datetime.date) -> str:
    return _("Forløbet er for personer på mindst %(min)s år på startdagen %(start)s.") % {
        "min": rule["value"],
        "start": _start(course_start),
    }


def _describe_age_range(rule: Rule, course_start: datetime.date) -> str:
    return _("Forløbet er for personer mellem %(min)s og %(max)s år på startdagen %(start)s.") % {
        "min": rule["min"],
        "max": rule["max"],
        "start": _start(course_start),
    }


def _describe_parent_of_child_in_range(rule: Rule, course_start: datetime.date) -> str:
    return _(
        "Forløbet er for forældre til børn mellem %(min)s og %(max)s år på startdagen %(start)s."
    ) % {"min": rule["min"], "max": rule["max"], "start": _start(course_start)}


def _describe_self_declared(rule: Rule, course_start: datetime.date) -> str:
    return SELF_DECLARED[rule["question"]]().reason


def _describe_max_months_psychiatric_services(rule: Rule, course_start: datetime.date) -> str:
    return _(
        "Forløbet er for personer, der i alt har været tilknyttet social- og "
        "behandlingspsykiatrien i mindre end %(limit)s måneder."
    ) % {"limit": rule["less_than"]}


def _describe_municipality_in(rule: Rule, course_start: datetime.date) -> str:
    names = sorted({municipality_name(served) for served in rule["codes"]}, key=danish_sort_key)
    return ngettext(
        "Forløbet er for borgere, der bor i denne kommune: %(names)s.",
        "Forløbet er for borgere, der bor i en af disse kommuner: %(names)s.",
        len(names),
    ) % {"names": _join(names)}


def _check_min_age(rule: Rule, answers: Answers, course_start: datetime.date) -> _Verdict:
    birth_date = _date_answer(answers, "birth_date")
    if birth_date is None:
        return _not_answered(_("Fødselsdato"))
    if age_on(birth_date, course_start) >= rule["value"]:
        return _PASSED
    return _Verdict(reason=_describe_min_age(rule, course_start))


def _check_age_range(rule: Rule, answers: Answers, course_start: datetime.date) -> _Verdict:
    birth_date = _date_answer(answers, "birth_date")
    if birth_date is None:
        return _not_answered(_("Fødselsdato"))
    if rule["min"] <= age_on(birth_date, course_start) <= rule["max"]:
        return _PASSED
    return _Verdict(reason=_describe_age_range(rule, course_start))


def _check_parent_of_child_in_range(
    rule: Rule, answers: Answers, course_start: datetime.date
) -> _Verdict:
    child_birth_date = _date_answer(answers, "child_birth_date")
    if child_birth_date is None:
        return _not_answered(_("Barnets fødselsdato"))
    if rule["min"] <= age_on(child_birth_date, course_start) <= rule["max"]:
        return _PASSED
    return _Verdict(reason=_describe_parent_of_child_in_range(rule, course_start))


def _check_self_declared(rule: Rule, answers: Answers, course_start: datetime.date) -> _Verdict:
    question = SELF_DECLARED[rule["question"]]()
    answer = _answer(answers, question.key)
    if answer == "yes":
        return _PASSED
    if answer == "no":
        return _Verdict(reason=_describe_self_declared(rule, course_start))
    if answer == "unknown":
        return _answered_unknown(question.topic)
    if answer is None:
        return _not_answered(question.topic)
    raise ValueError(f'{question.key} must be "yes", "no", "unknown" or None, not {answer!r}')


def _check_max_months_psychiatric_services(
    rule: Rule, answers: Answers, course_start: datetime.date
) -> _Verdict:
    months = _answer(answers, "psychiatric_services_months")
    topic = _("Måneder i social- og behandlingspsykiatrien")
    if months is None:
        if answers.get("psychiatric_services_months_unknown"):
            return _answered_unknown(topic)
        return _not_answered(topic)
    if not _is_whole_number(months) or months < 0:
        raise ValueError(f"psychiatric_services_months must be 0 or more, not {months!r}")
    if months < rule["less_than"]:
        return _PASSED
    return _Verdict(reason=_describe_max_months_psychiatric_services(rule, course_start))


def _check_municipality_in(rule: Rule, answers: Answers, course_start: datetime.date) -> _Verdict:
    code = _answer(answers, "municipality")
    if code is None:
        return _not_answered(_("Bopælskommune"))
    if is_municipality(code) and code in rule["codes"]:
        return _PASSED
    return _Verdict(reason=_describe_municipality_in(rule, course_start))


def _join(names: list[str]) -> str:
    """Join names as "A, B og C"."""
    if len(names) == 1:
        return names[0]
    return _("%(names)s og %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


# --- Rule types and their parameters --------------------------------------------------------


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _age_problem(value: object) -> str:
    if _is_whole_number(value) and 0 <= value <= MAX_AGE:
        return ""
    return _("skal være et helt antal år fra 0 til %(max)s") % {"max": MAX_AGE}


def _months_problem(value: object) -> str:
    if _is_whole_number(value) and value >= 1:
        return ""
    return _("skal være et helt antal måneder, mindst 1")


def _codes_problem(value: object) -> str:
    if not isinstance(value, list) or not value:
        return _("skal være en liste med mindst én kommunekode")
    unknown = [code for code in value if not is_municipality(code)]
    if unknown:
        return _("indeholder ukendte kommunekoder: %(codes)s") % {
            "codes": ", ".join(str(code) for code in unknown)
        }
    return ""


def _question_problem(value: object) -> str:
    if isinstance(value, str) and value in SELF_DECLARED:
        return ""
    return _("skal være et af disse spørgsmål: %(questions)s") % {
        "questions": ", ".join(SELF_DECLARED)
    }


@dataclass(frozen=True)
class _RuleType:
    check: Callable[[Rule, Answers, datetime.date], _Verdict]
    describe: Callable[[Rule, datetime.date], str]  # what the rule asks, as a sentence
    parameters: dict[str, Callable[[object], str]]  # name -> what is wrong with a value, or ""
    asks: Callable[[Rule], str]  # the answer key the rule needs


_RULE_TYPES: dict[str, _RuleType] = {
    "min_age": _RuleType(
        check=_check_min_age,
        describe=_describe_min_age,
        parameters={"value": _age_problem},
        asks=lambda rule: "birth_date",
    ),
    "age_range": _RuleType(
        check=_check_age_range,
        describe=_describe_age_range,
        parameters={"min": _age_problem, "max": _age_problem},
        asks=lambda rule: "birth_date",
    ),
    "parent_of_child_in_range": _RuleType(
        check=_check_parent_of_child_in_range,
        describe=_describe_parent_of_child_in_range,
        parameters={"min": _age_problem, "max": _age_problem},
        asks=lambda rule: "child_birth_date",
    ),
    "self_declared": _RuleType(
        check=_check_self_declared,
        describe=_describe_self_declared,
        parameters={"question": _question_problem},
        asks=lambda rule: rule["question"],
    ),
    "max_months_psychiatric_services": _RuleType(
        check=_check_max_months_psychiatric_services,
        describe=_describe_max_months_psychiatric_services,
        parameters={"less_than": _months_problem},
        asks=lambda rule: "psychiatric_services_months",
    ),
    "municipality_in": _RuleType(
        check=_check_municipality_in,
        describe=_describe_municipality_in,
        parameters={"codes": _codes_problem},
        asks=lambda rule: "municipality",
    ),
}


def _parameter_errors(number: int, rule: dict, rule_type: _RuleType) -> list[str]:
    where = {"number": number, "rule": rule["rule"]}
    errors = [
        _("Regel %(number)s (%(rule)s): ukendt parameter »%(parameter)s«.")
        % {**where, "parameter": name}
        for name in rule
        if name != "rule" and name not in rule_type.parameters
    ]
    for name, problem_with in rule_type.parameters.items():
        if name not in rule:
            errors.append(
                _("Regel %(number)s (%(rule)s): mangler »%(parameter)s«.")
                % {**where, "parameter": name}
            )
        elif problem := problem_with(rule[name]):
            errors.append(
                _("Regel %(number)s (%(rule)s): »%(parameter)s« %(problem)s.")
                % {**where, "parameter": name, "problem": problem}
            )
    if not errors and "min" in rule_type.parameters and rule["min"] > rule["max"]:
        errors.append(
            _("Regel %(number)s (%(rule)s): »min« må ikke være større end »max«.") % where
        )
    return errors


def _require_valid(rules: object) -> None:
    if errors := validate_rules(rules):
        raise ValueError(" ".join(errors))


# --- The answers in plain Danish, for a coordinator --------------------------------------------


def _answered_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "DATE_FORMAT") if isinstance(value, datetime.date) else str(value)


def _answered(value: Any) -> str:
    """Any other stored answer as text: yes/no/unknown in Danish, a list joined."""
    words = {"yes": _("Ja"), "no": _("Nej"), "unknown": _("Ved ikke"), True: _("Ja")}
    if value is None or value == "" or value is False:
        return _("Ikke besvaret")
    if isinstance(value, list):
        return ", ".join(_answered(item) for item in value)
    if isinstance(value, (str, bool)) and value in words:
        return str(words[value])
    return str(value)


def _answered_question(question: Question, answers: Answers) -> str:
    value = _answer(answers, question.key)
    if question.kind in ("birth_date", "child_birth_date"):
        return _answered_date(value) if value is not None else _("Ikke besvaret")
    if question.kind == "months_or_unknown":
        # A number decides, as in `evaluate`, also when "ved ikke" was ticked too.
        if _is_whole_number(value):
            return ngettext("%(count)s måned", "%(count)s måneder", value) % {"count": value}
        if answers.get(f"{question.key}_unknown"):
            return _("Ved ikke")
        return _answered(value)
    return _answered(value)


def answers_described(answers: Answers) -> list[tuple[str, str]]:
    """The answers a registration stored, as (question, answer) in plain Danish and in the
    form's order: birth date, municipality (by name), then the programme's questions. An
    answer to a question no longer asked keeps its key as its label."""
    rows: list[tuple[str, str]] = []
    if "birth_date" in answers:
        rows.append(
            (
                _("Fødselsdato"),
                _answered_question(Question("birth_date", "", "birth_date"), answers),
            )
        )
    if "municipality" in answers:
        code = _answer(answers, "municipality")
        rows.append(
            (
                _("Bopælskommune"),
                municipality_name(code) if is_municipality(code) else _answered(code),
            )
        )
    known = {"birth_date", "municipality"}
    for question in all_questions():
        keys = {question.key, f"{question.key}_unknown"}
        known |= keys
        if keys & answers.keys():
            rows.append((question.label, _answered_question(question, answers)))
    rows += [(key, _answered(value)) for key, value in answers.items() if key not in known]
    return rows
