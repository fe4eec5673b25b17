"""Peers and professionals who facilitate: training, declarations, child-protection
certificates and assignment to courses."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Course
from peerprogram.models import Organisation
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import validate_danish_phone


class PeerQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Peer(models.Model):
    """Someone who facilitates groups or accompanies citizens.

    Volunteer peers and the professionals who co-facilitate share this register, because the
    same rules apply to both when they meet participants (declaration, børneattest).
    """

    class Kind(models.TextChoices):
        PEER = "peer", _("Frivillig peer")
        PROFESSIONAL = "professional", _("Fagprofessionel")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Ansøger")
        IN_TRAINING = "in_training", _("Under uddannelse")
        TRAINED = "trained", _("Uddannet")
        ACTIVE = "active", _("Aktiv")
        PAUSED = "paused", _("På pause")
        STOPPED = "stopped", _("Stoppet")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="peers", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PEER)
    name = models.CharField(_("navn"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("telefon"), max_length=20, blank=True, validators=[validate_danish_phone]
    )
    sms_opt_in = models.BooleanField(_("vil have SMS"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer",
        verbose_name=_("login"),
    )
    facilitates_groups = models.BooleanField(_("leder grupper"), default=True)
    accompanies = models.BooleanField(_("giver følgeskab"), default=False)
    lived_experience = models.CharField(
        _("egne erfaringer (kort)"),
        max_length=300,
        blank=True,
        help_text=_("Kun hvad peeren selv vil dele. Ingen diagnoser."),
    )
    availability = models.CharField(_("kan typisk"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    # Only a hash: the secret feed address is shown once in the portal and lives in the
    # peer's calendar app, nowhere else.
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Set when the person's data was anonymised (retention or on request, volunteers.privacy).
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)

    objects = PeerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitatorer (peers og fagpersoner)")

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("fra"), max_length=20, choices=Peer.Status.choices)
    to_status = models.CharField(_("til"), max_length=20, choices=Peer.Status.choices)
    changed_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class TrainingModule(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_modules"
    )
    name = models.CharField(_("modul"), max_length=120)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    objects = PeerQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = _("uddannelsesmodul")
        verbose_name_plural = _("uddannelsesmoduler")

    def __str__(self):
        return self.name


class TrainingRecord(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="training_records")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, verbose_name=_("modul"))
    completed_on = models.DateField(_("gennemført"), default=datetime.date.today)

    class Meta:
        verbose_name = _("gennemført modul")
        verbose_name_plural = _("gennemførte moduler")
        constraints = [
            models.UniqueConstraint(fields=["peer", "module"], name="unique_training_record")
        ]

    def __str__(self):
        return f"{self.module} ({self.completed_on:%d.%m.%Y})"


class SupervisionAttendance(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="supervisions")
    date = models.DateField(_("dato"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("supervision")
        verbose_name_plural = _("supervision")

    def __str__(self):
        return f"{self.date:%d.%m.%Y}"


class DeclarationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Declaration(models.Model):
    """A version of the confidentiality declaration (tavshedserklæring)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="declarations"
    )
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("tekst"))
    published_on = models.DateField(_("gældende fra"), default=datetime.date.today)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-published_on", "-pk"]
        verbose_name = _("tavshedserklæring")
        verbose_name_plural = _("tavshedserklæringer")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_declaration_version"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.version}"


class DeclarationSignature(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="signatures")
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("underskrevet"), default=datetime.date.today)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(fields=["peer", "declaration"], name="unique_signature")
        ]

    def __str__(self):
        return f"{self.declaration.version} ({self.signed_on:%d.%m.%Y})"


