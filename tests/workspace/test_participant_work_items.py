"""The participants' work on the "I dag" page: registrations waiting for a conversation, for
custody holders, and people no channel reaches — each one click from its registration page,
saying what removes it and who touched it last, in a constant number of queries."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from participants import contact_log, selectors, services
from participants.models import Registration
from participants.workspace.items import participant_work_items
from peerprogram.models import OutboxMessage
from tests.conftest import log_in
from tests.factories import (
    CoordinatorFactory,
    OutboxMessageFactory,
    RegistrationFactory,
    open_course,
)
from tests.workspace.bounds import TODAY_PAGE_QUERIES
from tests.workspace.registrations import VED_IKKE_RESULT

pytestmark = pytest.mark.django_db

ITEMS = [
    "registrations_needing_conversation",
    "registrations_awaiting_custody",
    "registrants_unreachable",
]


@pytest.fixture
def course(program_a):
    return open_course(program_a, capacity=30, title="Forår, Lejre")


def today(client):
    response = client.get(reverse("workspace:today"))
    assert response.status_code == 200
    return response.content.decode()


def item(html, key):
    start = html.index(f'id="item-{key}"')
    return html[start : html.index("</section>", start)]


def message_about(registration, status, channel="email"):
    return OutboxMessageFactory(
        organisation=registration.course.program.organisation,
        kind="registration_decision",
        channel=channel,
        status=status,
        related_type=ContentType.objects.get_for_model(Registration),
        related_id=registration.pk,
    )


def test_a_ved_ikke_registration_waits_for_a_conversation_one_click_from_its_page(
    client, coordinator_a, course
):
    review = RegistrationFactory(
        course=course,
        status="needs_review",
        participant__name="Xylofonia Hansen",
        eligibility_result=VED_IKKE_RESULT,
    )
    html = item(today(log_in(client, coordinator_a)), "registrations_needing_conversation")
    assert "Xylofonia Hansen – Forår, Lejre" in html
    assert reverse("workspace:registration", args=[review.pk]) in html
    assert "svaret er »ved ikke«" in html
    assert "Forsvinder, når du har truffet en beslutning" in html
    assert "Ingen har rørt den endnu" in html


def test_deciding_removes_the_registration_from_the_queue(client, coordinator_a, course):
    review = RegistrationFactory(course=course, status="needs_review")
    log_in(client, coordinator_a)
    assert 'id="item-registrations_needing_conversation"' in today(client)
    services.registration_decide(registration=review, status="accepted", user=coordinator_a)
    assert 'id="item-registrations_needing_conversation"' not in today(client)


def test_the_last_to_touch_it_is_the_latest_contact_log_entry(client, coordinator_a, course):
    review = RegistrationFactory(course=course, status="needs_review")
    colleague = CoordinatorFactory(first_name="Karla", last_name="Kollega")
    for user in [coordinator_a, colleague]:
        contact_log.contact_log_add(
            registration=review, kind="called", note="", day=timezone.localdate(), user=user
        )
    html = item(today(log_in(client, coordinator_a)), "registrations_needing_conversation")
    assert "Sidst rørt af Karla Kollega" in html


def test_without_a_contact_log_the_last_to_touch_it_is_who_decided(client, coordinator_a, course):
    decider = CoordinatorFactory(first_name="Dorte", last_name="Beslutter")
    RegistrationFactory(
        course=course,
        status="needs_review",
        decided_by=decider,
        decided_at=timezone.now() - datetime.timedelta(days=2),
    )
    html = item(today(log_in(client, coordinator_a)), "registrations_needing_conversation")
    assert "Sidst rørt af Dorte Beslutter" in html


def test_a_child_waiting_for_custody_holders_is_listed(client, coordinator_a, course):
    child = RegistrationFactory(
        course=course,
        status="awaiting_custody",
        participant__name="Lille Ludvig",
        hold_until=timezone.now() + datetime.timedelta(days=3),
    )
    html = item(today(log_in(client, coordinator_a)), "registrations_awaiting_custody")
    assert "Lille Ludvig" in html
    assert reverse("workspace:registration", args=[child.pk]) in html
    assert "Pladsen holdes til" in html
    assert "Forsvinder, når forældremyndigheden har bekræftet" in html


def test_unreachable_are_those_whose_every_message_failed(course, org_b):
    failed = RegistrationFactory(course=course)
    message_about(failed, OutboxMessage.Status.FAILED)
    both_failed = RegistrationFactory(course=course)
    message_about(both_failed, OutboxMessage.Status.FAILED)
    message_about(both_failed, OutboxMessage.Status.FAILED, channel="sms")
    sms_got_through = RegistrationFactory(course=course)
    message_about(sms_got_through, OutboxMessage.Status.FAILED)
    message_about(sms_got_through, OutboxMessage.Status.SENT, channel="sms")
    still_trying = RegistrationFactory(course=course)
    message_about(still_trying, OutboxMessage.Status.FAILED)
    message_about(still_trying, OutboxMessage.Status.PENDING, channel="sms")
    RegistrationFactory(course=course)  # nobody has written to them yet
    withdrawn = RegistrationFactory(course=course, status="withdrawn")
    message_about(withdrawn, OutboxMessage.Status.FAILED)

    found = selectors.registrants_unreachable(organisation_ids=[course.program.organisation_id])
    assert set(found) == {failed, both_failed}
    assert not selectors.registrants_unreachable(organisation_ids=[org_b.pk]).exists()


def test_the_unreachable_item_says_whom_to_ring(client, coordinator_a, course):
    failed = RegistrationFactory(
        course=course, participant__name="Ulla Uden Net", participant__phone="20304050"
    )
    message_about(failed, OutboxMessage.Status.FAILED)
    html = item(today(log_in(client, coordinator_a)), "registrants_unreachable")
    assert "Ulla Uden Net" in html and "Ring på 20 30 40 50" in html
    assert reverse("workspace:registration", args=[failed.pk]) in html
    assert "Forsvinder, når en besked om tilmeldingen er kommet frem" in html


def test_another_organisations_registrations_are_not_in_the_queue(client, coordinator_b, course):
    RegistrationFactory(course=course, status="needs_review", participant__name="Xylofonia")
    assert "Xylofonia" not in today(log_in(client, coordinator_b))


@pytest.mark.parametrize("size", [2, 20])
def test_the_queue_counts_and_lists_in_a_constant_number_of_queries(
    client, coordinator_a, course, django_assert_max_num_queries, size
):
    colleague = CoordinatorFactory()
    for n in range(size):
        review = RegistrationFactory(course=course, status="needs_review")
        contact_log.contact_log_add(
            registration=review, kind="called", note="", day=timezone.localdate(), user=colleague
        )
        RegistrationFactory(
            course=course,
            status="awaiting_custody",
            hold_until=timezone.now() + datetime.timedelta(days=n + 1),
        )
        message_about(RegistrationFactory(course=course), OutboxMessage.Status.FAILED)
    log_in(client, coordinator_a)
    # The whole page (sign-in, every app's items and sections) at both sizes.
    with django_assert_max_num_queries(TODAY_PAGE_QUERIES):
        html = today(client)
    shown = min(size, 8)  # rows per item; the badge counts them all
    assert html.count('href="/koordinator/tilmeldinger/') == 3 * shown
    for key in ITEMS:
        assert f'rounded-pill align-self-start">{size}<' in item(html, key)


@pytest.mark.parametrize("size", [2, 20])
def test_the_participants_items_take_three_queries_each_whatever_the_size(
    course, django_assert_max_num_queries, size
):
    for _n in range(size):
        review = RegistrationFactory(course=course, status="needs_review")
        contact_log.contact_log_add(
            registration=review,
            kind="called",
            note="",
            day=timezone.localdate(),
            user=CoordinatorFactory(),
        )
        message_about(RegistrationFactory(course=course), OutboxMessage.Status.FAILED)
    with django_assert_max_num_queries(9):
        items = participant_work_items(organisation_ids=[course.program.organisation_id])
    assert [found.count for found in items] == [size, 0, size]
