"""How evaluation answers the hooks of the layers below it (peerprogram.hooks).

Imported once, in EvaluationConfig.ready(); nothing else wires this app to the others.
"""

from django.dispatch import receiver

from evaluation import demo
from evaluation.services import evaluation_token_url
from peerprogram import hooks


@receiver(hooks.outbox_secret_providers)
def outbox_secret_providers(sender, **kwargs):
    """The personal questionnaire link in evaluation invitations."""
    return {"evaluation_token": evaluation_token_url}


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """Questionnaires and answers for the demo course."""
    return hooks.DemoData(app="evaluation", load=demo.load)
