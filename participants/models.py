import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Course, Session
from participants.eligibility import age_on
from peerprogram.models import Organisation
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import DanishPhoneField

# Nobody alive is older; an earlier date is a typing slip (year 1, 19 for 1990).
OLDEST_PLAUSIBLE_AGE = 120


def validate_birth_date(value: datetime.date) -> None:
    """A birth date that can be a living person's: not in the future, at most 120 years ago."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("Fødselsdatoen ligger i fremtiden."))
    if age_on(value, today) > OLDEST_PLAUSIBLE_AGE:
        raise ValidationError(
            _("Fødselsdatoen ligger mere end %(years)d år tilbage. Tjek årstallet."),
            params={"years": OLDEST_PLAUSIBLE_AGE},
        )


# Below this age on a course's first day a child takes part only with the custody holder's
# confirmation, and messages about the child go to the custody holder.
CUSTODY_AGE = 15


def under_custody_age(birth_date: datetime.date, course: Course) -> bool:
    """The one rule for "a child under 15": the age on the course's first day."""
    return age_on(birth_date, course.first_date) < CUSTODY_AGE


class ParticipantQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Participant(models.Model):
    """A person who registered with an organisation: only what a seat in a course needs.

    No CPR number and no diagnosis, ever. The organisation is the data controller; the same
    person registering with another organisation is another row.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("navn"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = DanishPhoneField(_("telefon"), blank=True)
    birth_date = models.DateField(_("fødselsdato"), validators=[validate_birth_date])
    municipality = models.CharField(_("kommunekode"), max_length=3)
    sms_opt_in = models.BooleanField(_("vil have SMS"), default=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Set when the person's data was anonymised (retention or on request, participants.privacy):
    # the row stays for the figures, without name or contact data.
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        constraints = [
            # Reachable by e-mail or phone, unless the data was anonymised.
            models.CheckConstraint(
                condition=~models.Q(email="", phone="") | models.Q(anonymised_at__isnull=False),
                name="participant_reachable",
            )
        ]

    def __str__(self):
        # Named without a name: lists and logs never need to show who it is.
        return _("Deltager #%(pk)s") % {"pk": self.pk}

    def clean(self):
        # The constraint names `anonymised_at`, which forms leave out, so Django would skip it.
        if self.anonymised_at is None and not (self.email or self.phone):
            raise ValidationError(_("Angiv e-mail eller telefon, så deltageren kan kontaktes."))


class RegistrationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"

    def holding_a_seat(self):
        """Registrations that take one of their course's seats now; capacity counts these:
        accepted, or held for a custody holder's confirmation — except a parent who came with
        their child where the programme says parents take no seat (`takes_seat`)."""
        return self.filter(status__in=Registration.HOLDING, takes_seat=True)

    def not_ended(self, *, now: datetime.datetime | None = None):
        """Registrations that have not ended. The one rule for "the registration has ended":
        it was withdrawn or declined (Registration.ENDED), or its course finished — its status
        says so, or its last session has ended (as the figures count a finished course). A
        person's status links work until then."""
        now = now or timezone.now()
        sessions = Session.objects.filter(course=models.OuterRef("course"))
        return (
            self.exclude(status__in=Registration.ENDED)
            .exclude(course__status=Course.Status.FINISHED)
            .exclude(models.Exists(sessions) & ~models.Exists(sessions.filter(ends_at__gt=now)))
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Modtaget")
        NEEDS_REVIEW = "needs_review", _("Skal vurderes")
        ACCEPTED = "accepted", _("Optaget")
        AWAITING_CUSTODY = "awaiting_custody", _("Venter på forældremyndighedens bekræftelse")
        WAITLISTED = "waitlisted", _("Venteliste")
        DECLINED = "declined", _("Afvist")
        WITHDRAWN = "withdrawn", _("Frameldt")
        COMPLETED = "completed", _("Gennemført")
        DROPPED_OUT = "dropped_out", _("Stoppet undervejs")

    class ReferralSource(models.TextChoices):
        SELF = "self", _("Jeg fandt selv forløbet")
        FRIEND = "friend", _("Familie, venner eller andre deltagere")
        MUNICIPALITY = "municipality", _("Kommunen, fx en rådgiver eller § 82-tilbud")
        JOBCENTRE = "jobcentre", _("Jobcenteret")
        HEALTH = "health", _("Læge, psykiatri eller sundhedscenter")
        ASSOCIATION = "association", _("En forening")
        OTHER = "other", _("Andet")

    class DropoutOverride(models.TextChoices):
        FOLLOW_RULE = "", _("Følg reglen")
        DROPOUT = "dropout", _("Tæller som frafald")
        NOT_DROPOUT = "not_dropout", _("Tæller ikke som frafald")

    # A person holds at most one live registration per course.
    LIVE = [
        Status.SUBMITTED,
        Status.NEEDS_REVIEW,
        Status.ACCEPTED,
        Status.AWAITING_CUSTODY,
        Status.WAITLISTED,
    ]
    # Statuses after which the registration has ended whatever its course does
    # (RegistrationQuerySet.not_ended).
    ENDED = [Status.WITHDRAWN, Status.DECLINED]
    # Statuses that take a seat now (participants.services counts them under the course lock).
    HOLDING = [Status.ACCEPTED, Status.AWAITING_CUSTODY]
    # Statuses that say the person has their seat on the course: holds it now, kept it to the
    # end, or held it until they stopped along the way.
    SEATED = [Status.ACCEPTED, Status.COMPLETED, Status.DROPPED_OUT]

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("deltager"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("forløb")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    waitlist_position = models.PositiveIntegerField(_("plads på venteliste"), null=True, blank=True)
    eligibility_answers = models.JSONField(_("svar om målgruppe"), default=dict, blank=True)
    eligibility_result = models.JSONField(_("vurdering ved tilmelding"), default=dict, blank=True)
    referral_source = models.CharField(
        _("hørte om os via"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tilmeldt af"),
        help_text=_("Tom, når borgeren selv har tilmeldt sig."),
    )
    citizen_agreed = models.BooleanField(_("borgeren har sagt ja til tilmeldingen"), default=False)
    wants_accompaniment = models.BooleanField(_("ønsker følgeskab"), default=False)
    privacy_notice_version = models.CharField(_("version af privatlivsoplysning"), max_length=40)
    consent_given_at = models.DateTimeField(_("samtykke givet"), null=True, blank=True)
    guardian_name = models.CharField(_("forælder/værge"), max_length=120, blank=True)
    guardian_email = models.EmailField(_("forælders e-mail"), blank=True)
    guardian_phone = DanishPhoneField(_("forælders telefon"), blank=True)
    guardian_consent_at = models.DateTimeField(_("forælders samtykke"), null=True, blank=True)
    # Asked only where the organisation wants both custody holders to confirm.
    second_guardian_name = models.CharField(
        _("anden indehaver af forældremyndigheden"), max_length=120, blank=True
    )
    second_guardian_email = models.EmailField(_("anden forælders e-mail"), blank=True)
    second_guardian_phone = DanishPhoneField(_("anden forælders telefon"), blank=True)
    # A family: a parent's registration points to the child's it was made with; the two are
    # seated, waitlisted and promoted together (participants.services).
    registered_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companions",
        verbose_name=_("tilmeldt sammen med"),
    )
    takes_seat = models.BooleanField(
        _("optager en plads"),
        default=True,
        help_text=_("Fra programmet ved tilmeldingen: en forælder tæller ikke altid med."),
    )
    hold_until = models.DateTimeField(
        _("pladsen holdes til"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Til forældremyndigheden har bekræftet; derefter går pladsen videre."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluttet af"),
    )
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    decision_note = models.TextField(_("begrundelse"), blank=True, max_length=1000)
    # What the coordinator wrote to the citizen with the decision; the note above is internal.
    decision_message = models.TextField(_("besked til borgeren"), blank=True, max_length=1000)
    # Kept by the services in participants.services: when a seat on this course was first
    # given, and when the status last changed. The figures (participants.figures) read them.
    accepted_at = models.DateTimeField(_("optaget"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(
        _("status ændret"), null=True, blank=True, editable=False
    )
    dropout_override = models.CharField(
        _("frafald (koordinatorens vurdering)"),
        max_length=12,
        blank=True,
        choices=DropoutOverride.choices,
        help_text=_(
            "Reglen: en optaget deltager tæller som frafald, hvis vedkommende er stoppet "
            "undervejs, har meldt fra, efter forløbet er begyndt, eller ikke har været til "
            "stede ved nogen af de seneste tre afholdte gange. Vælg noget andet her, hvis "
            "reglen ikke passer på denne deltager."
        ),
    )
    # The language of the form the person filled in: every message to them uses it.
    language = models.CharField(
        _("sprog"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("tilmeldt"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["course", "status", "waitlist_position", "created_at"]
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")

    # Set here rather than inside Meta, whose body cannot see Status and LIVE.
    Meta.constraints = [
        models.UniqueConstraint(
            fields=["course", "participant"],
            condition=models.Q(status__in=LIVE),
            name="one_live_registration_per_course",
        ),
        models.UniqueConstraint(
            fields=["course", "waitlist_position"],
            condition=models.Q(status=Status.WAITLISTED),
            name="unique_waitlist_position",
        ),
        models.CheckConstraint(
            condition=models.Q(status=Status.WAITLISTED, waitlist_position__isnull=False)
            | (~models.Q(status=Status.WAITLISTED) & models.Q(waitlist_position__isnull=True)),
            name="waitlist_position_only_when_waitlisted",
        ),
    ]

    def __str__(self):
        return _("Tilmelding #%(pk)s") % {"pk": self.pk}

    @staticmethod
    def seat_given(*, status: str, accepted_at: datetime.datetime | None) -> bool:
        """The one definition of "was given a seat": the registration holds or held a seat on
        its course — its status is in SEATED, or it was accepted once and gave the seat up
        since (withdrawn, declined or waitlisted again; `accepted_at` is kept)."""
        return accepted_at is not None or status in Registration.SEATED

    @property
    def was_given_a_seat(self) -> bool:
        return self.seat_given(status=self.status, accepted_at=self.accepted_at)

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_awaiting_custody(self) -> bool:
        return self.status == self.Status.AWAITING_CUSTODY


class StatusLink(models.Model):
    """One personal status link, made when a message about the registration is delivered:
    every message carries its own, and all of them work until the registration ends
    (RegistrationQuerySet.not_ended) or the person asks for a new link. Only the hash is kept;
    the secret lives in the message the person received, nowhere else."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="status_links",
        verbose_name=_("tilmelding"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("statuslink")
        verbose_name_plural = _("statuslinks")

    def __str__(self):
        return _("Statuslink #%(pk)s") % {"pk": self.pk}


class CustodyConfirmation(models.Model):
    """One custody holder's confirmation of a child's registration (a child under 15): the
    first holder is the registration's guardian, the second its second guardian. The link
    in their message is made at delivery; only its hash is kept, and it works once."""

    class Holder(models.IntegerChoices):
        FIRST = 1, _("Forælder/værge")
        SECOND = 2, _("Anden indehaver af forældremyndigheden")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="custody_confirmations",
        verbose_name=_("tilmelding"),
    )
    holder = models.PositiveSmallIntegerField(_("hvem"), choices=Holder.choices)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bekræftelse fra forældremyndighed")
        verbose_name_plural = _("bekræftelser fra forældremyndighed")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "holder"], name="one_custody_confirmation_per_holder"
            )
        ]

    def __str__(self):
        return _("Bekræftelse #%(pk)s") % {"pk": self.pk}


class ContactLogQuerySet(OrganisationScopedQuerySet):
    organisation_path = "registration__course__program__organisation"


class ContactLogEntry(models.Model):
    """A coordinator's note that they called, got no answer, agreed something, … about a
    registration (participants.contact_log). Personal data: the person's export holds it, and
    anonymising the person deletes it."""

    class Kind(models.TextChoices):
        CALLED = "called", _("Ringet op")
        NO_ANSWER = "no_answer", _("Intet svar")
        AGREED = "agreed", _("Aftalt")
        WROTE = "wrote", _("Skrevet til")
        NOTE = "note", _("Anden note")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="contact_log",
        verbose_name=_("tilmelding"),
    )
    kind = models.CharField(_("hvad"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    day = models.DateField(_("dato"), default=timezone.localdate)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hvem"),
    )
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    objects = ContactLogQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-created_at", "-pk"]
        verbose_name = _("kontaktnote")
        verbose_name_plural = _("kontaktlog")

    def __str__(self):
        return _("Kontaktnote #%(pk)s") % {"pk": self.pk}


class AttendanceQuerySet(OrganisationScopedQuerySet):
    organisation_path = "session__course__program__organisation"


class Attendance(models.Model):
    """Who came to a session. Kept inside the organisation; never reported per person."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Til stede")
        ABSENT = "absent", _("Fraværende")
        NOTIFIED = "notified", _("Meldt afbud")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("fremmøde"), max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="one_attendance_per_session"
            )
        ]

    def __str__(self):
        return _("Fremmøde #%(pk)s") % {"pk": self.pk}
