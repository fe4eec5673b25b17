from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from evaluation.models import Item, Phase
from evaluation.scoring import scale_options


def field_name(questionnaire, item) -> str:
    return f"q{questionnaire.pk}-{item.number}"


class AnswerForm(forms.Form):
    """All questionnaires of one invitation; every question may be skipped."""

    def __init__(self, *args, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaires = questionnaires
        for questionnaire in questionnaires:
            choices = [
                (str(option["score"]), option["label"])
                for option in scale_options(questionnaire.scale)
            ]
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


class KronerField(forms.DecimalField):
    """An amount typed the way the page's language writes it: in Danish "228.000", "228000",
    "2.916,67" or "228.000 kr."; in English "228,000" or "2,916.67"."""

    def to_python(self, value):
        if isinstance(value, str):
            thousands = get_format("THOUSAND_SEPARATOR")
            decimal = get_format("DECIMAL_SEPARATOR")
            value = value.strip().removesuffix("kr.").removesuffix("kr").strip()
            value = value.replace(" ", "").replace(thousands, "").replace(decimal, ".")
        return super().to_python(value)


class TariffForm(forms.Form):
    annual_cost = KronerField(
        label=_("Årlig pris (kr.)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Fx 228.000"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    weekly_groups = forms.IntegerField(label=_("Ugentlige grupper"), min_value=1, max_value=50)
    courses_per_year_per_group = forms.IntegerField(
        label=_("Forløb om året pr. gruppe"), min_value=1, max_value=52
    )
    seats_per_course = forms.IntegerField(label=_("Pladser pr. forløb"), min_value=1, max_value=100)


class EvaluationSheetForm(forms.Form):
    phase = forms.ChoiceField(label=_("Hvornår"), choices=Phase.choices, initial=Phase.AFTER)
    count = forms.IntegerField(
        label=_("Antal svarkort"),
        min_value=1,
        max_value=60,
        help_text=_("Et kort pr. deltager. Hvert kort kan bruges én gang."),
    )
