"""Retention: what is due when, the dry run against the real run, the safety stop, and the
figures that must not change when people are anonymised."""

import datetime
import logging
import random

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluation import reports, services
from evaluation.instruments import WHO5_NAME
from evaluation.models import Invitation, Phase, Questionnaire, Response
from participants.figures import course_figures, program_figures
from participants.models import Attendance, Participant, Registration, StatusLink
from peerprogram.models import OutboxMessage, RetentionPolicy, RetentionRun
from peerprogram.privacy import retention
from peerprogram.tasks import apply_retention
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    OrganisationAdminFactory,
    ProgramFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.volunteers.factories import PeerFactory
from volunteers.models import ContactRequest, Peer, StatusChange

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
COURSE_END = datetime.date(2026, 2, 3)
# 12 months after the course's last session (the default policy).
DUE = datetime.date(2027, 2, 3)


def course_ending(program, day: datetime.date, *, sessions=3):
    """A course whose last session ends on `day`, sessions a week apart."""
    course = CourseFactory(program=program, first_date=day - datetime.timedelta(weeks=sessions - 1))
    for number in range(1, sessions + 1):
        starts = datetime.datetime.combine(
            day - datetime.timedelta(weeks=sessions - number), datetime.time(10), tzinfo=UTC
        )
        SessionFactory(
            course=course,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
    return course


def registered(course, status=Registration.Status.ACCEPTED, *, on=None, **extra):
    registration = RegistrationFactory(course=course, status=status, **extra)
    if status in (Registration.Status.ACCEPTED, Registration.Status.COMPLETED):
        Registration.objects.filter(pk=registration.pk).update(accepted_at=timezone.now())
    if on is not None:
        Registration.objects.filter(pk=registration.pk).update(
            created_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=UTC)
        )
    return Registration.objects.get(pk=registration.pk)


def planned_ids(the_plan, source="participants"):
    return next(s.ids for s in the_plan.sources if s.source.name == source)


def anonymised(model=Participant):
    return set(model.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))


@pytest.fixture
def generous(org_a):
    """No safety stop: these tests are about what is due."""
    policy = retention.policy_for(org_a)
    policy.max_share_per_run = 100
    policy.save()
    return policy


# "Due on" -------------------------------------------------------------------------------------


def test_due_on_is_the_same_day_months_later_or_the_months_last_day():
    assert retention.add_months(datetime.date(2026, 2, 3), 12) == datetime.date(2027, 2, 3)
    assert retention.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert retention.add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert retention.add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)


# Participants at the boundary -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (DUE - datetime.timedelta(days=1), False),
        (DUE, True),
        (DUE + datetime.timedelta(days=1), True),
    ],
)
def test_a_participant_is_anonymised_on_the_day_their_course_ended_plus_the_months(
    program_a, generous, day, expected
):
    registration = registered(course_ending(program_a, COURSE_END))

    retention.run(day)

    participant = Participant.objects.get(pk=registration.participant_id)
    assert (participant.anonymised_at is not None) == expected
    assert (participant.name == "Anonymiseret") == expected


@pytest.mark.parametrize(
    ("status", "after_days", "expected"),
    [
        (Registration.Status.DECLINED, -1, False),
        (Registration.Status.DECLINED, 0, True),
        (Registration.Status.WITHDRAWN, 0, True),
        (Registration.Status.WAITLISTED, -1, False),
        (Registration.Status.WAITLISTED, 0, True),
        (Registration.Status.NEEDS_REVIEW, 0, True),
    ],
)
def test_registrations_without_a_seat_are_due_months_after_submission(
    program_a, generous, status, after_days, expected
):
    submitted = datetime.date(2026, 1, 10)  # the course ended 3 February
    extra = {"waitlist_position": 1} if status == Registration.Status.WAITLISTED else {}
    registration = registered(course_ending(program_a, COURSE_END), status, on=submitted, **extra)

    # 6 months after submission (the default): 10 July 2026.
    retention.run(datetime.date(2026, 7, 10) + datetime.timedelta(days=after_days))

    assert (registration.participant_id in anonymised()) == expected


def test_a_waitlisted_registration_waits_for_its_course_to_end(program_a, generous):
    course = course_ending(program_a, datetime.date(2027, 6, 1))
    registration = registered(
        course, Registration.Status.WAITLISTED, on=datetime.date(2026, 1, 10), waitlist_position=1
    )

    retention.run(datetime.date(2027, 5, 31))
    assert registration.participant_id not in anonymised()
    retention.run(datetime.date(2027, 6, 1))
    assert registration.participant_id in anonymised()


