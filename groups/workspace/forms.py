"""The workspace's forms for a course's sessions: move, cancel, restore.

Each form checks the session it is about (`session`, fetched through the policy) and says in
Danish why it cannot go ahead; the views only call the services once a form is valid.
"""

import datetime
import hashlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Course, Session
from groups.services import session_move_problems
from peerprogram.widgets import DateInput


def _held(session: Session) -> bool:
    return session.starts_at <= timezone.now()


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    return helper


class SessionMoveForm(forms.Form):
    """A new date and start time (the session keeps its length) and maybe a new place.

    Valid when nothing refuses the move (groups.services.session_move_refusals). Its
    `warnings` must be seen before saving: `confirmed` is true only when the submit carries
    the `fingerprint` of exactly this time, place and these warnings, which the preview puts
    on its "Flyt" / "Flyt alligevel" button.
    """

    day = forms.DateField(label=_("Ny dato"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Nyt starttidspunkt"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label=_("Nyt sted"),
        required=False,
        max_length=200,
        help_text=_("Tomt betyder samme sted som før."),
    )
    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, session: Session, **kwargs):
        local = timezone.localtime(session.starts_at)
        kwargs.setdefault("initial", {"day": local.date(), "start_time": local.time()})
        super().__init__(*args, **kwargs)
        self.session = session
        self.warnings: list[str] = []
        self.helper = _helper()
        self.helper.layout = Layout("day", "start_time", "place")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        naive = datetime.datetime.combine(data["day"], data["start_time"])
        data["starts_at"] = timezone.make_aware(naive)
        refusals, self.warnings = session_move_problems(
            session=self.session, starts_at=data["starts_at"]
        )
        if refusals:
            raise ValidationError(refusals)
        return data

    @property
    def fingerprint(self) -> str:
        """What the coordinator saw in the preview: the new time and place and the warnings."""
        seen = "\n".join(
            [self.cleaned_data["starts_at"].isoformat(), self.cleaned_data["place"], *self.warnings]
        )
        return hashlib.sha256(seen.encode()).hexdigest()[:16]

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["confirm"] == self.fingerprint


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Årsag"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Står i beskeden til deltagere og facilitatorer."),
        error_messages={
            "required": _(
                "Skriv en årsag til aflysningen; den står i beskeden til dem, der får den."
            )
        },
    )
    confirm = forms.BooleanField(
        label=_("Ja, aflys gangen og send beskeden"),
        error_messages={"required": _("Sæt kryds for at bekræfte aflysningen.")},
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if self.session.is_cancelled:
            raise ValidationError(_("Gangen er allerede aflyst."))
        if _held(self.session):
            raise ValidationError(_("Gangen er allerede holdt og kan ikke aflyses."))
        return data


class SessionRestoreForm(forms.Form):
    """Nothing to fill in: the check that a restore makes sense, before the button."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not self.session.is_cancelled:
            raise ValidationError(_("Gangen er ikke aflyst."))
        if _held(self.session):
            raise ValidationError(_("Gangen er overstået og kan ikke genoptages."))
        if self.session.course.status == Course.Status.CANCELLED:
            raise ValidationError(_("Forløbet er aflyst; gangen kan ikke genoptages alene."))
        return data
