"""Staff of an organisation in the admin: inviting a coordinator, changing a role, removing a
membership, through peerprogram.accounts.staff."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from peerprogram.accounts import staff
from peerprogram.admin_site import (
    OrganisationScopedAdminMixin,
)
from peerprogram.models import (
    Membership,
    Organisation,
)
from peerprogram.municipalities import MUNICIPALITY_CHOICES, municipality_name
from peerprogram.permissions import (
    Purpose,
    scope,
)


class MunicipalitiesField(forms.MultipleChoiceField):
    """The municipalities a statistics partner represents, chosen by name; stored as codes."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("kommuner"),
            choices=[(code, f"{name} ({code})") for code, name in MUNICIPALITY_CHOICES],
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 10}),
            help_text=_(
                "Kun for kommunale partnere: de kommuner, partneren repræsenterer. Partneren "
                "ser kun forløb, der holdes i dem. Hold Ctrl (Cmd på Mac) nede for at vælge "
                "flere."
            ),
            **kwargs,
        )


def _check_municipalities(form: forms.Form) -> None:
    role = form.cleaned_data.get("role")
    if role is None:
        return
    for problem in staff.municipalities_problems(
        role=role, municipalities=form.cleaned_data.get("municipalities", [])
    ):
        form.add_error("municipalities", problem)


class StaffInviteForm(forms.ModelForm):
    username = forms.CharField(label=_("brugernavn"), max_length=150)
    name = forms.CharField(label=_("navn"), max_length=150)
    email = forms.EmailField(label=_("e-mail"), help_text=_("Her sendes linket til adgangskoden."))
    municipalities = MunicipalitiesField()

    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def clean(self):
        cleaned = super().clean()
        _check_municipalities(self)
        return cleaned

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brugernavnet er optaget. Vælg et andet."))
        return username


class MembershipRoleForm(forms.ModelForm):
    municipalities = MunicipalitiesField()

    class Meta:
        model = Membership
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].initial = self.instance.municipalities

    def clean_role(self):
        role = self.cleaned_data["role"]
        staff.check_role_change(membership=self.instance, role=role)
        return role

    def clean(self):
        cleaned = super().clean()
        _check_municipalities(self)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdminMixin, admin.ModelAdmin):
    """Organisation admins manage who works in their organisations and in which role."""

    view_needs = add_needs = change_needs = delete_needs = Purpose.ADMINISTER

    list_display = ["user", "full_name", "organisation", "role", "municipality_names"]
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MembershipRoleForm if obj is not None else StaffInviteForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "role", "municipalities", "username", "name", "email"]
        return ["user", "organisation", "role", "municipalities"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "organisation"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = scope(Organisation.objects.all(), request.user, Purpose.ADMINISTER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("navn"))
    def full_name(self, membership):
        return membership.user.get_full_name()

    @admin.display(description=_("kommuner"))
    def municipality_names(self, membership):
        return ", ".join(municipality_name(code) for code in membership.municipalities) or "–"

    def allows(self, action, membership):
        # The last admin of an organisation stays.
        return action != "delete" or staff.may_remove(membership=membership)

    def save_model(self, request, obj, form, change):
        if change:
            stored = Membership.objects.select_related("user", "organisation").get(pk=obj.pk)
            staff.membership_change_role(membership=stored, role=form.cleaned_data["role"])
            staff.membership_set_municipalities(
                membership=stored, municipalities=form.cleaned_data["municipalities"]
            )
            return
        membership = staff.staff_invite(
            organisation=form.cleaned_data["organisation"],
            username=form.cleaned_data["username"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            municipalities=form.cleaned_data["municipalities"],
        )
        # The admin goes on with the object it saved: make it the new membership.
        obj.pk, obj.user, obj._state.adding = membership.pk, membership.user, False

    def delete_model(self, request, obj):
        staff.membership_remove(membership=obj)


# The audit trail (django-auditlog's own admin for the entry model is not taken, see
# peerprogram.admin_site): read-only for everyone, scoped to the organisation, values already
# masked.