def test_a_participant_registered_for_a_later_course_is_kept(program_a, generous):
    old = registered(course_ending(program_a, COURSE_END))
    later_course = course_ending(program_a, datetime.date(2027, 9, 1))
    RegistrationFactory(course=later_course, participant=old.participant)

    retention.run(DUE + datetime.timedelta(days=30))
    assert old.participant_id not in anonymised()

    # Due once the later course, too, ended 12 months ago.
    retention.run(datetime.date(2028, 9, 1))
    assert old.participant_id in anonymised()


def test_anonymising_keeps_registrations_attendance_and_the_birth_year(program_a, generous):
    course = course_ending(program_a, COURSE_END)
    registration = registered(
        course,
        eligibility_answers={"birth_date": "1990-05-17", "months_psychiatric": 12},
        eligibility_result={"outcome": "eligible", "reasons": [], "open_questions": []},
        decision_note="Talte med hende i telefonen",
        guardian_name="Værge Værgesen",
        guardian_email="vaerge@eksempel.dk",
    )
    StatusLink.objects.create(registration=registration, token_hash="a" * 64)
    Attendance.objects.create(
        session=course.sessions.first(), registration=registration, status="present"
    )

    retention.run(DUE)

    participant = Participant.objects.get(pk=registration.participant_id)
    assert (participant.name, participant.email, participant.phone) == ("Anonymiseret", "", "")
    assert participant.birth_date == datetime.date(1990, 7, 1)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.course_id == course.pk
    assert registration.eligibility_answers == {}
    assert registration.eligibility_result == {"outcome": "eligible"}
    assert registration.decision_note == registration.guardian_name == ""
    assert registration.guardian_email == ""
    assert not registration.status_links.exists()
    assert registration.attendance.get().status == "present"


# Facilitators and contact requests ------------------------------------------------------------


def stopped_peer(organisation, on: datetime.date):
    peer = PeerFactory(organisation=organisation, status=Peer.Status.STOPPED)
    StatusChange.objects.create(
        peer=peer,
        from_status=Peer.Status.ACTIVE,
        to_status=Peer.Status.STOPPED,
        changed_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=UTC),
    )
    return peer


@pytest.mark.parametrize(("after_days", "expected"), [(-1, False), (0, True)])
def test_a_facilitator_is_anonymised_months_after_they_stopped(
    org_a, generous, after_days, expected
):
    peer = stopped_peer(org_a, datetime.date(2025, 1, 15))
    active = PeerFactory(organisation=org_a)

    # 24 months (the default) after 15 January 2025.
    retention.run(datetime.date(2027, 1, 15) + datetime.timedelta(days=after_days))

    assert (peer.pk in anonymised(Peer)) == expected
    assert active.pk not in anonymised(Peer)


@pytest.mark.parametrize(("after_days", "expected"), [(-1, False), (0, True)])
def test_a_contact_request_is_anonymised_months_after_it_came_in(
    org_a, generous, after_days, expected
):
    contact = ContactRequest.objects.create(
        organisation=org_a, first_name="Lone", phone="12345678", wish="peer"
    )
    ContactRequest.objects.filter(pk=contact.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)
    )

    retention.run(datetime.date(2026, 9, 1) + datetime.timedelta(days=after_days))

    contact.refresh_from_db()
    assert (contact.anonymised_at is not None) == expected
    assert (contact.phone == "") == expected


# The dry run, the real run, and running twice -----------------------------------------------


@pytest.fixture
def mixed(org_a, org_b, program_a, generous):
    """Due and not-due people in two organisations."""
    old_course = course_ending(program_a, COURSE_END)
    new_course = course_ending(program_a, datetime.date(2027, 1, 20))
    due = [registered(old_course) for _n in range(3)]
    kept = [registered(new_course) for _n in range(2)]
    program_b = ProgramFactory(organisation=org_b)
    policy_b = retention.policy_for(org_b)
    policy_b.max_share_per_run = 100
    policy_b.save()
    due_b = registered(course_ending(program_b, COURSE_END))
    peer = stopped_peer(org_a, datetime.date(2024, 1, 1))
    return {"due": due, "kept": kept, "due_b": due_b, "peer": peer}


