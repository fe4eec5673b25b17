from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six-digit code from a staff member's authenticator app."""

    token = forms.CharField(
        label=_("Kode fra appen"),
        help_text=_("6 cifre. Koden skifter hvert 30. sekund."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != 6 or not token.isdigit():
            raise forms.ValidationError(_("Skriv de 6 cifre, som appen viser."))
        return token
