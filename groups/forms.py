from django import forms
from django.utils.translation import gettext_lazy as _


class SessionMoveForm(forms.Form):
    starts_at = forms.SplitDateTimeField(
        label=_("Nyt tidspunkt"),
        # Native pickers on phones and desktops; they send ISO values, which the Danish
        # input formats accept.
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
    )
    place = forms.CharField(
        label=_("Nyt sted"),
        required=False,
        max_length=200,
        help_text=_("Tomt betyder samme sted som før."),
    )
