from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluation import report_csv, reports, services
from evaluation.forms import EvaluationSheetForm, TariffForm
from evaluation.models import Item, Questionnaire, Report
from evaluation.report_scope import report_scope
from evaluation.tariff import Tariff, format_number, stored_tariffs
from groups.models import Course
from participants.figures import course_figures, program_figures
from peerprogram.admin_site import OrganisationScopedModelAdmin, ReadOnlyAdminMixin
from peerprogram.csvsafe import csv_writer
from peerprogram.models import Organisation
from peerprogram.permissions import (
    AdminPolicy,
    Purpose,
    get_object_for_user,
    may,
    may_change_shared_records,
    report_course_filter,
)
from peerprogram.printing import qr_data_uri, render_pdf

NO_QUESTIONNAIRE_FOR_CHILDREN = _(
    "⚠ Ingen evaluering: programmet optager børn, og WHO-5 og recovery-spørgsmålene er kun "
    "for voksne. Vælg et spørgeskema, der passer til deltagernes alder (under Spørgeskemaer)."
)


def _shared_for_reading(request, questionnaire) -> bool:
    """A shared template (no organisation) appears on every organisation's evaluation page
    that has no questionnaire of its own, so only superusers change it or its questions;
    coordinators read and copy it."""
    return questionnaire.is_template and not may_change_shared_records(request.user)


class ItemInline(AdminPolicy, admin.TabularInline):
    model = Item
    extra = 0
    fields = ["number", "text", "kind", "reverse_scored", "domain"]

    shared_rows_readable = True

    def allows(self, action, questionnaire):
        # A validated instrument keeps its wording.
        return action == "view" or not questionnaire.locked


