"""The public registration endpoint under hostile and odd input.

Whatever is POSTed — arbitrary text, strings of up to 100 000 characters, control characters,
NUL bytes, right-to-left marks, emoji and combining marks, missing and extra fields, repeated
fields, broken bodies — the endpoint answers without a server error, and it never stores half a
registration: either nothing is added, or (only on a redirect to the confirmation) exactly one
Registration with its one Participant.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from groups.services import course_plan_sessions
from participants.models import Participant, Registration
from tests.factories import CourseFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HAB_RULES = [
    {"rule": "min_age", "value": 18},
    {"rule": "self_declared", "question": "reduced_mental_functioning"},
    {"rule": "max_months_psychiatric_services", "less_than": 24},
    {"rule": "municipality_in", "codes": ["607", "217", "101"]},
]
ALLOWED_STATUSES = {200, 302, 400, 410, 429}
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HONEYPOT_MESSAGE = "Tilmeldingen kunne ikke sendes"

VALID_FORM = {
    "name": "Mette Sørensen",
    "birth_date": "1990-05-17",
    "municipality": "217",
    "email": "mette@eksempel.dk",
    "phone": "",
    "reduced_mental_functioning": "yes",
    "psychiatric_services_months": "12",
    "referral_source": "self",
    "wants_accompaniment": "on",
    "consent": "on",
    "website": "",
    "submit": "Tilmeld",
}

# Characters that have broken web forms before.
ODD_PIECES = [
    "\x00",  # NUL: PostgreSQL refuses it in text
    "\x07\x08\x1b[31m",  # bell, backspace, an ANSI escape
    "\r\n",
    "\t",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066\u2069",  # isolates
    "\u200b\u200d\ufeff",  # zero-width space and joiner, byte order mark
    "e\u0301\u0308\u0323",  # combining marks
    "Z\u0334\u031b\u0348a\u0335l\u0338g\u0337o",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # family emoji, joined
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\ufdfd",  # the widest single character
    "\U0010ffff\U000e0001",
    "\ufffd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s {0}",
    "١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    "２０３０４０５０",  # fullwidth digits
    "－１",
    "NaN",
    "1e3",
    "9" * 5000,
]
# Everything a browser could send as text: any code point but lone surrogates.
any_character = st.characters(codec="utf-8")
odd_text = st.lists(
    st.one_of(st.text(any_character, max_size=8), st.sampled_from(ODD_PIECES)), max_size=8
).map("".join)
huge_text = st.builds(
    lambda piece, length: (piece * length)[:length],
    st.one_of(st.text(any_character, min_size=1, max_size=4), st.sampled_from(ODD_PIECES)),
    st.integers(min_value=1_000, max_value=100_000),
)
near_valid = {
    "name": ["Mette Sørensen", "李小龙", "أحمد علي", "Zoë Ærø-Åberg", " ", ""],
    "birth_date": [
        "1990-05-17",
        "2000-02-29",
        "2001-02-29",
        "0001-01-01",
        "9999-12-31",
        "2030-01-01",
        "17.05.1990",
        "1990-5-17",
        "",
    ],
    "municipality": ["217", "101", "607", "350", "999", "21", "2170", ""],
    "email": ["mette@eksempel.dk", "a@b", "ø@æ.dk", "mette@ÆRØ.dk", "@", ""],
    "phone": ["20304050", "+45 20 30 40 50", "112", "116 111", "2030405", ""],
    "sms_opt_in": ["on", "off", "true", "0", ""],
    "reduced_mental_functioning": ["yes", "no", "unknown", "maybe", ""],
    "psychiatric_services_months": ["0", "12", "23", "24", "30", "-1", "1200", "1201", "1.5", ""],
    "psychiatric_services_months_unknown": ["on", ""],
    "referral_source": ["self", "friend", "other", "spam", ""],
    "wants_accompaniment": ["on", ""],
    "consent": ["on", ""],
    "website": [""],
    "submit": ["Tilmeld"],
}


MISSING = object()


def field_value(name: str):
    """A field as a hostile or careless sender might send it; mostly as the valid form has
    it, so that enough examples get through validation to reach the code that stores."""
    valid = VALID_FORM.get(name, MISSING)
    near = st.sampled_from(near_valid[name])
    return st.sampled_from(
        ["keep"] * 7 + ["near", "near", "drop", "odd", "huge", "append"]
    ).flatmap(
        lambda how: {
            "keep": st.just(valid),
            "near": near,
            "drop": st.just(MISSING),
            "odd": odd_text,
            "huge": huge_text,
            "append": st.tuples(near, odd_text).map("".join),
        }[how]
    )


form_fields = st.fixed_dictionaries({name: field_value(name) for name in near_valid}).map(
    lambda fields: {name: value for name, value in fields.items() if value is not MISSING}
)
extra_fields = st.dictionaries(
    st.one_of(
        st.text(any_character, min_size=1, max_size=30),
        st.sampled_from(
            [
                "csrfmiddlewaretoken",
                "status",
                "course",
                "participant",
                "pk",
                "registered_by",
                "citizen_agreed",
                "name[]",
                "__proto__",
            ]
        ),
    ),
    odd_text,
    max_size=3,
)
repeated_fields = st.dictionaries(
    st.sampled_from(sorted(near_valid)), st.lists(odd_text, min_size=2, max_size=3), max_size=2
)


@pytest.fixture(params=["public_task", "consent"])
def open_course(request, settings):
    settings.REGISTRATION_LIMIT_PER_IP_HOUR = 10**6
    settings.REGISTRATION_LIMIT_PER_COURSE_HOUR = 10**6
    cache.clear()
    organisation = OrganisationFactory(data_protection_basis=request.param)
    program = ProgramFactory(
        organisation=organisation,
        name="Håb",
        eligibility_rules=HAB_RULES,
        offers_accompaniment=True,
        accompaniment_limit_months=6,
        intake_open_until_session=3,
    )
    course = CourseFactory(
        program=program,
        first_date=timezone.localdate() + datetime.timedelta(weeks=3),
        status="open",
        capacity=10,
    )
    course_plan_sessions(course=course)
    assert course.takes_registrations()
    return course


def register_url(course) -> str:
    return f"/forloeb/{course.pk}/tilmeld/"


def counts() -> tuple[int, int]:
    return Registration.objects.count(), Participant.objects.count()


def assert_nothing_half_stored(course, response, before: tuple[int, int]) -> None:
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code in ALLOWED_STATUSES, response.status_code
    registrations, participants = counts()
    if registrations == before[0]:
        # A repeat of an earlier example may reuse its participant; nothing new is stored.
        assert participants == before[1]
        return
    assert response.status_code == 302, "stored something without redirecting"
    assert (registrations, participants) == (before[0] + 1, before[1] + 1)
    registration = Registration.objects.select_related("participant", "course").latest("pk")
    assert registration.course == course
    assert registration.status in Registration.Status.values
    assert registration.participant.organisation_id == course.program.organisation_id
    assert registration.participant.name
    assert registration.participant.email or registration.participant.phone
    assert registration.eligibility_result["outcome"] != "not_eligible"
    if course.program.organisation.data_protection_basis == "consent":
        assert registration.consent_given_at is not None, "stored without consent"


def expect_redirect_to_confirmation(course, response) -> None:
    if response.status_code == 302:
        assert response["Location"] == f"/forloeb/{course.pk}/tilmeldt/"


@FUZZ_SETTINGS
@given(
    fields=form_fields,
    extra=extra_fields,
    repeated=repeated_fields,
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_arbitrary_form_posts_never_fail_and_never_half_store(
    client, open_course, fields, extra, repeated, encoding
):
    data = {**extra, **fields, **repeated}
    before = counts()

    if encoding == "multipart":
        response = client.post(register_url(open_course), data)
    else:
        response = client.post(
            register_url(open_course),
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )

    assert_nothing_half_stored(open_course, response, before)
    expect_redirect_to_confirmation(open_course, response)


@FUZZ_SETTINGS
@given(field=st.sampled_from(sorted(near_valid)), value=st.one_of(odd_text, huge_text))
def test_one_odd_field_in_an_otherwise_valid_form(client, open_course, field, value):
    data = {**VALID_FORM, field: value}
    before = counts()

    response = client.post(register_url(open_course), data)

    assert_nothing_half_stored(open_course, response, before)
    expect_redirect_to_confirmation(open_course, response)
    if response.status_code != 302:
        return
    # What was stored is what was typed (Django strips surrounding whitespace only).
    registration = Registration.objects.select_related("participant").latest("pk")
    if field == "name" and counts()[0] > before[0]:
        assert registration.participant.name == value.strip()


@FUZZ_SETTINGS
@given(
    body=st.one_of(
        st.binary(max_size=2_000),
        st.builds(
            lambda chunk, n: chunk * n, st.binary(min_size=1, max_size=8), st.integers(1, 20_000)
        ),
    ),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "application/x-www-form-urlencoded; charset=nonsense",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain",
        ]
    ),
)
def test_raw_request_bodies_never_fail(client, open_course, body, content_type):
    before = counts()

    # generic() sends the bytes as they are; post() would try to re-encode them first.
    response = client.generic("POST", register_url(open_course), body, content_type=content_type)

    assert_nothing_half_stored(open_course, response, before)
    assert counts() == before


def test_the_fixture_form_is_accepted(client, open_course):
    """The fuzzing starts from a form that really registers someone."""
    response = client.post(register_url(open_course), VALID_FORM)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.ACCEPTED


def test_an_identical_form_posted_twice_makes_one_registration(client, open_course):
    # A double click sends the same form twice, one request right after the other.
    first = client.post(register_url(open_course), VALID_FORM)
    second = client.post(register_url(open_course), VALID_FORM)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Registration.objects.count() == 1
    assert Participant.objects.count() == 1
    confirmation = client.get(second["Location"])
    assert "Du har fået en plads" in confirmation.content.decode()


class VisibleText(HTMLParser):
    """The text a sighted person sees: not inside aria-hidden, visually-hidden or hidden."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    INVISIBLE_TAGS = {"script", "style", "template", "head", "title"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        hidden = (
            tag in self.INVISIBLE_TAGS
            or attributes.get("aria-hidden") == "true"
            or "hidden" in attributes
            or "visually-hidden" in (attributes.get("class") or "").split()
        )
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(hidden for _, hidden in self.stack):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def test_a_filled_honeypot_stores_nothing(client, open_course):
    response = client.post(register_url(open_course), {**VALID_FORM, "website": "http://spam"})

    assert response.status_code in {200, 400}
    assert counts() == (0, 0)
    assert HONEYPOT_MESSAGE in response.content.decode()


def test_a_filled_honeypot_shows_a_message_a_person_can_see(client, open_course):
    # People trip the honeypot too (a password manager's autofill): they must see why the
    # form did not go through, not an error hidden next to a field they cannot see.
    response = client.post(register_url(open_course), {**VALID_FORM, "website": "http://spam"})

    visible = VisibleText.of(response.content.decode())
    assert HONEYPOT_MESSAGE in visible, visible
