from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Item


def field_name(questionnaire, item) -> str:
    return f"q{questionnaire.pk}-{item.number}"


class AnswerForm(forms.Form):
    """All questionnaires of one invitation; every question may be skipped."""

    def __init__(self, *args, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaires = questionnaires
        for questionnaire in questionnaires:
            choices = [(str(option["score"]), option["label"]) for option in questionnaire.scale]
            for item in questionnaire.items.all():
                name = field_name(questionnaire, item)
                if item.kind == Item.Kind.TEXT:
                    self.fields[name] = forms.CharField(
                        label=item.text,
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 4}),
                    )
                else:
                    self.fields[name] = forms.ChoiceField(
                        label=item.text, required=False, choices=choices, widget=forms.RadioSelect
                    )

    def answers(self) -> dict[int, dict]:
        result = {}
        for questionnaire in self.questionnaires:
            given = {}
            for item in questionnaire.items.all():
                value = self.cleaned_data.get(field_name(questionnaire, item))
                if value in ("", None):
                    continue
                given[str(item.number)] = value if item.kind == Item.Kind.TEXT else int(value)
            result[questionnaire.pk] = given
        return result

    def sections(self):
        """(questionnaire, bound fields) pairs for the template."""
        return [
            (q, [self[field_name(q, item)] for item in q.items.all()]) for q in self.questionnaires
        ]


SKIP_HELP = _("Du kan springe spørgsmål over.")
