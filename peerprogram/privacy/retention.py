"""Retention: personal data is anonymised once an organisation's periods have passed.

The kinds of records that hold people (participants, facilitators, contact requests) are
sources that higher layers give through the hook `peerprogram.hooks.retention_sources`; this
module knows none of them. For one organisation, `plan()` lists exactly what is due on a day,
and `run()` hands exactly that list to each source's anonymiser — unless the list is larger
than the policy's `max_share_per_run` of the people the organisation holds data on: then
nothing is touched, the coordinators are told through the outbox, and a warning is logged.

When is a record due? A period that ends on day D with N months is due on `add_months(D, N)`
(the same day of the month N months later, or that month's last day when it is shorter:
31 August + 6 months = 28 February, or 29 in a leap year). The first run on or after that day
anonymises it; the day before, it is left alone.

Runs are safe to repeat: anonymised records are not due again, so a second run the same day
finds nothing. Each run leaves a `RetentionRun` row with counts per source, never names.

A stopped run is resolved by an organisation admin on the dry run page: they approve the list
shown there (`Approval`, carrying the plan's `fingerprint`), and `organisation_run` then
anonymises exactly that list despite the stop — or, if the list has changed meanwhile,
nothing — and records who approved it on the run.
"""

import calendar
import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerprogram import hooks
from peerprogram.audit import trail
from peerprogram.message_kinds import RetentionStopped
from peerprogram.models import Organisation, RetentionPolicy, RetentionRun
from peerprogram.privacy.personal_data import short_date

logger = logging.getLogger(__name__)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later (or earlier), or that month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class RetentionSource:
    """A kind of record that holds people.

    - `due(organisation, policy, today)`: the records of the organisation due on `today`, each
      with `retention_due_on` and `retention_reason` (a short text with no personal data);
    - `anonymise(item)`: anonymise one record;
    - `population(organisation)`: how many of these records still hold personal data.
    """

    name: str
    label: str
    due: Callable
    anonymise: Callable
    population: Callable


def retention_sources() -> list[RetentionSource]:
    """Every source, in the order the receivers of the hook gave them."""
    sources = [source for found in hooks.answers(hooks.retention_sources) for source in found]
    names = [source.name for source in sources]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"Two retention sources share a name: {names}")
    return sources


def policy_for(organisation: Organisation) -> RetentionPolicy:
    """The organisation's policy; while it has none saved, the defaults, unsaved — reading a
    policy (the list, the dry run, the nightly run) never creates one."""
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    return policy or RetentionPolicy(organisation=organisation)


@dataclass
class SourcePlan:
    source: RetentionSource
    items: list

    @property
    def labels(self) -> list[str]:
        """Neutral labels for the dry run: "Deltager #12 – tilmeldt 3.2.2026 (udløb …)"."""
        return [
            _("%(label)s – %(reason)s (udløb %(due)s)")
            % {
                "label": trail.label(item),
                "reason": item.retention_reason,
                "due": short_date(item.retention_due_on),
            }
            for item in self.items
        ]

    @property
    def ids(self) -> list[int]:
        return [item.pk for item in self.items]


@dataclass
class Plan:
    """What a run on `today` would anonymise for one organisation."""

    organisation: Organisation
    policy: RetentionPolicy
    today: datetime.date
    population: int
    sources: list[SourcePlan] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(source.items) for source in self.sources)

    @property
    def counts(self) -> dict[str, int]:
        return {source.source.name: len(source.items) for source in self.sources}

    @property
    def share(self) -> float:
        """The share of the organisation's people the run would anonymise, in percent."""
        return 100 * self.total / self.population if self.population else 0.0

    @property
    def stops(self) -> bool:
        """The safety stop: more than the policy's share of the people at once."""
        return self.total * 100 > self.policy.max_share_per_run * self.population

    @property
    def fingerprint(self) -> str:
        """A digest of exactly which records the plan anonymises (and nothing about whom), so
        that an approval given for one list applies to that list only."""
        items = sorted([source.source.name, pk] for source in self.sources for pk in source.ids)
        content = json.dumps([self.organisation.pk, items]).encode()
        return hashlib.sha256(content).hexdigest()


