"""The contact log on the registration page: a coordinator notes a call, no answer or an
agreement, with the date and who; bad input changes nothing; and as personal data it is in
the person's export and goes with retention and erasure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participants import contact_log, privacy
from participants.models import ContactLogEntry, Registration
from peerprogram.privacy import retention
from tests.conftest import log_in
from tests.factories import RegistrationFactory, open_course
from tests.peerprogram.test_retention import COURSE_END, DUE, course_ending, registered

pytestmark = pytest.mark.django_db

NOTE = "Hun ringer tilbage efter kl. 15."


@pytest.fixture
def review(program_a):
    return RegistrationFactory(
        course=open_course(program_a), status="needs_review", participant__name="Xylofonia"
    )


@pytest.fixture
def coordinator(client, coordinator_a):
    coordinator_a.first_name, coordinator_a.last_name = "Kirsten", "Koordinator"
    coordinator_a.save()
    return log_in(client, coordinator_a)


def url(registration):
    return reverse("workspace:registration", args=[registration.pk])


def test_a_coordinator_notes_a_call_with_the_date_and_who(coordinator, coordinator_a, review):
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = coordinator.post(
        url(review), {"kind": "no_answer", "note": NOTE, "day": day.isoformat()}
    )
    assert response.status_code == 302
    entry = ContactLogEntry.objects.get()
    assert (entry.registration, entry.kind, entry.note, entry.day, entry.user) == (
        review,
        "no_answer",
        NOTE,
        day,
        coordinator_a,
    )
    html = coordinator.get(url(review)).content.decode()
    assert "Kontakten er skrevet i loggen." in html
    assert "Intet svar" in html and NOTE in html and "Kirsten Koordinator" in html


def test_the_date_defaults_to_today(coordinator, review):
    html = coordinator.get(url(review)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_a_date_in_the_future_is_refused_and_the_form_comes_back_filled_in(coordinator, review):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = coordinator.post(
        url(review), {"kind": "agreed", "note": NOTE, "day": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datoen ligger i fremtiden." in html
    assert NOTE in html
    assert not ContactLogEntry.objects.exists()


def test_an_unknown_kind_is_refused(coordinator, review):
    response = coordinator.post(
        url(review), {"kind": "emailed_the_mayor", "day": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert not ContactLogEntry.objects.exists()


def test_another_organisations_coordinator_cannot_write_in_the_log(client, coordinator_b, review):
    log_in(client, coordinator_b)
    response = client.post(url(review), {"kind": "called", "day": timezone.localdate().isoformat()})
    assert response.status_code == 404
    assert not ContactLogEntry.objects.exists()


def test_the_page_writes_through_the_service_once(coordinator, review, monkeypatch):
    seen = []
    original = contact_log.contact_log_add

    def wrapper(**kwargs):
        seen.append(kwargs["kind"])
        return original(**kwargs)

    monkeypatch.setattr(contact_log, "contact_log_add", wrapper)
    coordinator.post(url(review), {"kind": "called", "day": timezone.localdate().isoformat()})
    assert seen == ["called"]


def test_the_persons_export_holds_their_contact_log(review, coordinator_a):
    contact_log.contact_log_add(
        registration=review,
        kind="agreed",
        note=NOTE,
        day=timezone.localdate(),
        user=coordinator_a,
    )
    export = privacy.participant_export(review.participant)
    [section] = [s for s in export["sections"] if s["key"] == "contact_log"]
    [record] = section["records"]
    assert record["kind"] == "Aftalt" and record["note"] == NOTE
    assert record["user"] == f"medarbejder #{coordinator_a.pk}"
    assert section["labels"]["note"] == "note"


def test_erasing_the_person_deletes_their_contact_log_and_the_message_to_them(
    client, coordinator_a, review, program_a
):
    other = RegistrationFactory(course=review.course)
    for registration in [review, other]:
        contact_log.contact_log_add(
            registration=registration,
            kind="called",
            note=NOTE,
            day=timezone.localdate(),
            user=coordinator_a,
        )
    Registration.objects.filter(pk=review.pk).update(decision_message="Vi ses tirsdag.")
    log_in(client, coordinator_a)
    erase = reverse("admin:participants_participant_erase", args=[review.participant_id])
    assert client.post(erase, {"confirm": "on"}).status_code == 302
    assert list(ContactLogEntry.objects.values_list("registration", flat=True)) == [other.pk]
    review.refresh_from_db()
    assert review.decision_message == ""


def test_retention_deletes_the_contact_log_with_the_person(program_a, org_a, coordinator_a):
    policy = retention.policy_for(org_a)
    policy.max_share_per_run = 100  # no safety stop: this is about what goes
    policy.save()
    registration = registered(course_ending(program_a, COURSE_END))
    contact_log.contact_log_add(
        registration=registration,
        kind="agreed",
        note=NOTE,
        day=COURSE_END,
        user=coordinator_a,
    )
    retention.run(DUE)
    assert not ContactLogEntry.objects.exists()


def test_the_registration_admin_shows_the_contact_log_to_read(client, coordinator_a, review):
    contact_log.contact_log_add(
        registration=review, kind="agreed", note=NOTE, day=timezone.localdate(), user=coordinator_a
    )
    log_in(client, coordinator_a)
    url = reverse("admin:participants_registration_change", args=[review.pk])
    html = client.get(url).content.decode()
    assert NOTE in html and "Aftalt" in html
    assert 'name="contact_log-0-note"' not in html  # read only
