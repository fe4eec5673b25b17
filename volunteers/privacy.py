"""A facilitator's data: export on request, anonymisation on request and by retention.

What volunteers holds about citizens (contact requests, and participants' accompaniments and
bridgings) is volunteers/citizen_privacy.py.

Anonymising a facilitator keeps what the programme's history needs — kind, status and its
changes, training modules, supervision dates, that and when each declaration was signed,
course assignments, answers to sessions, accompaniments and bridgings — and removes:
- name (becomes "Anonymiseret"), e-mail, phone, SMS consent, birth year, the free texts about
  their experience and availability, the calendar link;
- supervision notes, and every børneattest record (art. 10 data nobody needs once they left);
- their log-in: deactivated, renamed "anonymiseret-<id>", names and e-mail emptied, no usable
  password, no two-factor devices, no failed log-in records, and the copy of its e-mail that
  django-auditlog keeps on audit entries (the entries stay, linked to the log-in). A log-in
  that is also a staff account is left alone and unlinked;
- course manuals of the courses they facilitated (stored PDFs name them; the next print
  is made without them), outbox messages to or naming them, and their admin history.

Retention (see peerprogram.privacy.retention for "due on"):
- a facilitator with status stopped is due `months_after_peer_stopped` after the last change
  to stopped (or, without a recorded change, after the row was created);
- someone who applied through the public "Bliv frivillig peer" form and never started (still
  status applicant) is due `months_after_application` after applying. A facilitator a
  coordinator created as an applicant, with no application, is not due by this rule;
"""

import datetime

from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user

from groups.models import RenderedDocument
from peerprogram.models import ErasureRecord
from peerprogram.privacy import personal_data
from peerprogram.privacy.retention import add_months
from volunteers.models import (
    Accompaniment,
    Bridging,
    ChildCertificate,
    Concern,
    ContactRequest,
    CourseFacilitator,
    DeclarationSignature,
    Peer,
    PeerApplication,
    SessionResponse,
    StatusChange,
    SupervisionAttendance,
    TrainingRecord,
)


def _stopped_on(peer_ids) -> dict[int, datetime.date]:
    stopped = {}
    for peer_id, changed_at in StatusChange.objects.filter(
        peer_id__in=peer_ids, to_status=Peer.Status.STOPPED
    ).values_list("peer_id", "changed_at"):
        day = timezone.localdate(changed_at)
        stopped[peer_id] = max(day, stopped.get(peer_id, day))
    return stopped


def peers_due(organisation, policy, today: datetime.date) -> list[Peer]:
    peers = list(
        Peer.objects.filter(
            organisation=organisation, status=Peer.Status.STOPPED, anonymised_at__isnull=True
        )
        .only("pk", "created_at")
        .order_by("pk")
    )
    stopped = _stopped_on([peer.pk for peer in peers])
    due = []
    for peer in peers:
        stopped_on = stopped.get(peer.pk) or timezone.localdate(peer.created_at)
        due_on = add_months(stopped_on, policy.months_after_peer_stopped)
        if due_on <= today:
            peer.retention_due_on = due_on
            peer.retention_reason = _("stoppede %(date)s") % {
                "date": personal_data.short_date(stopped_on)
            }
            due.append(peer)
    return due + _applicants_due(organisation, policy, today)


def _applicants_due(organisation, policy, today: datetime.date) -> list[Peer]:
    due = []
    for peer in (
        Peer.objects.filter(
            organisation=organisation,
            status=Peer.Status.APPLICANT,
            anonymised_at__isnull=True,
            application__isnull=False,
        )
        .select_related("application")
        .only("pk", "application__applied_at")
        .order_by("pk")
    ):
        applied_on = timezone.localdate(peer.application.applied_at)
        due_on = add_months(applied_on, policy.months_after_application)
        if due_on <= today:
            peer.retention_due_on = due_on
            peer.retention_reason = _("ansøgte %(date)s og kom aldrig i gang") % {
                "date": personal_data.short_date(applied_on)
            }
            due.append(peer)
    return due


def peers_population(organisation) -> int:
    return Peer.objects.filter(organisation=organisation, anonymised_at__isnull=True).count()


def _peer_related(peer) -> dict:
    def ids(model, **lookup):
        return list(model.objects.filter(**lookup).values_list("pk", flat=True))

    return {
        Peer: [peer.pk],
        StatusChange: ids(StatusChange, peer=peer),
        TrainingRecord: ids(TrainingRecord, peer=peer),
        SupervisionAttendance: ids(SupervisionAttendance, peer=peer),
        DeclarationSignature: ids(DeclarationSignature, peer=peer),
        ChildCertificate: ids(ChildCertificate, peer=peer),
        CourseFacilitator: ids(CourseFacilitator, peer=peer),
        SessionResponse: ids(SessionResponse, peer=peer),
        Concern: ids(Concern, reported_by=peer),
        Accompaniment: ids(Accompaniment, peer=peer),
    }