@admin.register(Questionnaire)
class QuestionnaireAdmin(OrganisationScopedModelAdmin):
    """The organisation's questionnaires, plus the shipped templates to copy (read-only).
    A validated instrument keeps its wording: its questions cannot be edited."""

    list_display = ["name", "organisation", "program", "phase", "min_age", "scoring", "locked"]
    list_filter = ["phase", "locked"]
    list_select_related = ["organisation", "program"]
    inlines = [ItemInline]
    actions = ["copy_to_my_organisation"]
    fields = [
        "organisation",
        "program",
        "phase",
        "name",
        "intro",
        "scale",
        "scoring",
        "min_age",
        "locked",
        "attribution",
    ]

    def get_queryset(self, request):
        # The organisation's own questionnaires, and the shared templates to copy.
        questionnaires = Questionnaire.objects.select_related("organisation", "program")
        return super().get_queryset(request) | questionnaires.filter(organisation=None)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.locked or _shared_for_reading(request, obj)):
            return [*self.fields]
        return ["locked"]

    # A shared template (no organisation) is everybody's to read and copy; only superusers
    # change it (peerprogram.permissions).
    shared_rows_readable = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and not may_change_shared_records(request.user):
            # Left empty it would make a shared template. The choices are already only the
            # organisations the coordinator runs, and the form checks a posted value
            # against them.
            formfield.required = True
            formfield.error_messages["required"] = _(
                "Vælg den organisation, spørgeskemaet hører til. "
                "Kun en superbruger kan lave fælles skabeloner."
            )
        return formfield

    @admin.action(description=_("Kopiér til min organisation"))
    def copy_to_my_organisation(self, request, queryset):
        # Only where the user coordinates; with more than one, they choose (an intermediate
        # page that posts the action again with the organisation).
        organisations = [
            organisation
            for organisation in Organisation.objects.for_user(request.user).order_by("name")
            if may(request.user, Purpose.COORDINATE, organisation)
        ]
        if not organisations:
            self.message_user(
                request,
                _("Du er ikke koordinator i en organisation, så der er ingen at kopiere til."),
                messages.ERROR,
            )
            return None
        chosen = request.POST.get("organisation")
        if len(organisations) > 1 and chosen is None:
            return TemplateResponse(
                request,
                "admin/evaluation/questionnaire/copy.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Kopiér spørgeskema"),
                    "opts": self.opts,
                    "questionnaires": queryset,
                    "organisations": organisations,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        if len(organisations) == 1 and chosen is None:
            organisation = organisations[0]
        else:
            organisation = next((o for o in organisations if str(o.pk) == chosen), None)
        if organisation is None:
            self.message_user(
                request,
                _("Vælg en af de organisationer, du er koordinator i. Intet er kopieret."),
                messages.ERROR,
            )
            return None
        for questionnaire in queryset.prefetch_related("items"):
            services.questionnaire_copy(questionnaire=questionnaire, organisation=organisation)
        self.message_user(
            request,
            ngettext(
                "%(count)d spørgeskema er kopieret til %(organisation)s.",
                "%(count)d spørgeskemaer er kopieret til %(organisation)s.",
                len(queryset),
            )
            % {"count": len(queryset), "organisation": organisation.name},
            messages.SUCCESS,
        )
        return None


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
    """Per programme: outcome reports, programme figures and the tariff, for the coordinator's
    own organisations. Read-only; small groups are hidden by evaluation.reports."""

    list_display = ["name", "organisation", "course_count", "evaluation_status", "tariff_link"]
    list_select_related = ["organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    actions = None

    # Statistics-only partners read reports too: aggregates only, attendance only where the
    # programme shares it. Printing answer cards stays with the coordinators.

    view_needs = Purpose.REPORT

    def get_queryset(self, request):
        programs = super().get_queryset(request).select_related("organisation")
        # The courses column counts what the reader's reports draw on: a statistics partner's
        # courses in the municipalities it represents.
        filters = [
            (organisation_id, report_course_filter(request.user, organisation_id))
            for organisation_id in set(programs.values_list("organisation_id", flat=True))
        ]
        if all(course_filter is None for _organisation, course_filter in filters):
            return programs.annotate(course_count=Count("courses"))
        readable = Q(pk__in=[])
        for organisation_id, course_filter in filters:
            readable |= Q(program__organisation_id=organisation_id) & (course_filter or Q())
        return programs.annotate(
            course_count=Count("courses", filter=Q(courses__in=Course.objects.filter(readable)))
        )

    @admin.display(description=_("forløb"), ordering="course_count")
    def course_count(self, program):
        return program.course_count

    @admin.display(description=_("evaluering"))
    def evaluation_status(self, program):
        return (
            NO_QUESTIONNAIRE_FOR_CHILDREN
            if services.lacks_questionnaire_for_its_age(program)
            else "–"
        )

    @admin.display(description=_("takst"))
    def tariff_link(self, program):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:evaluation_report_tariff", args=[program.pk]),
            _("Beregn takst"),
        )

    def get_urls(self):
        def view(function, route, name):
            return path(
                route, self.admin_site.admin_view(function), name=f"evaluation_report_{name}"
            )

        return [
            view(self.csv_view, "<int:object_id>/csv/", "csv"),
            view(self.pdf_view, "<int:object_id>/pdf/", "pdf"),
            view(self.tariff_view, "<int:object_id>/tariff/", "tariff"),
            view(self.course_view, "course/<int:course_id>/", "course"),
            view(self.course_csv_view, "course/<int:course_id>/csv/", "course_csv"),
            view(self.course_pdf_view, "course/<int:course_id>/pdf/", "course_pdf"),
            view(self.sheet_view, "course/<int:course_id>/sheet/", "sheet"),
            *super().get_urls(),
        ]

    # Reading -------------------------------------------------------------------------------

    def _program(self, request, object_id):
        # Another organisation's programme, or an id that is no number ("abc", "7/export.json"
        # through the catch-all change URL), is simply not found.
        return self.object_for(request, object_id)

    def _course(self, request, course_id, purpose=Purpose.REPORT):
        courses = Course.objects.select_related("program__organisation")
        course = get_object_for_user(courses, request.user, purpose, pk=course_id)
        # A course outside a partner's municipalities is not there for them.
        if not report_scope(request.user, course.program).includes(course):
            raise Http404
        return course

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    @staticmethod
    def _program_context(request, program):
        """The programme's report and figures as the reader may see them."""
        scope = report_scope(request.user, program)
        return {
            "program": program,
            "report": reports.program_report(program, course_filter=scope.course_filter),
            "figures": program_figures(program, course_filter=scope.course_filter),
            "show_attendance": scope.shows_attendance,
        }

    @staticmethod
    def _course_context(request, course):
        scope = report_scope(request.user, course.program)
        return {
            "program": course.program,
            "course": course,
            "group": reports.course_report(course, course_filter=scope.course_filter),
            "figures": course_figures(course),
            "show_attendance": scope.shows_attendance,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        program = self._program(request, object_id)
        return self._page(
            request,
            "admin/evaluation/report/program.html",
            _("Rapport: %(program)s") % {"program": program.name},
            **self._program_context(request, program),
            evaluation_warning=(
                NO_QUESTIONNAIRE_FOR_CHILDREN
                if services.lacks_questionnaire_for_its_age(program)
                else ""
            ),
        )

    def course_view(self, request, course_id):
        course = self._course(request, course_id)
        return self._page(
            request,
            "admin/evaluation/report/course.html",
            _("Rapport: %(course)s") % {"course": course},
            **self._course_context(request, course),
            can_print=may(request.user, Purpose.COORDINATE, course.program.organisation_id),
        )

    # Exports -------------------------------------------------------------------------------

    def _csv(self, rows, filename):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
        writer = csv_writer(response, delimiter=";")
        writer.writerow(report_csv.CSV_HEADER)
        writer.writerows(rows)
        return response

    # The CSV holds the evaluation's aggregates only: no attendance figure ever goes into it.
    def csv_view(self, request, object_id):
        program = self._program(request, object_id)
        course_filter = report_scope(request.user, program).course_filter
        report = reports.program_report(program, course_filter=course_filter)
        return self._csv(report_csv.csv_rows(report), f"rapport-{slugify(program.name)}")

    def course_csv_view(self, request, course_id):
        course = self._course(request, course_id)
        course_filter = report_scope(request.user, course.program).course_filter
        group = reports.course_report(course, course_filter=course_filter)
        return self._csv(report_csv.csv_group_rows(group), f"rapport-{slugify(course)}")

    def _pdf(self, context, filename):
        pdf, _pages = render_pdf("pdf/evaluation_report.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response

    def pdf_view(self, request, object_id):
        program = self._program(request, object_id)
        return self._pdf(
            self._program_context(request, program), f"rapport-{slugify(program.name)}"
        )

    def course_pdf_view(self, request, course_id):
        course = self._course(request, course_id)
        return self._pdf(self._course_context(request, course), f"rapport-{slugify(course)}")

    # Tools ---------------------------------------------------------------------------------

    def tariff_view(self, request, object_id):
        program = self._program(request, object_id)
        stored = stored_tariffs(program)
        if stored:
            # The programme's own first tariff is where the calculation starts.
            first = stored[0][0]
            initial = {
                "annual_cost": first.annual_cost,
                "weekly_groups": first.weekly_groups,
                "courses_per_year_per_group": first.courses_per_year_per_group,
                "seats_per_course": first.seats_per_course,
            }
        else:
            this_year = program.courses.filter(first_date__year=timezone.localdate().year)
            initial = {
                "weekly_groups": 1,
                "courses_per_year_per_group": max(this_year.count(), 1),
                "seats_per_course": program.capacity,
            }
        form = TariffForm(request.GET or None, initial=initial)
        tariff = Tariff(**form.cleaned_data) if form.is_valid() else None
        return self._page(
            request,
            "admin/evaluation/report/tariff.html",
            _("Takst: %(program)s") % {"program": program.name},
            program=program,
            form=form,
            tariff=tariff,
            price=format_number(tariff.price_per_participant, 2) if tariff else "",
            stored=[
                {
                    "tariff": stored_tariff,
                    "price": format_number(stored_tariff.price_per_participant, 2),
                    "note": note,
                }
                for stored_tariff, note in stored
            ],
        )

    def sheet_view(self, request, course_id):
        # Printing makes valid one-time links: coordinators of the course's organisation only.
        course = self._course(request, course_id, Purpose.COORDINATE)
        form = EvaluationSheetForm(
            request.POST or None, initial={"count": max(services.seats_taken(course), 1)}
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and not services.questionnaires_for(course, form.cleaned_data["phase"])
        ):
            form.add_error(None, NO_QUESTIONNAIRE_FOR_CHILDREN)
        if request.method == "POST" and form.is_valid():
            phase, count = form.cleaned_data["phase"], form.cleaned_data["count"]
            links = services.sheet_links(course=course, phase=phase, count=count)
            pdf, _pages = render_pdf(
                "pdf/evaluation_sheet.html",
                {
                    "course": course,
                    "program": course.program,
                    "organisation": course.program.organisation,
                    "cards": [{"url": url, "qr_svg": qr_data_uri(url)} for url in links],
                },
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="svarkort-{slugify(course)}-{phase}.pdf"'
            )
            response["Cache-Control"] = "no-store"
            return response
        return self._page(
            request,
            "admin/evaluation/report/sheet.html",
            _("Svarkort med QR-kode: %(course)s") % {"course": course},
            course=course,
            program=course.program,
            form=form,
        )
