"""How groups answers the hooks of the layer below it (peerprogram.hooks).

Imported once, in GroupsConfig.ready(); nothing else wires this app to the others.
"""

from django.dispatch import receiver

from groups import demo
from peerprogram import hooks


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """The demo programmes, their themes and courses with planned sessions."""
    return hooks.DemoData(app="groups", load=demo.load)
