"""The outbox in the admin: messages read-only, with the decisions a coordinator makes on a
failed or uncertain one (send again, arrived, drop) through peerprogram.outbox.services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerprogram.admin_site import (
    OrganisationScopedModelAdmin,
    ReadOnlyAdminMixin,
)
from peerprogram.models import (
    OutboxMessage,
)
from peerprogram.outbox import services as outbox


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, OrganisationScopedModelAdmin):
    """Coordinators follow their organisations' messages and decide on the ones in doubt.

    The body shown is the stored one, where any secret is already redacted.
    """

    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient_name",
        "status",
        "attempts",
        "sent_at",
        "delivered_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "channel", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["recipient_name", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation"]
    actions = ["resend", "mark_arrived", "discard"]
    fields = [
        "organisation",
        "kind",
        "channel",
        "recipient_name",
        "recipient_address",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "delivered_at",
        "gateway_reference",
        "gateway_message_id",
        "last_error",
        "decided_by",
        "subject",
        "body",
    ]
    # Read-only page; decisions are the actions below.
    readonly_fields = fields

    @admin.display(description=_("fejl"))
    def short_error(self, message):
        return message.last_error[:80]

    def _decide(self, request, queryset, decision, done_message):
        done = sum(decision(message=message, user=request.user) for message in queryset)
        self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        skipped = len(queryset) - done
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d besked blev sprunget over, fordi dens status ikke passer.",
                    "%(count)d beskeder blev sprunget over, fordi deres status ikke passer.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Send igen (fejlede eller uvisse)"))
    def resend(self, request, queryset):
        self._decide(
            request,
            queryset,
            outbox.message_resend,
            lambda n: ngettext(
                "%(count)d besked sendes igen.", "%(count)d beskeder sendes igen.", n
            ),
        )

    @admin.action(description=_("Uvis: beskeden nåede frem"))
    def mark_arrived(self, request, queryset):
        self._decide(
            request,
            queryset,
            outbox.message_mark_arrived,
            lambda n: ngettext(
                "%(count)d besked er markeret som sendt.",
                "%(count)d beskeder er markeret som sendt.",
                n,
            ),
        )

    @admin.action(description=_("Drop (sendes ikke)"))
    def discard(self, request, queryset):
        self._decide(
            request,
            queryset,
            outbox.message_discard,
            lambda n: ngettext("%(count)d besked er droppet.", "%(count)d beskeder er droppet.", n),
        )
