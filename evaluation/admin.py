from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluation.models import Item, Questionnaire
from peerprogram.admin import OrganisationScopedModelAdmin
from peerprogram.tenancy import organisation_ids_for_user


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["number", "text", "kind", "reverse_scored", "domain"]

    def _editable(self, obj):
        return obj is None or (not obj.locked and not obj.is_template)

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(OrganisationScopedModelAdmin):
    """The organisation's questionnaires, plus the shipped templates to copy (read-only).
    A validated instrument keeps its wording: its questions cannot be edited."""

    list_display = ["name", "organisation", "program", "phase", "scoring", "locked"]
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
        "locked",
        "attribution",
    ]

    def get_queryset(self, request):
        queryset = Questionnaire.objects.select_related("organisation", "program")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            Q(organisation__in=organisation_ids_for_user(request.user)) | Q(organisation=None)
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.is_template or obj.locked):
            return [*self.fields]
        return ["locked"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_template or request.user.is_superuser

    @admin.action(description=_("Kopiér til min organisation"))
    def copy_to_my_organisation(self, request, queryset):
        organisation = (
            request.user.memberships.filter(role__in=["coordinator", "admin"])
            .select_related("organisation")
            .first()
        )
        if organisation is None:
            self.message_user(request, _("Du hører ikke til en organisation."), messages.ERROR)
            return
        for questionnaire in queryset.prefetch_related("items"):
            items = list(questionnaire.items.all())
            questionnaire.pk = None
            questionnaire.organisation = organisation.organisation
            questionnaire.program = None
            questionnaire.save()
            Item.objects.bulk_create(
                Item(
                    questionnaire=questionnaire,
                    number=item.number,
                    text=item.text,
                    kind=item.kind,
                    reverse_scored=item.reverse_scored,
                    domain=item.domain,
                )
                for item in items
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d spørgeskema er kopieret.",
                "%(count)d spørgeskemaer er kopieret.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )
