import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peerprogram import hooks
from peerprogram.contacts import validate_contact
from peerprogram.models import Organisation
from peerprogram.municipalities import MUNICIPALITY_CHOICES
from peerprogram.permissions import OrganisationScopedQuerySet
from peerprogram.phones import DanishPhoneField

TARIFF_WHOLE_NUMBERS = ("weekly_groups", "courses_per_year", "seats_per_course")


def validate_tariffs(value) -> None:
    """A programme's tariffs: a list of {annual_cost, weekly_groups, courses_per_year,
    seats_per_course[, published_price]}, amounts in kroner of 0 or more, counts of 1 or more."""
    message = _(
        "Hver takst skal have en årspris (annual_cost, 0 eller mere) og hele tal på mindst 1 "
        "for weekly_groups, courses_per_year og seats_per_course."
    )
    if not isinstance(value, list):
        raise ValidationError(message)
    for tariff in value:
        if not isinstance(tariff, dict):
            raise ValidationError(message)
        amounts = [tariff.get("annual_cost"), tariff.get("published_price", 0)]
        counts = [tariff.get(key) for key in TARIFF_WHOLE_NUMBERS]
        if not all(
            isinstance(amount, int | float) and not isinstance(amount, bool) and amount >= 0
            for amount in amounts
        ) or not all(
            isinstance(count, int) and not isinstance(count, bool) and count >= 1
            for count in counts
        ):
            raise ValidationError(message)


# The programme values a coordinator may mark as an example: numbers and texts that no source
# (the programme's own description, a decision) gives yet. They are shown with "Eksempel"
# wherever a coordinator or citizen sees them, until the organisation sets them.
EXAMPLE_FIELDS = (
    "capacity",
    "weeks",
    "session_minutes",
    "required_peers",
    "required_professionals",
    "legal_basis",
    # The programme's own contact person, phone and e-mail.
    "contact_name",
)


def validate_example_fields(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(name, str) and name in EXAMPLE_FIELDS for name in value
    ):
        raise ValidationError(
            _("Eksempelværdier skal være en liste med nogle af felterne %(fields)s."),
            params={"fields": ", ".join(EXAMPLE_FIELDS)},
        )


class ProgramQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Program(models.Model):
    class Audience(models.TextChoices):
        CHILDREN_AND_YOUTH = "children_youth", _("Børn og unge")
        YOUTH = "youth", _("Unge")
        PARENTS = "parents", _("Forældre")
        ADULTS = "adults", _("Voksne")

    class Format(models.TextChoices):
        GROUP_COURSE = "group_course", _("Gruppeforløb")
        OPEN_ACTIVITY = "open_activity", _("Åben aktivitet")
        ACCOMPANIMENT = "accompaniment", _("Følgeskab")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("navn"), max_length=200)
    summary = models.TextField(
        _("kort beskrivelse"), help_text=_("Med almindelige ord: hvad sker der, og for hvem.")
    )
    summary_en = models.TextField(
        _("kort beskrivelse på engelsk"),
        blank=True,
        help_text=_("Valgfri. Uden en engelsk tekst viser de engelske sider den danske."),
    )
    legal_basis = models.TextField(
        _("lovgrundlag"),
        help_text=_("Vises for borgerne, fx “Serviceloven § 82 a og § 82 d”."),
    )
    contact_name = models.CharField(
        _("kontaktperson"),
        max_length=120,
        blank=True,
        help_text=_("Kun hvis det er en anden end organisationens kontaktperson."),
    )
    contact_phone = DanishPhoneField(_("kontakttelefon"), blank=True)
    contact_email = models.EmailField(_("kontakt-e-mail"), blank=True)
    audience = models.CharField(_("målgruppe"), max_length=20, choices=Audience.choices)
    target_group = models.TextField(
        _("hvem er det for"), help_text=_("Beskriv målgruppen med almindelige ord.")
    )
    target_group_en = models.TextField(_("hvem er det for, på engelsk"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("mindste alder"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("højeste alder"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    format = models.CharField(
        _("form"), max_length=20, choices=Format.choices, default=Format.GROUP_COURSE
    )
    weeks = models.PositiveSmallIntegerField(
        _("antal uger"), default=10, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("varighed pr. gang (minutter)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("pladser pr. forløb"), default=10, validators=[MinValueValidator(1)]
    )
    parents_join = models.BooleanField(
        _("forældre kan deltage sammen med barnet"),
        default=False,
        help_text=_(
            "Forløbet er for børn og deres forældre: den, der har forældremyndigheden, kan "
            "tilmelde sig selv sammen med barnet i én tilmelding."
        ),
    )
    parent_takes_seat = models.BooleanField(
        _("en forælder optager en plads"),
        default=True,
        help_text=_(
            "Tæller en forælder, der deltager sammen med sit barn, med i forløbets pladser?"
        ),
    )
    custody_hold_days = models.PositiveSmallIntegerField(
        _("dage pladsen holdes til forældremyndighedens bekræftelse"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Et barn under 15 år får først sin plads, når forældremyndigheden har bekræftet "
            "tilmeldingen. Så længe holdes pladsen; derefter går den videre."
        ),
    )
    required_peers = models.PositiveSmallIntegerField(_("antal peers pr. forløb"), default=2)
    required_professionals = models.PositiveSmallIntegerField(
        _("antal fagprofessionelle pr. forløb"), default=0
    )
    intake_open_until_session = models.PositiveSmallIntegerField(
        _("optag åbent til og med gang nr."),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Nye deltagere kan komme med til og med denne gang: tilmeldingen lukker, når den "
            "begynder. Aflyste gange tæller ikke med. Tomt betyder, at der kun optages før "
            "første gang."
        ),
    )
    offers_accompaniment = models.BooleanField(
        _("tilbyder følgeskab"),
        default=False,
        help_text=_(
            "En frivillig kan følge en borger til aftaler, aktiviteter og foreninger. Peers er "
            "ikke bisiddere og ikke part i borgerens sag."
        ),
    )
    accompaniment_limit_months = models.PositiveSmallIntegerField(
        _("følgeskab i højst (måneder)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Programmets egen ramme, ikke en lovbestemt grænse. Tom: ingen fast grænse, "
            "og den planlagte slutdato aftales for hvert følgeskab."
        ),
    )
    accompaniment_limit_is_example = models.BooleanField(
        _("grænsen er et eksempel"),
        default=False,
        help_text=_(
            "Sæt flueben, når grænsen ikke kommer fra programmets egen beskrivelse: den vises "
            "så som “Eksempel”, indtil organisationen har fastsat den."
        ),
    )
    example_fields = models.JSONField(
        _("eksempelværdier"),
        default=list,
        blank=True,
        validators=[validate_example_fields],
        help_text=_(
            "Værdier, som ikke kommer fra programmets egen beskrivelse: de vises som "
            "“Eksempel” på forløbets side, i manualen og på opslaget, indtil organisationen "
            "har fastsat dem."
        ),
    )
    eligibility_rules = models.JSONField(
        _("optagelseskriterier"),
        default=list,
        blank=True,
        help_text=_("Reglerne for hvem der kan deltage, som data (se dokumentationen)."),
    )
    skip_public_holidays = models.BooleanField(_("spring helligdage over"), default=True)
    reminder_hours = models.PositiveSmallIntegerField(
        _("påmindelse (timer før)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("Hvor længe før hver gang deltagere og facilitatorer får en påmindelse."),
    )
    share_attendance_with_partners = models.BooleanField(
        _("del fremmøde med kommunale partnere"),
        default=False,
        help_text=_(
            "Kommunale partnere ser kun tal for fremmøde, når dette er slået til. Det er slået "
            "fra som udgangspunkt, fordi deltagerne får at vide, at deres fremmøde ikke "
            "bliver meldt tilbage til kommunen."
        ),
    )
    tariffs = models.JSONField(
        _("takster"),
        default=list,
        blank=True,
        validators=[validate_tariffs],
        help_text=_(
            "Årspriser for køb af grupper, som takstsiden regner videre på, fx "
            '[{"annual_cost": 140000, "weekly_groups": 1, "courses_per_year": 4, '
            '"seats_per_course": 12, "published_price": 2908}]. "published_price" er den '
            "pris pr. deltager, kilden selv oplyser (kan udelades)."
        ),
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programmer")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_program_name"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="program_age_range_ordered",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="program_capacity"),
        ]

    def __str__(self):
        return self.name

    @property
    def example_flags(self) -> dict[str, bool]:
        """Which values are examples, by field name, for templates
        (`program.example_flags.capacity`)."""
        return {name: name in self.example_fields for name in EXAMPLE_FIELDS}

    @property
    def session_length(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.session_minutes)

    def clean(self):
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError(
                {"max_age": _("Den højeste alder skal være mindst lige så høj som den mindste.")}
            )
        if self.accompaniment_limit_months and not self.offers_accompaniment:
            raise ValidationError(
                {
                    "accompaniment_limit_months": _(
                        "Et program, der ikke tilbyder følgeskab, har ingen grænse for det: "
                        "sæt flueben i “tilbyder følgeskab”, eller fjern grænsen."
                    )
                }
            )
        validate_contact(self)
        rules = self.eligibility_rules
        if not isinstance(rules, list):
            raise ValidationError(
                {
                    "eligibility_rules": _(
                        "Optagelseskriterierne skal være en liste af regler, "
                        'fx [{"rule": "min_age", "value": 18}].'
                    )
                }
            )
        # The layer that reads the rules (participants) checks them.
        problems = [
            problem
            for found in hooks.answers(hooks.eligibility_rules_problems, rules=rules)
            for problem in found
        ]
        if problems:
            raise ValidationError({"eligibility_rules": problems})


class ThemeQuerySet(OrganisationScopedQuerySet):
    organisation_path = "program__organisation"


class Theme(models.Model):
    """The subject of session `number` in a programme's manual."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="themes", verbose_name=_("program")
    )
    number = models.PositiveSmallIntegerField(_("gang nr."), validators=[MinValueValidator(1)])
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel på engelsk"), max_length=200, blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    exercises = models.TextField(_("øvelser"), blank=True)
    facilitator_notes = models.TextField(_("noter til facilitatorer"), blank=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"],
                name="unique_theme_number",
                violation_error_message=_("Programmet har allerede et tema med dette nummer."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CourseQuerySet(OrganisationScopedQuerySet):
    organisation_path = "program__organisation"

    def with_intake_deadline(self):
        """Annotate `intake_closes_at`: when the course stops taking newcomers.

        That is the start of its Nth session that is not cancelled, N being the programme's
        `intake_open_until_session` (1 when empty: intake only before the first session).
        "Open for the first three sessions" means a newcomer may join at session 1, 2 or 3, so
        registration closes when the third session starts. Sessions count in the order they
        take place; a cancelled one does not count. A course with fewer such sessions closes
        when its last one starts; one with none has no deadline (None) and takes nobody.
        """
        held_or_planned = Session.objects.exclude(status=Session.Status.CANCELLED)
        rank = (
            held_or_planned.filter(course=models.OuterRef("course"))
            .filter(
                models.Q(starts_at__lt=models.OuterRef("starts_at"))
                | models.Q(
                    starts_at=models.OuterRef("starts_at"), number__lte=models.OuterRef("number")
                )
            )
            .order_by()
            .values("course")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        nth = (
            held_or_planned.filter(course=models.OuterRef("pk"))
            .annotate(rank=models.Subquery(rank))
            .filter(rank__gte=Coalesce(models.OuterRef("program__intake_open_until_session"), 1))
            .order_by("starts_at", "number")
            .values("starts_at")[:1]
        )
        last = (
            held_or_planned.filter(course=models.OuterRef("pk"))
            .order_by("-starts_at", "-number")
            .values("starts_at")[:1]
        )
        return self.annotate(intake_closes_at=Coalesce(models.Subquery(nth), models.Subquery(last)))

    def taking_registrations(self, *, now=None):
        """The one definition of "takes registrations now": open or running, and before
        `intake_closes_at` (see `with_intake_deadline`). Waitlist promotion follows it too."""
        now = now or timezone.now()
        return (
            self.with_intake_deadline()
            .filter(status__in=Course.ACTIVE)
            .filter(intake_closes_at__gt=now)
        )

    def intake_closed(self, *, now=None):
        """Open or running courses whose intake has closed by `now`."""
        now = now or timezone.now()
        return (
            self.with_intake_deadline()
            .filter(status__in=Course.ACTIVE)
            .filter(intake_closes_at__lte=now)
        )


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        OPEN = "open", _("Åben for tilmelding")
        RUNNING = "running", _("I gang")
        FINISHED = "finished", _("Afsluttet")
        CANCELLED = "cancelled", _("Aflyst")

    # Open or running: people are signed up and want to hear about changes.
    ACTIVE = [Status.OPEN, Status.RUNNING]

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="courses", verbose_name=_("program")
    )
    title = models.CharField(
        _("titel"), max_length=200, help_text=_("Fx “Forår 2027, Fredericia”.")
    )
    place = models.CharField(_("sted"), max_length=200)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    # A code, not free text: statistics partners see the courses held in the municipalities
    # they represent (peerprogram.permissions.report_course_filter).
    municipality = models.CharField(
        _("kommune"),
        max_length=3,
        choices=MUNICIPALITY_CHOICES,
        help_text=_("Kommunen hvor forløbet holdes."),
    )
    first_date = models.DateField(_("første gang"))
    start_time = models.TimeField(_("starttidspunkt"))
    capacity = models.PositiveSmallIntegerField(
        _("pladser"), validators=[MinValueValidator(1)], help_text=_("Højst antal deltagere.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # A course may narrow the programme's ages ("Børn 8–12 år" in an 8–18 programme); for a
    # parent group they are the child's ages, as in the programme. participants.eligibility
    # enforces them and states them on the course page.
    min_age = models.PositiveSmallIntegerField(
        _("mindste alder"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Kun hvis forløbet er for en del af programmets aldersgruppe."),
    )
    max_age = models.PositiveSmallIntegerField(
        _("højeste alder"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Kun hvis forløbet er for en del af programmets aldersgruppe."),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Counts changes to what the course's public pages show (groups.page_versions).
    public_version = models.PositiveIntegerField(default=0, editable=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-first_date", "pk"]
        verbose_name = pgettext_lazy("one course", "forløb")
        verbose_name_plural = pgettext_lazy("several courses", "forløb")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="course_capacity"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="course_age_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.program.name}: {self.title}"

    @property
    def organisation(self):
        return self.program.organisation

    @property
    def weekday(self) -> int:
        """0 = Monday. Sessions repeat on the weekday of the first date."""
        return self.first_date.weekday()

    def takes_registrations(self, *, now=None) -> bool:
        return Course.objects.filter(pk=self.pk).taking_registrations(now=now).exists()

    @property
    def is_active(self) -> bool:
        """Open or running: people are signed up and want to hear about changes."""
        return self.status in self.ACTIVE

    def clean(self):
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError(
                {"max_age": _("Den højeste alder skal være mindst lige så høj som den mindste.")}
            )
        program = self.program if self.program_id else None
        if program is None:
            return
        low, high = program.min_age, program.max_age
        for field, age in (("min_age", self.min_age), ("max_age", self.max_age)):
            if age is None:
                continue
            if (low is not None and age < low) or (high is not None and age > high):
                raise ValidationError({field: self._outside_program_message(low, high)})

    @staticmethod
    def _outside_program_message(low: int | None, high: int | None) -> str:
        if low is not None and high is not None:
            return _("Alderen skal ligge inden for programmets %(min)s–%(max)s år.") % {
                "min": low,
                "max": high,
            }
        if low is not None:
            return _("Alderen skal være mindst programmets %(min)s år.") % {"min": low}
        return _("Alderen må højst være programmets %(max)s år.") % {"max": high}

    def cancel(self):
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status"])


class SessionQuerySet(OrganisationScopedQuerySet):
    organisation_path = "course__program__organisation"

    def in_week_of(self, day: datetime.date):
        monday = day - datetime.timedelta(days=day.weekday())
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
        return self.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7))


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        CANCELLED = "cancelled", _("Aflyst")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("forløb")
    )
    number = models.PositiveSmallIntegerField(_("gang nr."), validators=[MinValueValidator(1)])
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("tema"),
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    moved = models.BooleanField(
        _("flyttet"),
        default=False,
        help_text=_("En flyttet gang beholder sit tidspunkt, når forløbet planlægges igen."),
    )
    # Bumped whenever time or place changes, so a reminder sent for an old time is not
    # mistaken for one sent for the new time.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("gang")
        verbose_name_plural = _("gange")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"],
                name="unique_session_number",
                violation_error_message=_("Forløbet har allerede en gang med dette nummer."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("En gang skal slutte efter den starter."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return _("%(course)s, gang %(number)s") % {
            "course": self.course.title,
            "number": self.number,
        }

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("En gang skal slutte efter den starter. Ret sluttidspunktet.")}
            )


class RenderedDocumentQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class RenderedDocument(models.Model):
    """A rendered PDF and the fingerprint of everything it shows; reused until that changes."""

    class Kind(models.TextChoices):
        PROGRAM_MANUAL = "program_manual", _("Manual")
        COURSE_MANUAL = "course_manual", _("Manual for forløbet")
        FLYER = "flyer", _("Opslag")
        CONTACT_CARD = "contact_card", _("Kontaktkort")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("slags"), max_length=20, choices=Kind.choices)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="pdf/")
    pages = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF")
        verbose_name_plural = _("PDF'er")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "program", "course", "fingerprint"], name="unique_rendering"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
