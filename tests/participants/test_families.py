"""Children and families (issue #13, item 5): a custody holder registers a child and may come
along; the family is seated, waitlisted and promoted as one; a child under 15 holds the seat
until the custody holders confirm through one-time links, or the hold runs out."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Course, Program
from groups.services import course_plan_sessions
from participants import services
from participants.forms import RegistrationForm
from participants.models import CustodyConfirmation, Registration
from participants.selectors import registrations_awaiting_custody
from peerprogram.models import Organisation, OutboxMessage
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PARENT_EMAIL = "foraelder@eksempel.dk"
SECOND_EMAIL = "anden@eksempel.dk"
CHILD_EMAIL = "barn@eksempel.dk"
CUSTODY_LINK = re.compile(r"https?://\S+/tilmelding/samtykke/\d+/\S+/")


@pytest.fixture
def mod_og_mestring(org_a):
    """Children and youth 8–18 with anxiety, and their parents."""
    return ProgramFactory(
        organisation=org_a,
        name="Mod og Mestring",
        audience=Program.Audience.CHILDREN_AND_YOUTH,
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "age_range", "min": 8, "max": 18}],
        parents_join=True,
    )


def open_course(program, capacity=4):
    course = CourseFactory(
        program=program,
        capacity=capacity,
        first_date=timezone.localdate() + datetime.timedelta(days=14),
        status=Course.Status.OPEN,
    )
    course_plan_sessions(course=course)
    return course


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=30)


def family_request(*, child_age=10, parent=True, second_guardian=False, n=0):
    return services.RegistrationRequest(
        name=f"Barn {n}",
        email=CHILD_EMAIL,
        birth_date=years_ago(child_age),
        municipality="350",
        guardian_name=f"Forælder {n}",
        guardian_email=PARENT_EMAIL,
        guardian_consent=True,
        second_guardian_name="Anden forælder" if second_guardian else "",
        second_guardian_email=SECOND_EMAIL if second_guardian else "",
        parent_birth_date=years_ago(40) if parent else None,
    )


def submit(course, **kwargs):
    return services.registration_submit(
        course=course,
        request=family_request(**kwargs),
        needs_review=False,
        eligibility={"outcome": "eligible"},
    )


def fill(course, taken):
    for _ in range(taken):
        RegistrationFactory(course=course, status=Registration.Status.ACCEPTED)


def family_of(child):
    return [
        (member.status, member.waitlist_position) for member in services.registration_family(child)
    ]


def custody_links(messages) -> list[str]:
    return [urlparse(CUSTODY_LINK.search(m.body).group(0)).path for m in messages]


def deliver(capture, submit_fn):
    """Run `submit_fn` and deliver what it queued; returns (its result, the e-mails sent)."""
    mail.outbox.clear()
    with capture(execute=True):
        result = submit_fn()
    return result, list(mail.outbox)


# --- Both or neither, under one lock ----------------------------------------------------------

ACCEPTED, WAITLISTED, AWAITING = "accepted", "waitlisted", "awaiting_custody"


@pytest.mark.parametrize(
    ("capacity", "taken", "parent_takes_seat", "child_age", "expected", "seats_taken"),
    [
        # two free seats: both seated
        (4, 2, True, 16, [(ACCEPTED, None), (ACCEPTED, None)], 4),
        # one free seat and the parent takes one: neither, both waitlisted side by side
        (4, 3, True, 16, [(WAITLISTED, 1), (WAITLISTED, 2)], 3),
        # one free seat, parents take no seat: both come, one seat used
        (4, 3, False, 16, [(ACCEPTED, None), (ACCEPTED, None)], 4),
        # full, parents take no seat: the child has none, so both wait
        (4, 4, False, 16, [(WAITLISTED, 1), (WAITLISTED, 2)], 4),
        # a child under 15: both seats held until the custody holder confirms
        (4, 2, True, 10, [(AWAITING, None), (AWAITING, None)], 4),
        # a child under 15 on a full course: both wait; the custody link still goes out
        (4, 3, True, 10, [(WAITLISTED, 1), (WAITLISTED, 2)], 3),
    ],
)
def test_a_family_gets_seats_together_or_waits_together(
    mod_og_mestring, capacity, taken, parent_takes_seat, child_age, expected, seats_taken
):
    mod_og_mestring.parent_takes_seat = parent_takes_seat
    mod_og_mestring.save()
    course = open_course(mod_og_mestring, capacity=capacity)
    fill(course, taken)

    child = submit(course, child_age=child_age)

    assert family_of(child) == expected
    parent = child.companions.get()
    assert parent.participant.name == "Forælder 0" and parent.takes_seat == parent_takes_seat
    assert course.registrations.holding_a_seat().count() == seats_taken


def test_a_held_seat_lasts_the_programmes_number_of_days(mod_og_mestring):
    mod_og_mestring.custody_hold_days = 3
    mod_og_mestring.save()
    course = open_course(mod_og_mestring)
    before = timezone.now()

    child = submit(course)

    expected = before + datetime.timedelta(days=3)
    for member in services.registration_family(child):
        assert expected <= member.hold_until <= expected + datetime.timedelta(minutes=1)
        assert member.accepted_at is None


# --- The waitlist moves a family as one -------------------------------------------------------


@pytest.mark.parametrize(
    ("parent_takes_seat", "seats_freed", "family_promoted", "behind_promoted"),
    [
        (True, 1, False, False),  # one seat for a family of two: it waits, nobody overtakes
        (True, 2, True, False),
        (False, 1, True, False),  # the parent needs no seat: one is enough
    ],
)
def test_the_waitlist_promotes_a_family_only_when_there_are_seats_for_both(
    mod_og_mestring, parent_takes_seat, seats_freed, family_promoted, behind_promoted
):
    mod_og_mestring.parent_takes_seat = parent_takes_seat
    mod_og_mestring.save()
    course = open_course(mod_og_mestring, capacity=2)
    seated = [RegistrationFactory(course=course, status=ACCEPTED) for _ in range(2)]
    child = submit(course, child_age=16)
    behind = submit(course, child_age=16, parent=False, n=1)
    assert [r.status for r in services.registration_family(child)] == [WAITLISTED] * 2

    for registration in seated[:seats_freed]:
        services.registration_withdraw(registration=registration)

    expected = ACCEPTED if family_promoted else WAITLISTED
    assert [r.status for r in services.registration_family(child)] == [expected] * 2
    behind.refresh_from_db()
    assert (behind.status == ACCEPTED) == behind_promoted
    assert behind.waitlist_position == (1 if family_promoted else 3)


def test_withdrawing_through_the_familys_link_frees_both_seats(mod_og_mestring):
    course = open_course(mod_og_mestring, capacity=2)
    child = submit(course, child_age=16)

    services.registration_withdraw(registration=child)

    assert family_of(child) == [("withdrawn", None), ("withdrawn", None)]
    assert course.registrations.holding_a_seat().count() == 0


# --- One message to the parent ----------------------------------------------------------------


def test_the_parent_gets_one_confirmation_covering_both(
    mod_og_mestring, django_capture_on_commit_callbacks
):
    course = open_course(mod_og_mestring)

    child, sent = deliver(django_capture_on_commit_callbacks, lambda: submit(course, child_age=16))

    [letter] = sent
    assert letter.to == [PARENT_EMAIL]
    assert "Barn 0: har fået en plads" in letter.body
    assert "Forælder 0: har fået en plads" in letter.body
    message = OutboxMessage.objects.get()
    assert message.related_id == child.pk and message.kind == "registration_confirmation"


def test_a_child_under_15_gets_one_custody_request_to_the_parent_not_a_confirmation(
    mod_og_mestring, django_capture_on_commit_callbacks
):
    course = open_course(mod_og_mestring)

    child, sent = deliver(django_capture_on_commit_callbacks, lambda: submit(course))

    [letter] = sent
    assert letter.to == [PARENT_EMAIL]
    assert "Bekræft tilmeldingen af Barn 0" in letter.subject
    assert "Barn 0" in letter.body and "Forælder 0" in letter.body
    [path] = custody_links(sent)
    assert path.startswith(f"/tilmelding/samtykke/{child.pk}/")
    # Only the hash rests in the database and in the outbox.
    token = path.rstrip("/").rsplit("/", 1)[1]
    confirmation = CustodyConfirmation.objects.get()
    assert confirmation.token_hash == services.token_hash(token)
    assert token not in OutboxMessage.objects.get().body


@pytest.mark.parametrize(
    ("child_age", "guardian_email", "expected"),
    [
        (10, PARENT_EMAIL, PARENT_EMAIL),  # under 15: the custody holder
        (14, PARENT_EMAIL, PARENT_EMAIL),
        (15, PARENT_EMAIL, CHILD_EMAIL),  # 15 on the first day: the young person
        (10, "", CHILD_EMAIL),  # no custody holder's address given: the child's own
    ],
)
def test_messages_about_a_child_under_15_go_to_the_custody_holder(
    mod_og_mestring, child_age, guardian_email, expected
):
    course = open_course(mod_og_mestring)
    registration = RegistrationFactory(
        course=course,
        participant__email=CHILD_EMAIL,
        participant__birth_date=years_ago(child_age),
        guardian_name="Forælder",
        guardian_email=guardian_email,
    )

    assert services.registration_recipient(registration).email == expected


# --- The custody link -------------------------------------------------------------------------


def _link(path: str) -> tuple[int, str]:
    _, _, _, pk, token, _ = path.split("/")
    return int(pk), token


@pytest.fixture
def awaiting(mod_og_mestring, django_capture_on_commit_callbacks):
    """A child of 10 with a parent, both seats held; the custody link as sent."""
    course = open_course(mod_og_mestring, capacity=2)
    child, sent = deliver(django_capture_on_commit_callbacks, lambda: submit(course))
    [path] = custody_links(sent)
    return child, path


def snapshot(child):
    return [
        (member.status, member.guardian_consent_at, member.hold_until)
        for member in services.registration_family(child)
    ] + list(CustodyConfirmation.objects.values_list("confirmed_at", flat=True))


def test_the_custody_link_shows_what_is_confirmed_and_a_post_confirms_it(
    client, awaiting, django_capture_on_commit_callbacks
):
    child, path = awaiting
    page = client.get(path)
    assert page.status_code == 200
    assert "Bekræft tilmeldingen" in page.content.decode()
    assert child.participant.name in page.content.decode()
    assert family_of(child) == [(AWAITING, None), (AWAITING, None)]  # GET changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)

    assert done.status_code == 200
    assert "Tak for din bekræftelse" in done.content.decode()
    assert family_of(child) == [(ACCEPTED, None), (ACCEPTED, None)]
    child.refresh_from_db()
    assert child.guardian_consent_at is not None and child.hold_until is None
    [letter] = mail.outbox
    assert letter.to == [PARENT_EMAIL] and "/tilmelding/" in letter.body


def _used_twice(client, child, path):
    client.post(path)
    return path


def _another_registration(client, child, path):
    other = RegistrationFactory(course=child.course, status=Registration.Status.ACCEPTED)
    _, token = _link(path)
    return reverse("participants:custody", kwargs={"pk": other.pk, "token": token})


def _expired(client, child, path):
    Registration.objects.filter(pk=child.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    return path


def _released(client, child, path):
    _expired(client, child, path)
    services.custody_holds_release()
    return path


def _unknown(client, child, path):
    pk, _ = _link(path)
    return reverse("participants:custody", kwargs={"pk": pk, "token": "ikke-et-token"})


@pytest.mark.parametrize(
    ("case", "status_code", "text"),
    [
        (_used_twice, 200, "Tilmeldingen er allerede bekræftet"),
        (_another_registration, 404, "Linket virker ikke"),
        (_unknown, 404, "Linket virker ikke"),
        (_expired, 410, "Pladsen er givet videre"),
        (_released, 410, "Pladsen er givet videre"),
    ],
    ids=["used-twice", "another-registration", "unknown", "expired", "released"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_custody_link_that_cannot_be_used_says_so_in_danish_and_changes_nothing(
    client, awaiting, case, status_code, text, method
):
    child, path = awaiting
    url = case(client, child, path)
    before = snapshot(child)
    messages_before = OutboxMessage.objects.count()

    response = getattr(client, method)(url)

    assert response.status_code == status_code
    assert text in response.content.decode()
    assert snapshot(child) == before
    assert OutboxMessage.objects.count() == messages_before


def test_the_released_page_says_how_to_register_again(client, awaiting):
    child, path = awaiting
    _released(client, child, path)

    page = client.get(path).content.decode()

    assert "tilmelde jer igen" in page
    assert reverse("participants:course", kwargs={"pk": child.course_id}) in page


# --- One or both custody holders --------------------------------------------------------------


@pytest.mark.parametrize(
    ("required", "links"),
    [(Organisation.CustodyConfirmations.ONE, 1), (Organisation.CustodyConfirmations.BOTH, 2)],
)
def test_one_or_both_custody_holders_confirm_as_the_organisation_says(
    client, mod_og_mestring, django_capture_on_commit_callbacks, required, links
):
    organisation = mod_og_mestring.organisation
    organisation.custody_confirmations_required = required
    organisation.save()
    course = open_course(mod_og_mestring)

    child, sent = deliver(
        django_capture_on_commit_callbacks, lambda: submit(course, second_guardian=True)
    )

    assert sorted(address for letter in sent for address in letter.to) == sorted(
        [PARENT_EMAIL, SECOND_EMAIL][:links]
    )
    paths = custody_links(sent)
    assert len(set(paths)) == links
    for number, path in enumerate(paths, start=1):
        response = client.post(path)
        if number < links:
            assert "mangler nu kun bekræftelsen fra den anden forælder" in response.content.decode()
            assert family_of(child) == [(AWAITING, None), (AWAITING, None)]
            assert Registration.objects.get(pk=child.pk).guardian_consent_at is None
    assert family_of(child) == [(ACCEPTED, None), (ACCEPTED, None)]
    assert Registration.objects.get(pk=child.pk).guardian_consent_at is not None


# --- Releasing holds that ran out -------------------------------------------------------------


def test_the_release_task_frees_the_seats_tells_the_custody_holder_once_and_promotes(
    mod_og_mestring, django_capture_on_commit_callbacks
):
    course = open_course(mod_og_mestring, capacity=2)
    child = submit(course)
    waiting = submit(course, child_age=16, parent=False, n=1)
    assert waiting.status == WAITLISTED
    Registration.objects.filter(course=course, status=AWAITING).update(
        hold_until=timezone.now() - datetime.timedelta(seconds=1)
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first_run = services.custody_holds_release()
        second_run = services.custody_holds_release()

    assert (first_run, second_run) == (1, 0)
    assert [r.status for r in services.registration_family(child)] == ["withdrawn"] * 2
    waiting.refresh_from_db()
    assert waiting.status == ACCEPTED
    released = [letter for letter in mail.outbox if "givet videre" in letter.subject]
    assert [letter.to for letter in released] == [[PARENT_EMAIL]]
    assert OutboxMessage.objects.filter(kind="custody_released").count() == 1


def test_a_hold_not_yet_run_out_is_kept(mod_og_mestring):
    course = open_course(mod_og_mestring)
    child = submit(course)

    assert services.custody_holds_release() == 0

    assert family_of(child) == [(AWAITING, None), (AWAITING, None)]


def test_a_waitlisted_child_under_15_promoted_without_confirmation_gets_a_held_seat_and_a_new_link(
    mod_og_mestring, django_capture_on_commit_callbacks
):
    course = open_course(mod_og_mestring, capacity=2)
    seated = [RegistrationFactory(course=course, status=ACCEPTED) for _ in range(2)]
    child = submit(course)
    assert family_of(child) == [(WAITLISTED, 1), (WAITLISTED, 2)]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for registration in seated:
            services.registration_withdraw(registration=registration)

    assert family_of(child) == [(AWAITING, None), (AWAITING, None)]
    assert all(member.hold_until for member in services.registration_family(child))
    assert len(custody_links([m for m in mail.outbox if m.to == [PARENT_EMAIL]])) == 1


# --- The form ---------------------------------------------------------------------------------


def form_for(course, **data):
    base = {
        "name": "Barn",
        "email": CHILD_EMAIL,
        "birth_date": years_ago(10).isoformat(),
        "municipality": "350",
        "guardian_name": "Forælder",
        "guardian_email": PARENT_EMAIL,
        "guardian_consent": "on",
    }
    return RegistrationForm({**base, **data}, course=course)


def test_a_parent_group_asks_for_no_guardian_and_offers_no_parent_place(org_a):
    program = ProgramFactory(
        organisation=org_a,
        name="Mod og Mestring – forældre",
        audience=Program.Audience.PARENTS,
        min_age=8,
        max_age=18,
        eligibility_rules=[{"rule": "parent_of_child_in_range", "min": 8, "max": 18}],
    )
    form = RegistrationForm(course=open_course(program))

    assert not form.asks_guardian
    assert not {"guardian_name", "parent_joins", "second_guardian_name"} & set(form.fields)


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"parent_joins": "on"}, "parent_birth_date"),
        (
            {"parent_joins": "on", "parent_birth_date": years_ago(16).isoformat()},
            "parent_birth_date",
        ),
        (
            {
                "parent_joins": "on",
                "parent_birth_date": years_ago(40).isoformat(),
                "guardian_email": "",
            },
            "guardian_email",
        ),
    ],
    ids=["no-birth-date", "parent-under-18", "parent-unreachable"],
)
def test_a_parent_who_joins_gives_their_birth_date_and_contact(mod_og_mestring, data, error_field):
    form = form_for(open_course(mod_og_mestring), **data)

    assert not form.is_valid()
    assert error_field in form.errors


def test_the_second_custody_holder_is_asked_for_when_both_must_confirm(mod_og_mestring):
    organisation = mod_og_mestring.organisation
    organisation.custody_confirmations_required = Organisation.CustodyConfirmations.BOTH
    organisation.save()
    course = open_course(mod_og_mestring)

    form = form_for(course)
    assert not form.is_valid()
    assert {"second_guardian_name", "second_guardian_email"} <= set(form.errors)
    assert form_for(
        course, second_guardian_name="Anden", second_guardian_phone="20304050"
    ).is_valid()
    # A young person of 15 needs neither custody holder.
    assert form_for(course, birth_date=years_ago(15).isoformat()).is_valid()


def test_the_whole_family_registers_in_one_form_submit(client, mod_og_mestring):
    course = open_course(mod_og_mestring)
    url = reverse("participants:register", args=[course.pk])
    data = form_for(course).data | {
        "parent_joins": "on",
        "parent_birth_date": years_ago(40).isoformat(),
    }

    response = client.post(url, data)

    assert response.status_code == 302
    child = Registration.objects.get(registered_with__isnull=True)
    assert family_of(child) == [(AWAITING, None), (AWAITING, None)]
    parent = child.companions.get().participant
    assert (parent.name, parent.email) == ("Forælder", PARENT_EMAIL)
    page = client.get(response.url).content.decode()
    assert "Pladsen er holdt til barnet" in page and "I er tilmeldt sammen" in page


def test_a_coordinator_cannot_accept_a_child_before_the_custody_holders_confirm(
    mod_og_mestring, coordinator_a
):
    course = open_course(mod_og_mestring)
    child = submit(course)

    with pytest.raises(ValidationError, match="Forældremyndigheden har ikke bekræftet"):
        services.registration_decide(registration=child, status=ACCEPTED, user=coordinator_a)

    assert family_of(child) == [(AWAITING, None), (AWAITING, None)]


def test_coordinators_see_the_children_waiting_for_custody_soonest_to_run_out_first(
    mod_og_mestring, org_b
):
    course = open_course(mod_og_mestring, capacity=6)
    later = submit(course, n=1)
    sooner = submit(course, n=2, parent=False)
    Registration.objects.filter(pk=sooner.pk).update(
        hold_until=later.hold_until - datetime.timedelta(hours=1)
    )
    confirmed = submit(course, n=3, parent=False)
    Registration.objects.filter(pk=confirmed.pk).update(status=Registration.Status.ACCEPTED)
    elsewhere = open_course(ProgramFactory(organisation=org_b, parents_join=True))
    submit(elsewhere, n=4)

    waiting = registrations_awaiting_custody(organisation_ids=[mod_og_mestring.organisation_id])

    # One line per family (the parent waits with the child), the soonest hold first.
    assert [registration.pk for registration in waiting] == [sooner.pk, later.pk]