class ChildCertificate(models.Model):
    """A børneattest: only the dates, the consent, the outcome and who assessed it.

    Never the certificate itself, offence details or a CPR number. "Needs assessment" is
    criminal-offence data (GDPR art. 10): only users with the permission below see it, and
    assessing reduces it to approved or not approved.
    """

    class Consent(models.TextChoices):
        PENDING = "pending", _("Afventer samtykke")
        GIVEN = "given", _("Samtykke givet")
        REFUSED = "refused", _("Samtykke nægtet")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Ikke modtaget")
        NEEDS_ASSESSMENT = "needs_assessment", _("Skal vurderes")
        APPROVED = "approved", _("Godkendt")
        NOT_APPROVED = "not_approved", _("Ikke godkendt")

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="certificates")
    requested_on = models.DateField(_("bestilt"))
    consent = models.CharField(
        _("samtykke"), max_length=20, choices=Consent.choices, default=Consent.PENDING
    )
    received_on = models.DateField(_("modtaget"), null=True, blank=True)
    outcome = models.CharField(
        _("resultat"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vurderet af"),
    )
    assessed_on = models.DateField(_("vurderet"), null=True, blank=True)
    renew_by = models.DateField(_("fornyes senest"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("børneattest")
        verbose_name_plural = _("børneattester")
        permissions = [
            ("view_certificate_outcome", _("Kan se og vurdere resultatet af børneattester"))
        ]

    def __str__(self):
        return _("Børneattest #%(pk)s") % {"pk": self.pk}


class CourseFacilitatorQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"


class CourseFacilitator(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("forløb")
    )
    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("facilitator")
    )
    assigned_at = models.DateTimeField(_("tildelt"), auto_now_add=True)

    objects = CourseFacilitatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("facilitator på forløb")
        verbose_name_plural = _("facilitatorer på forløb")
        constraints = [
            models.UniqueConstraint(fields=["course", "peer"], name="unique_course_facilitator")
        ]

    def __str__(self):
        return f"{self.peer} – {self.course}"


class SessionResponse(models.Model):
    """A facilitator's answer to one session: coming, or not (coordinators are told)."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Kommer")
        DECLINED = "declined", _("Kan ikke")

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="session_responses")
    session = models.ForeignKey(
        "groups.Session", on_delete=models.CASCADE, related_name="facilitator_responses"
    )
    answer = models.CharField(_("svar"), max_length=20, choices=Answer.choices)
    answered_at = models.DateTimeField(_("svaret"), auto_now=True)

    class Meta:
        verbose_name = _("svar på gang")
        verbose_name_plural = _("svar på gange")
        constraints = [
            models.UniqueConstraint(fields=["peer", "session"], name="one_response_per_session")
        ]

    def __str__(self):
        return f"{self.peer} – {self.session}: {self.get_answer_display()}"


class ConcernQuerySet(OrganisationScopedQuerySet):
    organisation_path = "session__course__program__organisation"


class Concern(models.Model):
    """A concern about a child passed to the municipality (underretning).

    Only the facts that it was passed on: no description of the child or the worry, which
    belong in the municipality's own case. Coordinators see these; group notes never do.
    """

    session = models.ForeignKey(
        "groups.Session", on_delete=models.PROTECT, related_name="+", verbose_name=_("gang")
    )
    reported_by = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    passed_on = models.DateField(_("givet videre"))
    passed_to = models.CharField(
        _("givet videre til"),
        max_length=200,
        help_text=_("Fx “Lejre Kommune, Børn og Familie, den vagthavende rådgiver”."),
    )
    receipt_on = models.DateField(_("kvittering modtaget"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-passed_on"]
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")

    def __str__(self):
        return _("Underretning #%(pk)s") % {"pk": self.pk}


# Accompaniment (følgeskab) and bridging into associations (brobygning). The rules that decide
# what may be saved live in volunteers/accompaniment.py; these models only hold the facts.


class AccompanimentQuerySet(OrganisationScopedQuerySet):
    organisation_path = "peer__organisation"

    def ongoing(self):
        return self.filter(ended_on__isnull=True)


class Accompaniment(models.Model):
    """A peer accompanies one citizen for a limited time (serviceloven § 82 b).

    The programme's `accompaniment_limit_months` caps the length. Only dates, who and why it
    ended: nothing about the citizen's health.
    """

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Afsluttet som planlagt")
        CITIZEN = "citizen", _("Stoppet før tid af borgeren")
        PEER = "peer", _("Stoppet før tid af peeren")
        OTHER = "other", _("Andet")

    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="accompaniments", verbose_name=_("peer")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="accompaniments",
        verbose_name=_("borger"),
    )
    program = models.ForeignKey(
        "groups.Program",
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("program"),
    )
    starts_on = models.DateField(_("start"))
    planned_end_on = models.DateField(
        _("planlagt slut"),
        blank=True,
        help_text=_("Tom: programmets grænse for følgeskab (fx seks måneder efter start)."),
    )
    ended_on = models.DateField(_("sluttede"), null=True, blank=True)
    end_reason = models.CharField(
        _("årsag til afslutning"), max_length=20, choices=EndReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("følgeskab")
        verbose_name_plural = _("følgeskaber")
        constraints = [
            # A double submit or two coordinators at once still give one ongoing accompaniment.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(ended_on__isnull=True),
                name="one_ongoing_accompaniment_per_participant",
                violation_error_message=_("Borgeren har allerede et igangværende følgeskab."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("starts_on")),
                name="accompaniment_planned_end_after_start",
                violation_error_message=_("Den planlagte slutdato skal ligge efter startdatoen."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, end_reason="")
                | (models.Q(ended_on__gte=models.F("starts_on")) & ~models.Q(end_reason="")),
                name="accompaniment_ended_with_reason",
                violation_error_message=_(
                    "Et afsluttet følgeskab har en slutdato efter start og en årsag."
                ),
            ),
        ]

    def __str__(self):
        return _("Følgeskab #%(pk)s") % {"pk": self.pk}

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None


class AccompanimentMeetingQuerySet(OrganisationScopedQuerySet):
    organisation_path = "accompaniment__peer__organisation"


class AccompanimentMeeting(models.Model):
    """That the peer and the citizen met, and what kind of meeting: no account of it."""

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", _("Følgeskab til aftale")
        ACTIVITY = "activity", _("Aktivitet eller forening")
        CONVERSATION = "conversation", _("Samtale/kaffe")
        OTHER = "other", _("Andet")

    accompaniment = models.ForeignKey(
        Accompaniment,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("følgeskab"),
    )
    date = models.DateField(_("dato"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    note = models.CharField(
        _("kort note"),
        max_length=200,
        blank=True,
        help_text=_(
            "Kort og neutralt, fx “Fulgtes til jobcentret”. Skriv ingen helbredsoplysninger "
            "og intet om, hvad borgeren har fortalt."
        ),
    )

    objects = AccompanimentMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("møde i følgeskab")
        verbose_name_plural = _("møder i følgeskab")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d.%m.%Y})"


class ContactRequestQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class ContactRequest(models.Model):
    """A citizen asks to be contacted (e.g. from a contact card): just enough to call back."""

    class Wish(models.TextChoices):
        PEER = "peer", _("Kontakt med en peer")
        GROUP = "group", _("En gruppe")
        ACTIVITY = "activity", _("En aktivitet eller forening")

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        MATCHED = "matched", _("Matchet med en peer")
        CLOSED = "closed", _("Afsluttet")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("fornavn"), max_length=60)
    phone = models.CharField(
        _("telefon"), max_length=20, blank=True, validators=[validate_danish_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    wish = models.CharField(_("ønsker"), max_length=20, choices=Wish.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    matched_peer = models.ForeignKey(
        Peer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("matchet med"),
    )
    matched_at = models.DateTimeField(_("matchet"), null=True, blank=True)
    created_at = models.DateTimeField(_("modtaget"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kontaktforespørgsel")
        verbose_name_plural = _("kontaktforespørgsler")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone="") | models.Q(anonymised_at__isnull=False),
                name="contact_request_reachable",
                violation_error_message=_("Angiv telefon eller e-mail, så borgeren kan kontaktes."),
            )
        ]

    def __str__(self):
        return _("Kontaktforespørgsel #%(pk)s") % {"pk": self.pk}

    def clean(self):
        # The constraint names `anonymised_at`, which forms leave out, so Django would skip it.
        if self.anonymised_at is None and not (self.email or self.phone):
            raise ValidationError(_("Angiv telefon eller e-mail, så borgeren kan kontaktes."))


class AssociationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Association(models.Model):
    """A local club (forening) that welcomes citizens, e.g. a sports club."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("navn"), max_length=120)
    contact = models.CharField(
        _("kontakt"),
        max_length=200,
        blank=True,
        help_text=_("Hvem i foreningen man tager kontakt til, fx “holdets træner”."),
    )
    website = models.URLField(_("hjemmeside"), blank=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("forening")
        verbose_name_plural = _("foreninger")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_association_name",
                violation_error_message=_("Der findes allerede en forening med det navn."),
            )
        ]

    def __str__(self):
        return self.name


class AssociationActivityQuerySet(OrganisationScopedQuerySet):
    organisation_path = "association__organisation"


class AssociationActivity(models.Model):
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("forening"),
    )
    name = models.CharField(
        _("aktivitet"), max_length=200, help_text=_("Fx “Motion for sindet – løbehold”.")
    )
    when = models.CharField(
        _("ugedag og tid"), max_length=100, blank=True, help_text=_("Fx “Tirsdag kl. 17.00”.")
    )
    place = models.CharField(_("sted"), max_length=200, blank=True)

    objects = AssociationActivityQuerySet.as_manager()

    class Meta:
        ordering = ["association__name", "name", "pk"]
        verbose_name = _("aktivitet i forening")
        verbose_name_plural = _("aktiviteter i foreninger")

    def __str__(self):
        return f"{self.name} – {self.association.name}"


class BridgingQuerySet(OrganisationScopedQuerySet):
    organisation_path = "activity__association__organisation"


class Bridging(models.Model):
    """How far a citizen has come into an association's activity (brobygning)."""

    class Status(models.TextChoices):
        CONTACTED = "contacted", _("Kontakt taget")
        VISITED = "visited", _("Har været der")
        JOINED = "joined", _("Er blevet en del af det")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="bridgings",
        verbose_name=_("borger"),
    )
    activity = models.ForeignKey(
        AssociationActivity,
        on_delete=models.PROTECT,
        related_name="bridgings",
        verbose_name=_("aktivitet"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONTACTED
    )
    updated_on = models.DateField(_("opdateret"), auto_now=True)
    peer = models.ForeignKey(
        Peer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bridgings",
        verbose_name=_("følges af"),
    )

    objects = BridgingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_on", "-pk"]
        verbose_name = _("brobygning")
        verbose_name_plural = _("brobygning")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "activity"],
                name="unique_bridging_per_activity",
                violation_error_message=_("Borgeren er allerede registreret ved denne aktivitet."),
            )
        ]

    def __str__(self):
        return _("Brobygning #%(pk)s") % {"pk": self.pk}
