"""Accompaniment (følgeskab): rules, services and the notice before one ends.

The rules coordinators rely on, in one place, called alike by the services below, the admin
forms and the daily notice:

- a peer accompanies only when marked as giving accompaniment, trained or active, signed the
  organisation's current confidentiality declaration, and of the programme's organisation
  (`peer_problems` in volunteers/qualification.py, shared with contact requests and bridging);
- the citizen belongs to the same organisation and has at most one ongoing accompaniment;
- accompaniment is started only in a programme that offers it (`accompaniment_offered_problems`:
  the programme's own flag, not its limit);
- where the programme sets a limit (its own design, e.g. Håb og selvbestemmelse's six months;
  no law sets one), an accompaniment lasts at most that, counted in calendar months from the
  start with `add_months`; without a limit there is no cap, and the planned end is agreed
  for each accompaniment;
- ending before the planned end needs a reason.

Each rule function returns every problem, in plain Danish, keyed by the form field it is
about; an empty dict means the change is fine. Contact requests and bridging into associations
follow the same pattern in volunteers/bridging.py.
"""

import datetime
from collections import defaultdict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Program
from participants.models import Participant
from peerprogram.outbox.kinds import send_all
from volunteers.message_kinds import AccompanimentEnding
from volunteers.models import Accompaniment, AccompanimentMeeting, AccompanimentQuerySet, Peer
from volunteers.qualification import add_months, peer_problems

ENDING_NOTICE_DAYS = 14
# Shown where an accompaniment is recorded (the admin) and to peers who accompany (the portal,
# volunteers/includes/not_a_party.html, same words).
NOT_A_PARTY = gettext_lazy(
    "Peers er hverken bisiddere eller part i borgerens sag: de følger borgeren som "
    "medmennesker med egne erfaringer og taler ikke på borgerens vegne over for myndigheder."
)

Problems = dict[str, list[str]]


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _problems() -> Problems:
    return defaultdict(list)


def _found(problems: Problems) -> Problems:
    return {field: found for field, found in problems.items() if found}


def accompaniment_offered_problems(program: Program) -> list[str]:
    """The rule "an accompaniment may be started in this programme": it offers accompaniment."""
    if program.offers_accompaniment:
        return []
    return [_("%(program)s tilbyder ikke følgeskab.") % {"program": program.name}]


def accompaniment_latest_end(program: Program, starts_on: datetime.date) -> datetime.date | None:
    """The last day an accompaniment starting on `starts_on` may run; None when the programme
    sets no limit."""
    if not program.accompaniment_limit_months:
        return None
    return add_months(starts_on, program.accompaniment_limit_months)


def accompaniment_problems(
    *,
    peer: Peer | None,
    participant: Participant | None,
    program: Program | None,
    starts_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    pk: int | None = None,
    check_peer: bool = True,
    today: datetime.date | None = None,
) -> Problems:
    """Every reason the accompaniment described may not be saved, keyed by field.

    The peer and whether the programme offers accompaniment are checked when the
    accompaniment starts or changes peer or programme (`check_peer`), not when it ends: a peer
    who has stopped, or not yet signed a new declaration, can still be recorded as having
    ended an accompaniment.
    """
    today = today or timezone.localdate()
    problems = _problems()
    if program is None or starts_on is None:
        return {}  # the form already says these are required
    months = program.accompaniment_limit_months
    latest_end = accompaniment_latest_end(program, starts_on)
    if check_peer:
        # Starting, or moving to another programme; one that stopped offering accompaniment
        # still lets its running ones be ended and corrected.
        problems["program"] += accompaniment_offered_problems(program)
    if planned_end_on is None and latest_end is None:
        problems["planned_end_on"].append(
            _("%(program)s har ingen fast grænse for følgeskab: angiv en planlagt slutdato.")
            % {"program": program.name}
        )
    if peer is not None and check_peer:
        problems["peer"] += peer_problems(
            peer, program.organisation, accompanying=True, today=today
        )
    if participant is not None:
        if participant.organisation_id != program.organisation_id:
            problems["participant"].append(
                _("Borgeren hører til en anden organisation end programmet.")
            )
        ongoing = Accompaniment.objects.ongoing().filter(participant=participant).exclude(pk=pk)
        if ended_on is None and (other := ongoing.select_related("peer").first()):
            problems["participant"].append(
                _("Borgeren har allerede et igangværende følgeskab med %(name)s.")
                % {"name": other.peer.name}
            )
    if planned_end_on is not None:
        if planned_end_on <= starts_on:
            problems["planned_end_on"].append(
                _("Den planlagte slutdato skal ligge efter startdatoen.")
            )
        elif latest_end is not None and planned_end_on > latest_end:
            problems["planned_end_on"].append(
                _(
                    "Følgeskab i %(program)s varer højst %(months)d måneder: den planlagte "
                    "slutdato må senest være %(date)s."
                )
                % {"program": program.name, "months": months, "date": _day(latest_end)}
            )
    if ended_on is None:
        if end_reason:
            problems["ended_on"].append(
                _("Angiv hvornår følgeskabet sluttede, eller fjern årsagen til afslutningen.")
            )
        return _found(problems)
    if ended_on < starts_on:
        problems["ended_on"].append(_("Følgeskabet kan ikke slutte, før det er startet."))
    elif latest_end is not None and ended_on > latest_end:
        problems["ended_on"].append(
            _(
                "Følgeskab i %(program)s varer højst %(months)d måneder og skal slutte "
                "senest %(date)s."
            )
            % {"program": program.name, "months": months, "date": _day(latest_end)}
        )
    if ended_on > today:
        problems["ended_on"].append(
            _("Slutdatoen kan ikke ligge i fremtiden. Afslut følgeskabet, når det er slut.")
        )
    if (
        planned_end_on is not None
        and ended_on < planned_end_on
        and end_reason in ("", Accompaniment.EndReason.COMPLETED)
    ):
        problems["end_reason"].append(
            _(
                "Følgeskabet slutter før den planlagte dato (%(date)s): vælg, hvorfor det "
                "stopper før tid."
            )
            % {"date": _day(planned_end_on)}
        )
    return _found(problems)


