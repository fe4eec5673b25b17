"""The wiring between apps is explicit: every extension point is a documented hook in
peerprogram/hooks.py, answered by receivers in each app's receivers.py, and nothing else
reaches across the layers (no registries filled in ready(), no dotted paths in settings into a
higher app, no app replacing another's ModelAdmin, no other app's private names)."""

import ast
import datetime
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.dispatch import Signal
from django.utils import timezone

from groups.admin import CourseAdmin
from groups.models import Course
from groups.services import course_plan_sessions, session_move
from peerprogram import hooks
from peerprogram.management.commands.seed_demo import demo_data_in_order
from peerprogram.models import OutboxMessage
from peerprogram.outbox.services import secret_providers
from tests.factories import CourseFactory, ProgramFactory, RegistrationFactory
from tests.volunteers.factories import CourseFacilitatorFactory, SignedPeerFactory
from volunteers.course_admin import CourseFacilitatorInline, facilitator_count

ROOT = Path(__file__).resolve().parents[2]
APPS = ["peerprogram", "groups", "participants", "volunteers", "evaluation"]
HOOKS_SOURCE = ROOT / "peerprogram" / "hooks.py"


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path, ast.parse(path.read_text(), filename=str(path))


def declared_hooks() -> dict[str, str | None]:
    """Each `name = Signal()` in hooks.py with the string literal that follows it."""
    body = ast.parse(HOOKS_SOURCE.read_text()).body
    found = {}
    for statement, following in zip(body, [*body[1:], None], strict=True):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and getattr(statement.value.func, "id", None) == "Signal"
        ):
            docstring = None
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                docstring = following.value.value
            found[statement.targets[0].id] = docstring
    return found


def test_every_signal_of_the_hooks_module_is_declared_with_a_docstring():
    declared = declared_hooks()
    signals = {name for name, value in vars(hooks).items() if isinstance(value, Signal)}
    assert set(declared) == signals
    assert len(declared) >= 9
    for name, docstring in declared.items():
        assert docstring and "Sent by" in docstring and "Answered by" in docstring, name


@pytest.mark.parametrize("name", sorted(declared_hooks()))
def test_every_hook_is_answered_once_django_is_set_up(name):
    assert getattr(hooks, name).has_listeners(), f"Nobody answers hooks.{name}"


def test_each_app_is_wired_in_its_receivers_module_and_nowhere_else():
    for app_config in apps.get_app_configs():
        if app_config.name not in APPS:
            continue
        source = Path(app_config.module.__file__).parent / "apps.py"
        classes = [
            node
            for node in ast.parse(source.read_text()).body
            if isinstance(node, ast.ClassDef) and node.name == type(app_config).__name__
        ]
        (ready,) = [node for node in classes[0].body if getattr(node, "name", "") == "ready"]
        assert ast.unparse(ready.body[0]) == "from . import receivers", app_config.name
        assert len(ready.body) == 1, app_config.name


def test_no_app_fills_a_registry_by_calling_a_register_function():
    calls = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for _app, path, tree in app_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call | ast.FunctionDef)
        and (
            getattr(node, "name", "")
            or getattr(getattr(node, "func", None), "attr", "")
            or getattr(getattr(node, "func", None), "id", "")
        ).startswith("register_")
    ]
    assert calls == []


def test_no_app_unregisters_a_model_admin():
    found = [
        f"{path.relative_to(ROOT)}"
        for _app, path, _tree in app_modules()
        if "unregister(" in path.read_text()
    ]
    assert found == []


def test_peerprogram_imports_nothing_named_in_settings_but_its_own_sms_backend():
    # SMS_BACKEND names a backend inside peerprogram (like Django's EMAIL_BACKEND); nothing
    # else of the core is found by a dotted path.
    loaded = [
        ast.unparse(node.args[0])
        for app, _path, tree in app_modules()
        if app == "peerprogram"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "import_string"
    ]
    assert loaded == ["settings.SMS_BACKEND"]
    assert settings.SMS_BACKEND.startswith("peerprogram.")


def dotted_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from dotted_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from dotted_strings(item)


def test_only_installed_apps_and_the_beat_schedule_name_a_higher_app_in_settings():
    higher = tuple(f"{app}." for app in APPS if app != "peerprogram")
    naming = {
        name
        for name in dir(settings)
        if name.isupper()
        for text in dotted_strings(getattr(settings, name))
        if text.startswith(higher)
    }
    assert naming <= {"INSTALLED_APPS", "CELERY_BEAT_SCHEDULE"}


def test_no_app_uses_a_private_name_of_another_app():
    found = []
    for app, path, tree in app_modules():
        imported = {}
        for node in ast.walk(tree):
            top = (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else None
            if top in APPS and top != app:
                for alias in node.names:
                    imported[alias.asname or alias.name] = node.module
                    if alias.name.startswith("_"):
                        found.append(f"{path.relative_to(ROOT)}: {alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr != "_meta"  # Django's public model options
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_demo_data_loads_layer_by_layer_from_the_lowest_up():
    assert [demo.app for demo in demo_data_in_order()] == APPS


def test_every_secret_a_message_may_carry_has_one_provider():
    assert set(secret_providers()) == {
        "password_reset",
        "registration_status",
        "custody_confirmation",
        "evaluation_token",
    }


def test_the_course_admin_is_groups_own_with_the_facilitators_volunteers_adds(rf):
    model_admin = admin.site.get_model_admin(Course)
    assert type(model_admin) is CourseAdmin
    request = rf.get("/")
    assert model_admin.get_inlines(request, None) == CourseAdmin.inlines
    course = Course(pk=1)
    assert model_admin.get_inlines(request, course) == [
        CourseFacilitatorInline,
        *CourseAdmin.inlines,
    ]
    assert model_admin.get_list_display(request) == [*CourseAdmin.list_display, facilitator_count]


@pytest.mark.django_db
def test_a_moved_session_reaches_its_participants_and_facilitators(org_a):
    start = timezone.localdate() + datetime.timedelta(days=7)
    course = CourseFactory(
        program=ProgramFactory(organisation=org_a), first_date=start, status=Course.Status.OPEN
    )
    course_plan_sessions(course=course)
    registration = RegistrationFactory(course=course, participant__email="sofie@eksempel.dk")
    peer = SignedPeerFactory(organisation=org_a, email="mette@eksempel.dk")
    CourseFacilitatorFactory(course=course, peer=peer)
    session = course.sessions.get(number=1)

    session_move(session=session, starts_at=session.starts_at + datetime.timedelta(hours=2))

    moved = OutboxMessage.objects.filter(kind="session_moved")
    assert set(moved.values_list("recipient_address", flat=True)) == {
        registration.participant.email,
        peer.email,
    }


def test_the_import_contracts_protect_every_apps_admin_views_forms_tasks_urls_demo_receivers():
    kinds = ["admin", "views", "forms", "tasks", "urls", "demo", "receivers"]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    protected = {
        (contract["allowed_importers"][0], module)
        for contract in config["contracts"]
        if contract["type"] == "protected"
        for module in contract["protected_modules"]
    }
    present = {
        (app, ".".join(path.relative_to(ROOT).with_suffix("").parts))
        for app in APPS
        for kind in kinds
        for path in [*(ROOT / app).glob(f"**/{kind}.py"), *(ROOT / app).glob(f"**/{kind}/")]
        if "migrations" not in path.parts and "templates" not in path.parts
    }
    assert present <= protected
