"""A participant's data: export on request, anonymisation on request and by retention.

Anonymising keeps what the figures need and removes who it was:
- the participant: name becomes "Anonymiseret", e-mail and phone are emptied, the birth date
  becomes 1 July of the birth year (age bands still work), SMS consent is withdrawn;
- registrations keep course, status, dates, seat and dropout judgement; the eligibility
  answers, the reasons given, the guardian's name and contact, the coordinator's note and
  message go, and their personal status links are deleted;
- the contact log of their registrations (calls, agreements) is deleted;
- attendance stays as it is;
- outbox messages to them or naming them lose text and addresses (unsent ones are dropped),
  and Django's admin history of their records keeps only neutral labels.

Higher layers that hold more about a participant (volunteers: accompaniment, bridging)
give a `ParticipantExtension` through the hook `peerprogram.hooks.participant_extensions`.

Retention (see peerprogram.privacy.retention for "due on"): a participant is due when
everything that keeps them is due:
- a registration that had a seat (accepted, completed, dropped out, or accepted before it was
  given up): `months_after_course_end` after the course's last session that was held (or its
  last session, or its first date, for a course with none);
- any other registration (declined, withdrawn, waitlisted, not yet decided):
  `months_after_submission` after it was made; one still waiting also not before its course
  has ended;
- what extensions keep (an ongoing accompaniment keeps the person indefinitely);
- a participant with none of these: `months_after_submission` after the row was created.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Course, Session
from participants.models import (
    Attendance,
    ContactLogEntry,
    Participant,
    Registration,
    StatusLink,
)
from peerprogram import hooks
from peerprogram.models import ErasureRecord
from peerprogram.privacy import personal_data
from peerprogram.privacy.retention import add_months


@dataclass(frozen=True)
class ParticipantExtension:
    """What a higher layer holds about a participant.

    - `export(participant)`: sections for the export
      (`peerprogram.privacy.personal_data.export_section`);
    - `related(participant)`: {model: ids} of its rows about them (outbox and admin history);
    - `anonymise(participant)`: remove free text from those rows;
    - `keeps(participant_ids, policy)`: {participant id: [(due_on or None, reason), …]}; None
      keeps them for now (something is still going on).
    """

    name: str
    export: Callable
    related: Callable
    anonymise: Callable
    keeps: Callable


def _extensions() -> list[ParticipantExtension]:
    return hooks.answers(hooks.participant_extensions)


# Retention.


def course_end_dates(course_ids) -> dict[int, datetime.date]:
    """The day each course ended (or will end): its last held session, else its last session,
    else its first date."""
    ends = {}
    for pk, last_held, last_any, first_date in (
        Course.objects.filter(pk__in=course_ids)
        .annotate(
            last_held=Max(
                "sessions__ends_at", filter=~Q(sessions__status=Session.Status.CANCELLED)
            ),
            last_any=Max("sessions__ends_at"),
        )
        .values_list("pk", "last_held", "last_any", "first_date")
    ):
        last = last_held or last_any
        ends[pk] = timezone.localdate(last) if last else first_date
    return ends


def _registration_keeps(registration, course_end, policy) -> tuple[datetime.date, str]:
    if Registration.seat_given(
        status=registration["status"], accepted_at=registration["accepted_at"]
    ):
        return (
            add_months(course_end, policy.months_after_course_end),
            _("sidste forløb sluttede %(date)s") % {"date": personal_data.short_date(course_end)},
        )
    submitted = timezone.localdate(registration["created_at"])
    due = add_months(submitted, policy.months_after_submission)
    if registration["status"] in Registration.LIVE:
        due = max(due, course_end)
    return due, _("tilmeldt %(date)s") % {"date": personal_data.short_date(submitted)}


def participant_due_dates(participants, policy) -> dict[int, tuple[datetime.date | None, str]]:
    """For each participant of a queryset: the day they are due (None: not while something
    goes on), and what decides it, in Danish. A few queries however many participants."""
    ids = participants.values("pk")
    participants = list(participants.only("pk", "created_at"))
    keeps: dict[int, list] = defaultdict(list)
    registrations = list(
        Registration.objects.filter(participant_id__in=ids).values(
            "participant_id", "course_id", "status", "accepted_at", "created_at"
        )
    )
    ends = course_end_dates({r["course_id"] for r in registrations})
    for registration in registrations:
        keeps[registration["participant_id"]].append(
            _registration_keeps(registration, ends[registration["course_id"]], policy)
        )
    for extension in _extensions():
        for pk, found in extension.keeps(ids, policy).items():
            keeps[pk].extend(found)
    due_dates = {}
    for participant in participants:
        found = keeps[participant.pk]
        if not found:
            created = timezone.localdate(participant.created_at)
            found = [
                (
                    add_months(created, policy.months_after_submission),
                    _("oprettet %(date)s") % {"date": personal_data.short_date(created)},
                )
            ]
        if any(due is None for due, _reason in found):
            due_dates[participant.pk] = (None, "")
        else:
            due_dates[participant.pk] = max(found, key=lambda pair: pair[0])
    return due_dates


def participants_due(organisation, policy, today: datetime.date) -> list[Participant]:
    held = Participant.objects.filter(organisation=organisation, anonymised_at__isnull=True)
    dates = participant_due_dates(held, policy)
    due = []
    for participant in held.only("pk").order_by("pk"):
        due_on, reason = dates.get(participant.pk, (None, ""))  # None: registered just now
        if due_on is not None and due_on <= today:
            participant.retention_due_on = due_on
            participant.retention_reason = reason
            due.append(participant)
    return due


def participants_population(organisation) -> int:
    return Participant.objects.filter(organisation=organisation, anonymised_at__isnull=True).count()


# Export and anonymisation of one person.


def _related(participant, registrations) -> dict:
    related = {
        Participant: [participant.pk],
        Registration: [r.pk for r in registrations],
        ContactLogEntry: list(
            ContactLogEntry.objects.filter(registration__in=registrations).values_list(
                "pk", flat=True
            )
        ),
    }
    for extension in _extensions():
        for model, ids in extension.related(participant).items():
            related.setdefault(model, [])
            related[model] = [*related[model], *ids]
    return related


def participant_export(participant: Participant) -> dict:
    """Everything held about the participant, and nothing about anyone else."""
    registrations = list(
        Registration.objects.filter(participant=participant).select_related("course__program")
    )
    attendance = Attendance.objects.filter(registration__participant=participant).select_related(
        "session__course", "registration"
    )
    contact_log = ContactLogEntry.objects.filter(
        registration__participant=participant
    ).select_related("registration")
    sections = [
        personal_data.export_section(
            "participant",
            gettext_lazy("Deltager"),
            Participant,
            [participant],
            exclude=["organisation"],
        ),
        personal_data.export_section(
            "registrations",
            gettext_lazy("Tilmeldinger"),
            Registration,
            registrations,
            exclude=["participant"],
        ),
        personal_data.export_section(
            "attendance",
            gettext_lazy("Fremmøde"),
            Attendance,
            attendance.order_by("session__starts_at"),
        ),
        personal_data.export_section(
            "contact_log",
            gettext_lazy("Kontaktlog"),
            ContactLogEntry,
            contact_log.order_by("day", "created_at", "pk"),
        ),
    ]
    for extension in _extensions():
        sections += extension.export(participant)
    messages = personal_data.outbox_to(
        organisation=participant.organisation,
        related={Participant: [participant.pk], Registration: [r.pk for r in registrations]},
        recipient_keys=[f"participant:{participant.pk}"],
    ).order_by("created_at", "pk")
    sections.append(personal_data.messages_section(messages))
    return personal_data.export_document(
        kind="participant",
        obj=participant,
        organisation=participant.organisation,
        sections=sections,
    )


@transaction.atomic
def participant_anonymise(participant: Participant, *, user=None) -> bool:
    """Anonymise the participant (see the module docstring). With `user`, it was a request,
    and an erasure record names who did it. Returns False if it was already done."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=participant.pk)
    )
    if participant.anonymised_at is not None:
        return False
    organisation = participant.organisation
    registrations = list(Registration.objects.filter(participant=participant))
    related = _related(participant, registrations)
    personal_data.outbox_scrub(
        personal_data.outbox_about(
            organisation=organisation,
            related=related,
            recipient_keys=[f"participant:{participant.pk}"],
            addresses=[participant.email, participant.phone]
            + [r.guardian_email for r in registrations]
            + [r.guardian_phone for r in registrations]
            + [r.second_guardian_email for r in registrations]
            + [r.second_guardian_phone for r in registrations],
            names=[participant.name]
            + [r.guardian_name for r in registrations]
            + [r.second_guardian_name for r in registrations],
        )
    )
    # Participants and registrations print without names ("Deltager #12"), so their own rows
    # are enough here.
    personal_data.admin_log_scrub(related=related)
    for registration in registrations:
        outcome = registration.eligibility_result.get("outcome")
        registration.eligibility_answers = {}
        registration.eligibility_result = {"outcome": outcome} if outcome else {}
        registration.guardian_name = ""
        registration.guardian_email = ""
        registration.guardian_phone = ""
        registration.second_guardian_name = ""
        registration.second_guardian_email = ""
        registration.second_guardian_phone = ""
        registration.decision_note = ""
        registration.decision_message = ""
    Registration.objects.bulk_update(
        registrations,
        [
            "eligibility_answers",
            "eligibility_result",
            "guardian_name",
            "guardian_email",
            "guardian_phone",
            "second_guardian_name",
            "second_guardian_email",
            "second_guardian_phone",
            "decision_note",
            "decision_message",
        ],
    )
    StatusLink.objects.filter(registration__in=registrations).delete()
    ContactLogEntry.objects.filter(registration__in=registrations).delete()
    for extension in _extensions():
        extension.anonymise(participant)
    Participant.objects.filter(pk=participant.pk).update(
        name=personal_data.ANONYMISED_NAME,
        email="",
        phone="",
        birth_date=datetime.date(participant.birth_date.year, 7, 1),
        sms_opt_in=False,
        anonymised_at=timezone.now(),
    )
    participant.refresh_from_db()
    if user is not None:
        personal_data.erasure_recorded(
            user=user,
            kind=ErasureRecord.Kind.PARTICIPANT,
            obj=participant,
            organisation=organisation,
        )
    return True


# The readable copy of an export.