def default_end_reason(
    *, ended_on: datetime.date | None, planned_end_on: datetime.date | None, end_reason: str
) -> str:
    """An accompaniment that ran its planned course needs no reason given: it was completed."""
    if ended_on and not end_reason and planned_end_on and ended_on >= planned_end_on:
        return Accompaniment.EndReason.COMPLETED
    return end_reason


def _raise(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def accompaniment_start(
    *,
    peer: Peer,
    participant: Participant,
    program: Program,
    starts_on: datetime.date,
    planned_end_on: datetime.date | None = None,
    user: User | None = None,
    today: datetime.date | None = None,
) -> Accompaniment:
    """Start an accompaniment; the planned end defaults to the programme's limit."""
    planned_end = (
        accompaniment_latest_end(program, starts_on) if planned_end_on is None else planned_end_on
    )
    _raise(
        accompaniment_problems(
            peer=peer,
            participant=participant,
            program=program,
            starts_on=starts_on,
            planned_end_on=planned_end,
            today=today,
        )
    )
    # accompaniment_problems asked for a planned end where the programme gives none.
    assert planned_end is not None
    try:
        with transaction.atomic():
            return Accompaniment.objects.create(
                peer=peer,
                participant=participant,
                program=program,
                starts_on=starts_on,
                planned_end_on=planned_end,
                created_by=user,
            )
    except IntegrityError as error:
        # Someone started one for the same citizen a moment ago.
        raise ValidationError(
            {"participant": [_("Borgeren har allerede et igangværende følgeskab.")]}
        ) from error


@transaction.atomic
def accompaniment_end(
    *,
    accompaniment: Accompaniment,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    today: datetime.date | None = None,
) -> Accompaniment:
    """End an ongoing accompaniment; ending before the planned end needs a reason."""
    today = today or timezone.localdate()
    accompaniment = (
        Accompaniment.objects.select_for_update()
        .select_related("peer", "participant", "program__organisation")
        .get(pk=accompaniment.pk)
    )
    if accompaniment.ended_on is not None:
        raise ValidationError(
            {
                "ended_on": [
                    _("Følgeskabet er allerede afsluttet (%(date)s).")
                    % {"date": _day(accompaniment.ended_on)}
                ]
            }
        )
    ended_on = ended_on or today
    end_reason = default_end_reason(
        ended_on=ended_on, planned_end_on=accompaniment.planned_end_on, end_reason=end_reason
    )
    _raise(
        accompaniment_problems(
            peer=accompaniment.peer,
            participant=accompaniment.participant,
            program=accompaniment.program,
            starts_on=accompaniment.starts_on,
            planned_end_on=accompaniment.planned_end_on,
            ended_on=ended_on,
            end_reason=end_reason,
            pk=accompaniment.pk,
            check_peer=False,
            today=today,
        )
    )
    accompaniment.ended_on = ended_on
    accompaniment.end_reason = end_reason
    accompaniment.save(update_fields=["ended_on", "end_reason"])
    return accompaniment


@transaction.atomic
def accompaniment_update(
    *,
    accompaniment: Accompaniment,
    peer: Peer,
    participant: Participant,
    program: Program,
    starts_on: datetime.date,
    planned_end_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    today: datetime.date | None = None,
) -> Accompaniment:
    """Correct a recorded accompaniment (peer, citizen, dates, how it ended) under the same
    rules as starting and ending it; the peer is checked again only when the peer or the
    programme changes, so a peer who has since stopped does not block a correction."""
    accompaniment = Accompaniment.objects.select_for_update().get(pk=accompaniment.pk)
    planned_end = (
        accompaniment_latest_end(program, starts_on) if planned_end_on is None else planned_end_on
    )
    end_reason = default_end_reason(
        ended_on=ended_on, planned_end_on=planned_end, end_reason=end_reason
    )
    _raise(
        accompaniment_problems(
            peer=peer,
            participant=participant,
            program=program,
            starts_on=starts_on,
            planned_end_on=planned_end,
            ended_on=ended_on,
            end_reason=end_reason,
            pk=accompaniment.pk,
            check_peer=(peer.pk, program.pk) != (accompaniment.peer_id, accompaniment.program_id),
            today=today,
        )
    )
    accompaniment.peer = peer
    accompaniment.participant = participant
    accompaniment.program = program
    accompaniment.starts_on = starts_on
    assert planned_end is not None  # as in accompaniment_start
    accompaniment.planned_end_on = planned_end
    accompaniment.ended_on = ended_on
    accompaniment.end_reason = end_reason
    try:
        with transaction.atomic():
            accompaniment.save()
    except IntegrityError as error:
        raise ValidationError(
            {"participant": [_("Borgeren har allerede et igangværende følgeskab.")]}
        ) from error
    return accompaniment


def meeting_problems(accompaniment: Accompaniment, day: datetime.date | None) -> list[str]:
    """A meeting belongs inside the accompaniment's period."""
    if day is None or accompaniment.starts_on is None:
        return []
    last = accompaniment.ended_on or accompaniment.planned_end_on
    if day < accompaniment.starts_on or (last is not None and day > last):
        return [
            _("Mødet ligger uden for følgeskabets periode (%(start)s–%(end)s).")
            % {"start": _day(accompaniment.starts_on), "end": _day(last) if last else "…"}
        ]
    return []


def accompaniment_meeting_add(
    *, accompaniment: Accompaniment, date: datetime.date, kind: str, note: str = ""
) -> AccompanimentMeeting:
    """Record a meeting of an accompaniment; it must lie inside the accompaniment's period."""
    if problems := meeting_problems(accompaniment, date):
        raise ValidationError({"date": problems})
    meeting = AccompanimentMeeting(accompaniment=accompaniment, date=date, kind=kind, note=note)
    meeting.full_clean()
    meeting.save()
    return meeting


def accompaniment_meeting_update(
    *, meeting: AccompanimentMeeting, date: datetime.date, kind: str, note: str = ""
) -> AccompanimentMeeting:
    """Correct a recorded meeting under the same rules as recording it."""
    if problems := meeting_problems(meeting.accompaniment, date):
        raise ValidationError({"date": problems})
    meeting.date, meeting.kind, meeting.note = date, kind, note
    meeting.full_clean()
    meeting.save()
    return meeting


def accompaniment_meeting_delete(*, meeting: AccompanimentMeeting) -> None:
    """Remove a meeting recorded by mistake; nothing else refers to a meeting."""
    meeting.delete()


def accompaniments_ending(
    *, accompaniments: AccompanimentQuerySet, today: datetime.date
) -> AccompanimentQuerySet:
    """The ongoing ones of `accompaniments` whose planned end lies within
    `ENDING_NOTICE_DAYS` from `today`, soonest first: the peer and the citizen are told
    (`accompaniments_ending_notify`), and coordinators see them in the work queue and the
    admin's filter "Slutter inden for 14 dage"."""
    return (
        accompaniments.ongoing()
        .filter(
            planned_end_on__gte=today,
            planned_end_on__lte=today + datetime.timedelta(days=ENDING_NOTICE_DAYS),
        )
        .order_by("planned_end_on", "pk")
    )


def accompaniments_ending_notify(*, today: datetime.date | None = None) -> int:
    """Tell the peer and the citizen when an ongoing accompaniment ends within 14 days.

    Safe to run daily, or twice at once: each (accompaniment, planned end, person) is told
    once; a planned end that moves gives a fresh notice. Returns the number of messages queued.
    """
    today = today or timezone.localdate()
    due = accompaniments_ending(
        accompaniments=Accompaniment.objects.all(), today=today
    ).select_related("peer__organisation", "participant", "program")
    return send_all(
        AccompanimentEnding(accompaniment=accompaniment, for_peer=for_peer)
        for accompaniment in due
        for for_peer in (True, False)
    )
