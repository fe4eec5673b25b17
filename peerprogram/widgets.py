from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends ISO dates, which the Danish input formats accept."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
