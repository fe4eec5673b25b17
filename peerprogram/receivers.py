"""How peerprogram answers its own hooks (peerprogram.hooks), like any other app.

Imported once, in PeerProgramConfig.ready().
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from peerprogram import demo, hooks, page_cache
from peerprogram.accounts.password_reset import password_reset_url
from peerprogram.models import HelpContact, Organisation
from peerprogram.privacy.models import RetentionPolicy
from peerprogram.workspace import items


@receiver(hooks.outbox_secret_providers)
def outbox_secret_providers(sender, **kwargs):
    """The password-reset link for staff and peers."""
    return {"password_reset": password_reset_url}


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """The demo organisations and their staff log-ins."""
    return hooks.DemoData(app="peerprogram", load=demo.load)


@receiver(hooks.work_items)
def work_items(sender, *, user, organisation_ids, **kwargs):
    """Messages that failed or are uncertain; retention runs the safety stop halted."""
    return [
        items.messages_not_delivered(organisation_ids=organisation_ids),
        items.retention_stopped(user=user, organisation_ids=organisation_ids),
    ]


# The public pages' versions (peerprogram.page_cache): the organisation's own texts.
@receiver(post_save, sender=Organisation)
def organisation_page_changed(sender, instance, **kwargs):
    page_cache.organisations_changed([instance.pk])


@receiver([post_save, post_delete], sender=HelpContact)
@receiver([post_save, post_delete], sender=RetentionPolicy)
def organisation_part_page_changed(sender, instance, **kwargs):
    page_cache.organisations_changed([instance.organisation_id])
