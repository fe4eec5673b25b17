"""The one authorization policy (peerprogram.permissions): every access decision goes through it."""

import inspect
import pathlib
import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerprogram import permissions
from peerprogram.models import Membership
from peerprogram.permissions import Purpose, may, may_somewhere, organisation_ids
from tests.conftest import log_in
from tests.factories import CoordinatorFactory, CourseFactory, ProgramFactory

OUR_APPS = ("peerprogram", "groups", "participants", "volunteers", "evaluation")
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _our_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model_admin
        for inline in model_admin.inlines:
            yield inline(model, admin.site)


def _defined_in(cls, name):
    return next(klass for klass in type(cls).__mro__ if name in vars(klass))


def test_every_admin_and_inline_takes_its_permissions_from_the_policy():
    for model_admin in _our_admins():
        for name in dir(model_admin):
            if re.fullmatch(r"has_\w+_permission", name):
                owner = _defined_in(model_admin, name)
                assert owner.__module__.startswith(("peerprogram.permissions", "django.")), (
                    f"{type(model_admin).__name__}.{name} is decided in {owner.__module__}"
                )
                if owner.__module__.startswith("django."):
                    # Django's own is never reached for our admins: the policy comes first.
                    assert name not in {
                        "has_module_permission",
                        "has_view_permission",
                        "has_add_permission",
                        "has_change_permission",
                        "has_delete_permission",
                    }, f"{type(model_admin).__name__} does not use AdminPolicy"


def _our_url_callbacks(resolver=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin's pages: AdminPolicy, tested above
            yield from _our_url_callbacks(pattern)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.split(".")[0] in OUR_APPS:
                yield pattern


def test_every_page_of_ours_declares_its_access_through_the_policy():
    patterns = list(_our_url_callbacks())
    assert patterns
    for pattern in patterns:
        assert getattr(pattern.callback, "access", None) in {"public", "signed_in"}, (
            f"{pattern.name} is neither permissions.public nor permissions.signed_in"
        )


ACCESS_DECISIONS = re.compile(
    r"\bis_superuser\b|\bis_staff\b|\.has_perm\(|def has_\w+_permission|tenancy"
)


def test_no_admin_view_or_task_decides_access_on_its_own():
    offenders = []
    for app in OUR_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if path.name not in {"admin.py", "views.py", "tasks.py", "portal.py"} and not (
                path.name.endswith("_admin.py")
            ):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if ACCESS_DECISIONS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.fixture
def mixed(org_a, org_b):
    """Coordinates A; a statistics partner of B."""
    user = CoordinatorFactory(organisations=[org_a])
    Membership.objects.create(
        user=user, organisation=org_b, role=Membership.Role.STATISTICS, municipalities=["350"]
    )
    return user


def test_each_question_is_asked_of_one_organisation(mixed, org_a, org_b):
    assert may(mixed, Purpose.COORDINATE, org_a)
    assert not may(mixed, Purpose.COORDINATE, org_b)
    assert may(mixed, Purpose.REPORT, org_b)
    assert not may(mixed, Purpose.ADMINISTER, org_a)
    assert organisation_ids(mixed, Purpose.COORDINATE) == [org_a.pk]
    assert organisation_ids(mixed, Purpose.REPORT) == sorted([org_a.pk, org_b.pk])
    assert may_somewhere(mixed, Purpose.COORDINATE)
    # A shared record (no organisation) is changed by superusers only.
    assert not may(mixed, Purpose.COORDINATE, None)


def test_a_coordinator_elsewhere_cannot_print_a_partner_organisations_answer_cards(
    client, mixed, org_b
):
    course_b = CourseFactory(program=ProgramFactory(organisation=org_b))
    log_in(client, mixed)
    sheet = reverse("admin:evaluation_report_sheet", args=[course_b.pk])
    assert client.get(sheet).status_code == 403
    assert client.post(sheet, {"phase": "after", "count": 3}).status_code == 403
    # Reading the partner organisation's report is what a partner may do.
    report = reverse("admin:evaluation_report_course", args=[course_b.pk])
    assert client.get(report).status_code == 200


def test_a_coordinator_elsewhere_sees_no_attendance_of_a_partner_organisation(client, mixed, org_b):
    program_b = ProgramFactory(organisation=org_b, share_attendance_with_partners=False)
    course_b = CourseFactory(program=program_b)
    log_in(client, mixed)
    response = client.get(reverse("admin:evaluation_report_course", args=[course_b.pk]))
    assert response.context["show_attendance"] is False
    response = client.get(reverse("admin:evaluation_report_change", args=[program_b.pk]))
    assert response.context["show_attendance"] is False


def test_the_policy_module_is_the_only_scoping_helper():
    assert not (ROOT / "peerprogram" / "tenancy.py").exists()
    source = inspect.getsource(permissions)
    assert "def scope(" in source and "def may(" in source


def test_a_refused_page_says_so_in_danish_with_a_way_on(client, org_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="peer.uden.admin"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Du har ikke adgang til siden" in page
    assert reverse("logout") in page


def test_the_course_report_offers_answer_cards_only_where_the_user_coordinates(
    client, mixed, org_a, org_b
):
    own = CourseFactory(program=ProgramFactory(organisation=org_a))
    partnered = CourseFactory(program=ProgramFactory(organisation=org_b))
    log_in(client, mixed)
    page = client.get(reverse("admin:evaluation_report_course", args=[own.pk])).content.decode()
    assert reverse("admin:evaluation_report_sheet", args=[own.pk]) in page
    assert reverse("admin:evaluation_report_course_pdf", args=[own.pk]) in page
    url = reverse("admin:evaluation_report_course", args=[partnered.pk])
    page = client.get(url).content.decode()
    assert reverse("admin:evaluation_report_sheet", args=[partnered.pk]) not in page
    assert reverse("admin:evaluation_report_course_csv", args=[partnered.pk]) in page