def test_the_dry_run_lists_exactly_what_the_real_run_anonymises(org_a, org_b, mixed):
    dry = {outcome.plan.organisation: outcome for outcome in retention.run(DUE, dry_run=True)}
    assert not anonymised() and not anonymised(Peer)
    assert not RetentionRun.objects.exists()

    real = {outcome.plan.organisation: outcome for outcome in retention.run(DUE)}

    for organisation in (org_a, org_b):
        planned = {s.source.name: s.ids for s in dry[organisation].plan.sources}
        assert real[organisation].anonymised == planned
    assert set(planned_ids(dry[org_a].plan)) == {r.participant_id for r in mixed["due"]}
    assert planned_ids(dry[org_a].plan, "peers") == [mixed["peer"].pk]
    assert anonymised() == {r.participant_id for r in [*mixed["due"], mixed["due_b"]]}
    assert anonymised(Peer) == {mixed["peer"].pk}


def test_a_second_run_the_same_day_touches_nothing(mixed):
    retention.run(DUE)
    before = list(Participant.objects.order_by("pk").values())

    again = retention.run(DUE)

    assert all(not ids for outcome in again for ids in outcome.anonymised.values())
    assert list(Participant.objects.order_by("pk").values()) == before


def test_each_run_leaves_counts_and_no_names(org_a, mixed):
    retention.run(DUE)

    run = RetentionRun.objects.get(organisation=org_a)
    assert run.counts == {"participants": 3, "peers": 1, "contact_requests": 0}
    assert (run.total, run.population, run.stopped) == (4, 6, False)


def test_the_beat_task_runs_daily_and_anonymises_what_is_due(mixed, monkeypatch):
    schedule = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert schedule["task"] == "peerprogram.tasks.apply_retention"
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, *a: DUE if value is None else real_localdate(value),
    )

    assert apply_retention.delay().get() == 5  # 3 + 1 participants, 1 facilitator
    assert {r.participant_id for r in mixed["due"]} <= anonymised()


# The safety stop ------------------------------------------------------------------------------


def test_a_run_that_would_touch_too_many_stops_and_tells_the_coordinators(
    org_a, org_b, program_a, caplog, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory(
        username="koordinator.stop", email="koordinator@lejre.eksempel.dk", organisations=[org_a]
    )
    course = course_ending(program_a, COURSE_END)
    due = [registered(course) for _n in range(2)]
    [registered(course_ending(program_a, datetime.date(2027, 1, 20))) for _n in range(3)]
    policy = retention.policy_for(org_a)  # 20 %: 2 of 5 is too many
    assert policy.max_share_per_run == 20
    program_b = ProgramFactory(organisation=org_b)
    retention.policy_for(org_b)
    due_b = registered(course_ending(program_b, COURSE_END))

    assert retention.plan(org_a, DUE).stops
    with (
        caplog.at_level(logging.WARNING, logger="peerprogram.privacy.retention"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcomes = {outcome.plan.organisation: outcome for outcome in retention.run(DUE)}

    assert outcomes[org_a].stopped and outcomes[org_a].anonymised == {}
    assert not {r.participant_id for r in due} & anonymised()
    assert RetentionRun.objects.get(organisation=org_a).stopped
    alert = OutboxMessage.objects.get(kind="retention_stopped")
    assert alert.recipient_address == coordinator.email
    assert alert.organisation == org_a
    assert alert.status == OutboxMessage.Status.SENT
    assert "2 af de 5 personer" in alert.body
    assert "Retention stopped for organisation" in caplog.text
    # Another organisation's run is its own: 1 of 1 would be too many there as well.
    assert outcomes[org_b].stopped and due_b.participant_id not in anonymised()

    # Raised to 40 %, the next run goes through — and the alert is not repeated the same day.
    policy.max_share_per_run = 40
    policy.save()
    retention.run(DUE)
    assert {r.participant_id for r in due} <= anonymised()
    assert OutboxMessage.objects.filter(kind="retention_stopped").count() == 1


# Figures before and after ---------------------------------------------------------------------


def test_the_figures_and_reports_are_the_same_after_everyone_is_anonymised(org_a, program_a):
    policy = retention.policy_for(org_a)
    policy.max_share_per_run = 100
    policy.save()
    courses = [course_ending(program_a, COURSE_END, sessions=4), course_ending(program_a, DUE)]
    for course in courses:
        sessions = list(course.sessions.order_by("number"))
        statuses = [
            Registration.Status.ACCEPTED,
            Registration.Status.COMPLETED,
            Registration.Status.DROPPED_OUT,
            Registration.Status.DECLINED,
        ]
        for index, status in enumerate(statuses * 2):
            registration = registered(course, status)
            for number, session in enumerate(sessions):
                if status != Registration.Status.DECLINED and (index + number) % 3:
                    Attendance.objects.create(
                        session=session,
                        registration=registration,
                        status="present" if (index + number) % 2 else "absent",
                    )
        # A withdrawal after the start counts as dropout; the date must survive.
        late = registered(course, Registration.Status.WITHDRAWN)
        Registration.objects.filter(pk=late.pk).update(
            accepted_at=sessions[0].starts_at - datetime.timedelta(days=3),
            status_changed_at=sessions[1].starts_at,
        )
    who5 = Questionnaire.objects.get(name=WHO5_NAME, organisation=None)
    for course in courses:
        for n in range(6):
            Response.objects.create(
                course=course,
                phase=Phase.AFTER,
                questionnaire=who5,
                iso_week="2026-W06",
                answers={str(i): (n + i) % 6 for i in range(1, 6)},
            )
            Invitation.objects.create(
                course=course, phase=Phase.AFTER, token_hash=f"{course.pk}-{n}".ljust(64, "x")
            )
        services.report_release_make(course_id=course.pk, phase=Phase.AFTER)
    now = datetime.datetime(2027, 3, 1, tzinfo=UTC)

    def figures():
        return (
            program_figures(program_a, now=now),
            [course_figures(course, now=now) for course in courses],
            reports.program_report(program_a, rng=random.Random(7)),
            sorted(Participant.objects.values_list("birth_date__year", "municipality")),
        )

    before = figures()
    retention.run(datetime.date(2028, 6, 1))
    assert Participant.objects.filter(anonymised_at__isnull=True).count() == 0

    assert figures() == before
    assert before[0].dropouts and before[0].completed and before[0].attendance_rate


# The policy and the dry-run page in the admin -------------------------------------------------


def test_the_dry_run_page_lists_neutral_labels_for_the_coordinators_own_organisation(
    org_a, program_a, coordinator_a, coordinator_b, client_for
):
    # The page plans for today: this course ended long ago.
    registration = registered(course_ending(program_a, datetime.date(2020, 1, 6)))
    name = registration.participant.name
    url = reverse("admin:peerprogram_retentionpolicy_dry_run", args=[org_a.pk])

    page = client_for(coordinator_a).get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert (
        f"Deltager #{registration.participant_id} – sidste forløb sluttede 06.01.2020 "
        "(udløb 06.01.2021)" in text
    )
    assert name not in text and registration.participant.email not in text
    assert client_for(coordinator_b).get(url).status_code == 404
    assert not anonymised()


def test_the_dry_run_page_shows_the_safety_stop(org_a, program_a, coordinator_a, client_for):
    course = course_ending(program_a, datetime.date(2020, 1, 1))
    for _n in range(2):
        registered(course)
    page = client_for(coordinator_a).get(
        reverse("admin:peerprogram_retentionpolicy_dry_run", args=[org_a.pk])
    )
    assert "Sikkerhedsgrænsen ville stoppe kørslen" in page.content.decode()


def test_coordinators_read_the_policy_and_organisation_admins_change_it(
    org_a, coordinator_a, client_for
):
    org_admin = OrganisationAdminFactory(username="admin.a", organisations=[org_a])
    listing = client_for(coordinator_a).get(reverse("admin:peerprogram_retentionpolicy_changelist"))
    assert listing.status_code == 200
    assert not RetentionPolicy.objects.exists()  # reading creates nothing
    policy = retention.policy_for(org_a)  # the defaults, until an organisation admin saves them
    assert (policy.months_after_course_end, policy.months_after_submission) == (12, 6)
    assert (policy.months_after_peer_stopped, policy.max_share_per_run) == (24, 20)
    data = {
        "months_after_course_end": 12,
        "months_after_submission": 6,
        "months_after_peer_stopped": 24,
        "months_after_application": 6,
        "max_share_per_run": 20,
    }
    add_url = reverse("admin:peerprogram_retentionpolicy_add")
    assert (
        client_for(coordinator_a).post(add_url, {**data, "organisation": org_a.pk}).status_code
        == 403
    )
    assert (
        client_for(org_admin).post(add_url, {**data, "organisation": org_a.pk}).status_code == 302
    )
    policy = RetentionPolicy.objects.get(organisation=org_a)
    url = reverse("admin:peerprogram_retentionpolicy_change", args=[policy.pk])
    data = {**data, "months_after_course_end": 18, "max_share_per_run": 10}

    assert client_for(coordinator_a).post(url, data).status_code == 403
    policy.refresh_from_db()
    assert policy.months_after_course_end == 12

    assert client_for(org_admin).post(url, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.months_after_course_end, policy.max_share_per_run) == (18, 10)
