"""What volunteers holds about citizens: a participant's accompaniments and bridgings
(registered with participants.privacy) and a citizen's contact request: export on request,
anonymisation on request and by retention. A facilitator's data is volunteers/personal_data.py.

Retention (see peerprogram.privacy.retention for "due on"):
- a contact request is due `months_after_submission` after it came in; a matched one
  `months_after_course_end` after it was matched;
- for participants: an ongoing accompaniment keeps the citizen; an ended one keeps them
  `months_after_course_end` after it ended; a bridging the same after it was last updated.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.privacy import ParticipantExtension
from peerprogram.privacy import personal_data
from peerprogram.privacy.retention import add_months
from volunteers.models import Accompaniment, AccompanimentMeeting, Bridging, ContactRequest

# What volunteers holds about a participant (registered with participants.privacy).


def _participant_export(participant) -> list[dict]:
    accompaniments = Accompaniment.objects.filter(participant=participant).select_related("program")
    return [
        personal_data.export_section(
            "accompaniments",
            gettext_lazy("Følgeskab"),
            Accompaniment,
            accompaniments,
            # The peer is someone else; the citizen knows who it was.
            exclude=["participant", "peer"],
        ),
        personal_data.export_section(
            "accompaniment_meetings",
            gettext_lazy("Møder i følgeskab"),
            AccompanimentMeeting,
            AccompanimentMeeting.objects.filter(accompaniment__participant=participant),
        ),
        personal_data.export_section(
            "bridgings",
            gettext_lazy("Brobygning til foreninger"),
            Bridging,
            Bridging.objects.filter(participant=participant).select_related(
                "activity__association"
            ),
            exclude=["participant", "peer"],
        ),
    ]


def _participant_related(participant) -> dict:
    accompaniments = list(
        Accompaniment.objects.filter(participant=participant).values_list("pk", flat=True)
    )
    return {
        Accompaniment: accompaniments,
        AccompanimentMeeting: list(
            AccompanimentMeeting.objects.filter(accompaniment_id__in=accompaniments).values_list(
                "pk", flat=True
            )
        ),
        Bridging: list(
            Bridging.objects.filter(participant=participant).values_list("pk", flat=True)
        ),
    }


def _participant_anonymise(participant) -> None:
    AccompanimentMeeting.objects.filter(accompaniment__participant=participant).update(note="")


def _participant_keeps(participant_ids, policy) -> dict[int, list]:
    keeps = defaultdict(list)
    months = policy.months_after_course_end
    for participant_id, ended_on in Accompaniment.objects.filter(
        participant_id__in=participant_ids
    ).values_list("participant_id", "ended_on"):
        if ended_on is None:
            keeps[participant_id].append((None, ""))
        else:
            keeps[participant_id].append(
                (
                    add_months(ended_on, months),
                    _("følgeskab sluttede %(date)s") % {"date": personal_data.short_date(ended_on)},
                )
            )
    for participant_id, updated_on in Bridging.objects.filter(
        participant_id__in=participant_ids
    ).values_list("participant_id", "updated_on"):
        keeps[participant_id].append(
            (
                add_months(updated_on, months),
                _("brobygning opdateret %(date)s") % {"date": personal_data.short_date(updated_on)},
            )
        )
    return keeps


participant_extension = ParticipantExtension(
    name="volunteers",
    export=_participant_export,
    related=_participant_related,
    anonymise=_participant_anonymise,
    keeps=_participant_keeps,
)


# Contact requests from citizens.


def contact_requests_due(organisation, policy, today: datetime.date) -> list[ContactRequest]:
    due = []
    for request in ContactRequest.objects.filter(
        organisation=organisation, anonymised_at__isnull=True
    ).order_by("pk"):
        if request.status == ContactRequest.Status.MATCHED and request.matched_at:
            since = timezone.localdate(request.matched_at)
            due_on = add_months(since, policy.months_after_course_end)
            reason = _("matchet %(date)s") % {"date": personal_data.short_date(since)}
        else:
            since = timezone.localdate(request.created_at)
            due_on = add_months(since, policy.months_after_submission)
            reason = _("modtaget %(date)s") % {"date": personal_data.short_date(since)}
        if due_on <= today:
            request.retention_due_on = due_on
            request.retention_reason = reason
            due.append(request)
    return due


@transaction.atomic
def contact_request_anonymise(contact_request: ContactRequest) -> bool:
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    if contact_request.anonymised_at is not None:
        return False
    related = {ContactRequest: [contact_request.pk]}
    personal_data.outbox_scrub(
        personal_data.outbox_about(
            organisation=contact_request.organisation,
            related=related,
            addresses=[contact_request.email, contact_request.phone],
        )
    )
    # A first name alone is too common to search the admin history for.
    personal_data.admin_log_scrub(related=related)
    ContactRequest.objects.filter(pk=contact_request.pk).update(
        first_name=personal_data.ANONYMISED_NAME, email="", phone="", anonymised_at=timezone.now()
    )
    return True


def contact_requests_population(organisation) -> int:
    return ContactRequest.objects.filter(
        organisation=organisation, anonymised_at__isnull=True
    ).count()
