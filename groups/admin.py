from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups import manuals, services, tasks
from groups.forms import SessionMoveForm
from groups.models import EXAMPLE_FIELDS, Course, Program, RenderedDocument, Session, Theme
from peerprogram import hooks
from peerprogram.admin_site import (
    MunicipalityListFilter,
    OrganisationScopedAdminMixin,
    OrganisationScopedModelAdmin,
)
from peerprogram.permissions import NOBODY


class PrintablesAdminMixin:
    """PDF downloads on the change page: a fresh copy streams at once; otherwise a worker
    renders it while the page shows progress and looks again every few seconds."""

    printable_kinds: tuple = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/pdf/<str:kind>/",
                self.admin_site.admin_view(self.pdf_view),
                name="{}_{}_pdf".format(*info),
            ),
            path(
                "<path:object_id>/manual-preview/",
                self.admin_site.admin_view(self.manual_preview_view),
                name="{}_{}_manual_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id, kind):
        if kind not in self.printable_kinds:
            raise Http404
        obj = self.object_for(request, object_id)
        stored, print_fingerprint = manuals.document_fresh(kind, obj)
        if stored is None:
            manuals.document_render_soon(kind, obj, print_fingerprint)
            stored, _current = manuals.document_fresh(kind, obj)  # done already if run eagerly
        if stored is not None:
            return FileResponse(
                stored.file.open("rb"),
                content_type="application/pdf",
                filename=f"{slugify(obj)}-{kind}.pdf",
            )
        return TemplateResponse(
            request,
            "admin/groups/pdf_progress.html",
            {
                **self.admin_site.each_context(request),
                "title": _("PDF'en bliver lavet"),
                "object": obj,
                "kind_label": RenderedDocument.Kind(kind).label,
                "opts": self.opts,
            },
        )

    def manual_preview_view(self, request, object_id):
        obj = self.object_for(request, object_id)
        context = (
            manuals.manual_context(obj)
            if isinstance(obj, Program)
            else manuals.manual_context(obj.program, obj)
        )
        return TemplateResponse(
            request,
            "pdf/manual.html",
            {**context, "stylesheet_url": static("pdf/print.css"), "generated_on": ""},
        )

    @admin.action(description=_("Lav PDF-manualer til valgte"))
    def render_manuals(self, request, queryset):
        kind = self.printable_kinds[0]
        for obj in queryset:
            tasks.render_document.delay(kind, obj.pk)
        self.message_user(
            request,
            _("Manualerne bliver lavet. Hent dem med knappen på siden om lidt."),
            messages.SUCCESS,
        )


SESSION_TIME_FIELDS = {"starts_at", "ends_at", "place"}


class ThemeInline(OrganisationScopedAdminMixin, admin.StackedInline):
    model = Theme
    extra = 0
    fields = ["number", "title", "title_en", "purpose", "exercises", "facilitator_notes"]


def _example_field_label(name: str):
    return Program._meta.get_field(name).verbose_name


class ProgramAdminForm(forms.ModelForm):
    # Stored as a list of field names; chosen here from the values that may be examples.
    example_fields = forms.MultipleChoiceField(
        label=Program._meta.get_field("example_fields").verbose_name,
        help_text=Program._meta.get_field("example_fields").help_text,
        choices=[(name, _example_field_label(name)) for name in EXAMPLE_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Program
        fields = ["example_fields"]


@admin.register(Program)
class ProgramAdmin(PrintablesAdminMixin, OrganisationScopedModelAdmin):
    form = ProgramAdminForm
    printable_kinds = (RenderedDocument.Kind.PROGRAM_MANUAL, RenderedDocument.Kind.CONTACT_CARD)
    actions = ["render_manuals"]
    list_display = [
        "name",
        "organisation",
        "audience",
        "format",
        "weeks",
        "capacity",
        "accompaniment",
    ]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "audience", "format"]
    search_fields = ["name", "target_group"]
    list_select_related = ["organisation"]
    inlines = [ThemeInline]
    fieldsets = [
        (None, {"fields": ["organisation", "name", "summary", "legal_basis"]}),
        (
            _("Kontakt"),
            {
                "description": _(
                    "Kun hvis programmet har sin egen kontakt. Står felterne tomme, gælder "
                    "organisationens kontakt."
                ),
                "fields": ["contact_name", "contact_phone", "contact_email"],
            },
        ),
        (_("Målgruppe"), {"fields": ["audience", "target_group", "min_age", "max_age"]}),
        (
            _("Form og omfang"),
            {
                "fields": [
                    "format",
                    "weeks",
                    "session_minutes",
                    "capacity",
                    "required_peers",
                    "required_professionals",
                    "intake_open_until_session",
                    "offers_accompaniment",
                    "accompaniment_limit_months",
                    "accompaniment_limit_is_example",
                    "skip_public_holidays",
                    "reminder_hours",
                ]
            },
        ),
        (
            _("På engelsk"),
            {
                "fields": ["summary_en", "target_group_en"],
                "classes": ["collapse"],
                "description": _(
                    "Valgfrit. Vises på de engelske sider; uden en engelsk tekst vises den "
                    "danske med en note om, at den kun findes på dansk."
                ),
            },
        ),
        (_("Eksempler"), {"fields": ["example_fields"]}),
        (_("Optagelse"), {"fields": ["eligibility_rules"]}),
        (_("Deling med partnere"), {"fields": ["share_attendance_with_partners"]}),
        (_("Takst"), {"fields": ["tariffs"]}),
    ]

    @admin.display(description=_("følgeskab"))
    def accompaniment(self, program):
        if not program.offers_accompaniment:
            return "–"
        if not program.accompaniment_limit_months:
            return _("uden fast grænse")
        months = _("højst %(months)d mdr.") % {"months": program.accompaniment_limit_months}
        return (
            _("%(months)s (Eksempel)") % {"months": months}
            if (program.accompaniment_limit_is_example)
            else months
        )


@admin.display(description=_("flyttet"), ordering="moved")
def moved_mark(session):
    """Only a moved session is marked: Django's boolean icons would put a red cross, which
    reads as an error, on every session that kept its time."""
    return _("Flyttet") if session.moved else ""


class SessionInline(OrganisationScopedAdminMixin, admin.TabularInline):
    """The course's sessions at a glance; each is changed, moved or cancelled on its own page,
    where every field has its label."""

    model = Session
    extra = 0
    fields = ["number", "theme", "starts_at", "ends_at", "place", "status", "moved_mark"]
    readonly_fields = fields
    ordering = ["number"]
    show_change_link = True
    can_delete = False
    add_needs = NOBODY

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("theme")

    moved_mark = staticmethod(moved_mark)


@admin.register(Course)
class CourseAdmin(PrintablesAdminMixin, OrganisationScopedModelAdmin):
    printable_kinds = (RenderedDocument.Kind.COURSE_MANUAL, RenderedDocument.Kind.FLYER)
    list_display = [
        "title",
        "program",
        "organisation_name",
        "first_date",
        "weekday_name",
        "start_time",
        "status",
        "seats",
        "session_count",
    ]
    list_filter = [
        ("program", admin.RelatedOnlyFieldListFilter),
        "status",
        MunicipalityListFilter,
        ("program__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "place", "municipality", "program__name"]
    list_select_related = ["program__organisation"]
    date_hierarchy = "first_date"
    inlines = [SessionInline]
    actions = ["cancel_courses", "plan_sessions", "render_manuals"]
    fields = [
        "program",
        "title",
        "status",
        "place",
        "address",
        "municipality",
        "first_date",
        "start_time",
        "capacity",
        "min_age",
        "max_age",
        "program_examples",
    ]
    readonly_fields = ["program_examples"]

    def _extensions(self) -> list[hooks.AdminExtension]:
        """What higher layers add (hook `course_admin_extensions`): volunteers' facilitators."""
        return hooks.answers(hooks.course_admin_extensions)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None:
            return inlines
        added = [inline for extension in self._extensions() for inline in extension.inlines]
        return [*added, *inlines]

    def get_list_display(self, request):
        columns = [column for extension in self._extensions() for column in extension.columns]
        return [*super().get_list_display(request), *columns]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                # Distinct: the facilitator counts (volunteers' hook) join a second table, which
                # would otherwise count each session once per facilitator.
                planned_sessions=Count(
                    "sessions", filter=Q(sessions__status=Session.Status.PLANNED), distinct=True
                )
            )
        )
        for extension in self._extensions():
            if extension.annotate is not None:
                queryset = extension.annotate(queryset)
        return queryset

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("capacity", Program._meta.get_field("capacity").default)
        return initial

    @admin.display(description=_("organisation"), ordering="program__organisation__name")
    def organisation_name(self, course):
        return course.program.organisation.name

    @admin.display(description=_("ugedag"))
    def weekday_name(self, course):
        return date_format(course.first_date, "l")

    @admin.display(description=_("eksempelværdier i programmet"))
    def program_examples(self, course):
        """Which of the programme's values are examples (Program.example_fields), so the
        coordinator sees them next to the course; they are changed on the programme."""
        if course.pk is None or not course.program.example_fields:
            return "–"
        return _("Eksempel: %(fields)s. Ret dem på programmet.") % {
            "fields": ", ".join(
                str(_example_field_label(name))
                for name in EXAMPLE_FIELDS
                if name in course.program.example_fields
            )
        }

    @admin.display(description=_("pladser"), ordering="capacity")
    def seats(self, course):
        return course.capacity

    @admin.display(description=_("gange"), ordering="planned_sessions")
    def session_count(self, course):
        return course.planned_sessions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        plan_fields = {"program", "first_date", "start_time", "place"}
        if not change or plan_fields & set(form.changed_data):
            self._plan(request, form.instance)

    def _plan(self, request, course):
        try:
            result = services.course_plan_sessions(course=course)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            _(
                "Gange for %(course)s: %(created)d oprettet, %(updated)d ændret, "
                "%(cancelled)d aflyst."
            )
            % {
                "course": course.title,
                "created": result.created,
                "updated": result.updated,
                "cancelled": result.cancelled,
            },
            messages.SUCCESS,
        )

    @admin.action(description=_("Aflys valgte forløb"))
    def cancel_courses(self, request, queryset):
        sessions = 0
        for course in queryset:
            sessions += services.course_cancel(course=course)
        self.message_user(
            request,
            ngettext(
                "%(count)d forløb er aflyst (%(sessions)d kommende gange aflyst).",
                "%(count)d forløb er aflyst (%(sessions)d kommende gange aflyst).",
                len(queryset),
            )
            % {"count": len(queryset), "sessions": sessions},
            messages.SUCCESS,
        )

    @admin.action(description=_("Planlæg gange igen (flyttede og aflyste gange bevares)"))
    def plan_sessions(self, request, queryset):
        for course in queryset.select_related("program"):
            self._plan(request, course)


@admin.register(Session)
class SessionAdmin(OrganisationScopedModelAdmin):
    list_display = [
        "__str__",
        "program_name",
        "number",
        "theme",
        "starts_at",
        "place",
        "status",
        moved_mark,
    ]
    list_filter = [
        "status",
        "moved",
        ("course__program", admin.RelatedOnlyFieldListFilter),
        ("course__program__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["course__title", "course__program__name", "place", "theme__title"]
    list_select_related = ["course__program", "theme"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    actions = ["move_session", "cancel_sessions", "restore_sessions"]
    fields = [
        "course",
        "number",
        "theme",
        "starts_at",
        "ends_at",
        "place",
        "status",
        "moved_mark",
    ]
    # Status changes go through the actions, which tell the people affected.
    readonly_fields = ["course", "number", "status", "moved_mark"]
    moved_mark = staticmethod(moved_mark)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "theme" in form.base_fields:
            form.base_fields["theme"].queryset = obj.course.program.themes.all()
        return form

    # Sessions come from the course's plan; coordinators add courses, not loose sessions.
    add_needs = NOBODY

    @admin.display(description=_("program"), ordering="course__program__name")
    def program_name(self, session):
        return session.course.program.name

    def save_model(self, request, obj, form, change):
        if change and SESSION_TIME_FIELDS & set(form.changed_data):
            services.session_save_changed_by_hand(session=obj)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Aflys valgte gange"))
    def cancel_sessions(self, request, queryset):
        for session in queryset:
            services.session_cancel(session=session)
        self.message_user(
            request,
            ngettext("%(count)d gang er aflyst.", "%(count)d gange er aflyst.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Genoptag valgte aflyste gange"))
    def restore_sessions(self, request, queryset):
        for session in queryset:
            services.session_restore(session=session)
        self.message_user(
            request,
            ngettext(
                "%(count)d gang er genoptaget.", "%(count)d gange er genoptaget.", len(queryset)
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Flyt valgt gang"))
    def move_session(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Vælg præcis én gang, der skal flyttes."), messages.WARNING
            )
            return None
        session = queryset.get()
        form = SessionMoveForm(
            request.POST if "apply" in request.POST else None,
            initial={"starts_at": session.starts_at, "place": session.place},
        )
        if form.is_valid():
            try:
                services.session_move(
                    session=session,
                    starts_at=form.cleaned_data["starts_at"],
                    place=form.cleaned_data["place"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("%(session)s er flyttet til %(when)s.")
                    % {
                        "session": session,
                        "when": date_format(
                            timezone.localtime(session.starts_at), "DATETIME_FORMAT"
                        ),
                    },
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Flyt gang"),
                "intro": _("De andre gange i forløbet beholder deres tidspunkter."),
                "objects": [session],
                "form": form,
                "action": "move_session",
                "selected": [session.pk],
                "opts": self.opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