def plan(organisation: Organisation, today: datetime.date | None = None) -> Plan:
    """Exactly what the next run would anonymise for the organisation, per source."""
    today = today or timezone.localdate()
    policy = policy_for(organisation)
    sources = retention_sources()
    return Plan(
        organisation=organisation,
        policy=policy,
        today=today,
        population=sum(source.population(organisation) for source in sources),
        sources=[
            SourcePlan(source=source, items=list(source.due(organisation, policy, today)))
            for source in sources
        ],
    )


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    dry_run: bool
    stopped: bool
    anonymised: dict[str, list[int]]


@dataclass(frozen=True)
class Approval:
    """An organisation admin's approval of one run beyond the safety stop: the fingerprint of
    the plan they were shown (`Plan.fingerprint`), and who they are."""

    fingerprint: str
    user: Any


def organisation_run(
    organisation: Organisation,
    today: datetime.date | None = None,
    *,
    dry_run: bool = False,
    approval: Approval | None = None,
) -> Outcome:
    """Plan, check the safety stop, and anonymise exactly the planned records.

    With an `approval`, the safety stop is lifted for this run if the plan is still the one
    approved; if it differs, a ValidationError (in Danish) and nothing is anonymised.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        if approval is not None:
            # One approval at a time: a second one then finds the list changed (done).
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        the_plan = plan(organisation, today)
        if dry_run:
            return Outcome(plan=the_plan, dry_run=True, stopped=the_plan.stops, anonymised={})
        if approval is not None and approval.fingerprint != the_plan.fingerprint:
            raise ValidationError(
                _(
                    "Listen over hvem der anonymiseres, har ændret sig, siden du så den. Intet "
                    "er anonymiseret. Se den nye liste igennem, og godkend igen, hvis den er "
                    "rigtig."
                )
            )
        stopped = the_plan.stops and approval is None
        if stopped:
            logger.warning(
                "Retention stopped for organisation %s: %s of %s people due (%.0f %%, limit %s %%)",
                organisation.pk,
                the_plan.total,
                the_plan.population,
                the_plan.share,
                the_plan.policy.max_share_per_run,
            )
            RetentionStopped(plan=the_plan).send()
            anonymised = {}
        else:
            anonymised = {}
            for source_plan in the_plan.sources:
                for item in source_plan.items:
                    source_plan.source.anonymise(item)
                anonymised[source_plan.source.name] = source_plan.ids
            logger.info(
                "Retention for organisation %s%s: %s",
                organisation.pk,
                f" (approved by user {approval.user.pk})" if approval is not None else "",
                ", ".join(f"{name} {count}" for name, count in the_plan.counts.items()),
            )
        RetentionRun.objects.create(
            organisation=organisation,
            day=today,
            counts=the_plan.counts,
            total=the_plan.total,
            population=the_plan.population,
            stopped=stopped,
            approved_by=approval.user if approval is not None else None,
        )
    return Outcome(plan=the_plan, dry_run=False, stopped=stopped, anonymised=anonymised)


def run(
    today: datetime.date | None = None,
    *,
    dry_run: bool = False,
    organisations: Iterable[Organisation] | None = None,
) -> list[Outcome]:
    """Apply every organisation's policy, each in its own transaction.

    An organisation whose run fails is logged and the others still run; the failure is then
    raised at the end, so the task shows it.
    """
    today = today or timezone.localdate()
    outcomes, failed = [], []
    if organisations is None:
        organisations = Organisation.objects.order_by("pk")
    for organisation in organisations:
        try:
            outcomes.append(organisation_run(organisation, today, dry_run=dry_run))
        except Exception:
            logger.exception("Retention failed for organisation %s", organisation.pk)
            failed.append(organisation.pk)
    if failed:
        raise RuntimeError(f"Retention failed for organisations {failed}; see the log.")
    return outcomes