def peer_export(peer: Peer, *, include_certificate_outcome: bool = False) -> dict:
    """Everything held about the facilitator, and nothing about anyone else.

    A børneattest's outcome is criminal-offence data: only with `include_certificate_outcome`
    (the admin passes the user's permission to see it).
    """
    account = peer.user
    certificate_hidden = ["peer"]
    if not include_certificate_outcome:
        certificate_hidden += ["outcome", "assessed_by", "assessed_on"]
    sections = [
        personal_data.export_section(
            "peer",
            gettext_lazy("Facilitator"),
            Peer,
            [peer],
            exclude=["organisation", "user", "calendar_token_hash"],
        ),
    ]
    if account is not None:
        sections.append(
            personal_data.export_section(
                "account",
                gettext_lazy("Log-in"),
                type(account),
                [account],
                exclude=["password", "is_superuser"],
            )
        )

    def own(key, title, model, rows, exclude=("peer",)):
        sections.append(personal_data.export_section(key, title, model, rows, exclude=exclude))

    own("status_changes", gettext_lazy("Statusændringer"), StatusChange, peer.status_changes.all())
    own(
        "training",
        gettext_lazy("Gennemførte moduler"),
        TrainingRecord,
        peer.training_records.select_related("module"),
    )
    own("supervision", gettext_lazy("Supervision"), SupervisionAttendance, peer.supervisions.all())
    own(
        "signatures",
        gettext_lazy("Underskrevne tavshedserklæringer"),
        DeclarationSignature,
        peer.signatures.select_related("declaration__organisation"),
    )
    own(
        "certificates",
        gettext_lazy("Børneattester"),
        ChildCertificate,
        peer.certificates.all(),
        exclude=certificate_hidden,
    )
    own(
        "assignments",
        gettext_lazy("Forløb som facilitator"),
        CourseFacilitator,
        peer.assignments.select_related("course__program"),
    )
    own(
        "session_responses",
        gettext_lazy("Svar på gange"),
        SessionResponse,
        peer.session_responses.select_related("session__course"),
    )
    own(
        "concerns",
        gettext_lazy("Registrerede underretninger"),
        Concern,
        Concern.objects.filter(reported_by=peer).select_related("session__course"),
        exclude=("reported_by",),
    )
    # Accompaniments, requests and bridgings with citizens: the peer's part only.
    own(
        "accompaniments",
        gettext_lazy("Følgeskaber"),
        Accompaniment,
        peer.accompaniments.select_related("program"),
        exclude=("peer", "participant"),
    )
    own(
        "application",
        gettext_lazy("Ansøgning som frivillig peer"),
        PeerApplication,
        PeerApplication.objects.filter(peer=peer),
    )
    own(
        "contact_requests",
        gettext_lazy("Kontaktforespørgsler matchet med facilitatoren"),
        ContactRequest,
        ContactRequest.objects.filter(Q(matched_peer=peer) | Q(other_peers=peer)).distinct(),
        exclude=(
            "matched_peer",
            "first_name",
            "phone",
            "email",
            "organisation",
            "bridged_activity",
        ),
    )
    own(
        "bridgings",
        gettext_lazy("Brobygning"),
        Bridging,
        peer.bridgings.select_related("activity__association"),
        exclude=("peer", "participant"),
    )
    messages = personal_data.outbox_to(
        organisation=peer.organisation,
        related={type(account): [account.pk]} if account is not None else {},
        recipient_keys=[f"peer:{peer.pk}"],
    ).order_by("created_at", "pk")
    sections.append(personal_data.messages_section(messages))
    return personal_data.export_document(
        kind="peer", obj=peer, organisation=peer.organisation, sections=sections
    )


def _is_staff_account(account) -> bool:
    return account.is_staff or account.is_superuser or account.memberships.exists()


def _account_anonymise(account) -> None:
    old_username = account.get_username()
    for device in devices_for_user(account, confirmed=None):
        device.delete()
    AccessAttempt.objects.filter(username=old_username).delete()
    account.username = f"anonymiseret-{account.pk}"
    account.first_name = ""
    account.last_name = ""
    account.email = ""
    account.is_active = False
    account.set_unusable_password()
    account.save()


def _course_manuals_delete(peer) -> int:
    """Stored course manuals name their facilitators; the next print is made without them.

    The rows go now, the files once the transaction commits (a rollback keeps both)."""
    documents = list(
        RenderedDocument.objects.filter(
            kind=RenderedDocument.Kind.COURSE_MANUAL,
            course__in=CourseFacilitator.objects.filter(peer=peer).values("course_id"),
        )
    )
    files = [(document.file.storage, document.file.name) for document in documents]
    RenderedDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(documents)


@transaction.atomic
def peer_anonymise(peer: Peer, *, user=None) -> bool:
    """Anonymise the facilitator (see the module docstring). With `user`, it was a request,
    and an erasure record names who did it. Returns False if it was already done."""
    peer = (
        Peer.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=peer.pk)
    )
    if peer.anonymised_at is not None:
        return False
    organisation = peer.organisation
    account = peer.user
    related = _peer_related(peer)
    names = [peer.name]
    addresses = [peer.email, peer.phone]
    keys = [f"peer:{peer.pk}"]
    staff_account = account is not None and _is_staff_account(account)
    if account is not None and not staff_account:
        related[type(account)] = [account.pk]
        names.append(account.get_full_name())
        addresses.append(account.email)
        keys.append(f"user:{account.pk}")
    personal_data.outbox_scrub(
        personal_data.outbox_about(
            organisation=organisation,
            related=related,
            recipient_keys=keys,
            addresses=addresses,
            names=names,
        )
    )
    personal_data.admin_log_scrub(related=related, names=names)
    _course_manuals_delete(peer)
    SupervisionAttendance.objects.filter(peer=peer).update(note="")
    ChildCertificate.objects.filter(peer=peer).delete()
    if account is not None and not staff_account:
        _account_anonymise(account)
    Peer.objects.filter(pk=peer.pk).update(
        name=personal_data.ANONYMISED_NAME,
        email="",
        phone="",
        sms_opt_in=False,
        lived_experience="",
        availability="",
        birth_year=None,
        calendar_token_hash="",
        user=None if staff_account else account,
        anonymised_at=timezone.now(),
    )
    peer.refresh_from_db()
    if user is not None:
        personal_data.erasure_recorded(
            user=user, kind=ErasureRecord.Kind.PEER, obj=peer, organisation=organisation
        )
    return True
