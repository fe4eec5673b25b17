"""The container set-up: docker-compose.yml and the Dockerfile (no Docker engine needed)."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
SERVICES = {"db", "redis", "web", "worker", "beat"}
APP_SERVICES = ["web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose():
    return YAML(typ="safe").load(COMPOSE_FILE.read_text(encoding="utf-8"))


def command_words(command) -> list[str]:
    """A service's command as words, whether written as a string or as a list."""
    if isinstance(command, str):
        return shlex.split(command)
    return [str(word) for word in command]


def env_files(service: dict) -> list[str]:
    """`env_file` as paths: a string, a list of strings or a list of {path: ...} entries."""
    value = service.get("env_file", [])
    if isinstance(value, str):
        value = [value]
    return [entry["path"] if isinstance(entry, dict) else entry for entry in value]


@pytest.mark.smoke
def test_docker_compose_file_matches_the_compose_specification():
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    assert check_jsonschema.exists(), f"check-jsonschema is not installed beside {sys.executable}"

    result = subprocess.run(
        [
            str(check_jsonschema),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_stack_has_exactly_database_cache_web_worker_and_beat(compose):
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_health_check(compose, name):
    healthcheck = compose["services"][name].get("healthcheck") or {}
    assert not healthcheck.get("disable", False), name
    assert healthcheck.get("test"), f"{name} has no healthcheck test"


def test_web_migrates_the_database_then_serves_the_app_with_gunicorn(compose):
    words = command_words(compose["services"]["web"]["command"])
    text = " ".join(words)
    assert "migrate" in text
    assert "gunicorn" in text
    assert "peerprogram.wsgi" in text
    # Migrations run first, and gunicorn starts only if they succeed.
    assert text.index("migrate") < text.index("&&") < text.index("gunicorn")


def test_worker_runs_a_celery_worker(compose):
    words = command_words(compose["services"]["worker"]["command"])
    assert "celery" in words
    assert "worker" in words


def test_beat_runs_the_celery_scheduler(compose):
    words = command_words(compose["services"]["beat"]["command"])
    assert "celery" in words
    assert "beat" in words


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_read_their_settings_from_the_env_file(compose, name):
    assert ".env" in env_files(compose["services"][name])


def test_worker_and_beat_run_the_image_web_builds(compose):
    services = compose["services"]
    assert "build" in services["web"]
    image = services["web"]["image"]
    assert services["worker"]["image"] == image
    assert services["beat"]["image"] == image


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continued lines joined and comments dropped."""
    instructions = []
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def test_dockerfile_starts_gunicorn_by_default():
    assert DOCKERFILE.exists()
    commands = [
        arguments
        for keyword, arguments in dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))
        if keyword == "CMD"
    ]
    assert commands, "the Dockerfile has no CMD"
    cmd = commands[-1]  # only the last CMD takes effect
    words = json.loads(cmd) if cmd.startswith("[") else shlex.split(cmd)
    assert words[0] == "gunicorn"
    assert any(word.startswith("peerprogram.wsgi") for word in words[1:])


def published_host_ips(service: dict) -> list[str]:
    """The host address of each published port ("" when published on every interface)."""
    addresses = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            addresses.append(str(port.get("host_ip", "")))
            continue
        parts = str(port).rsplit(":", 2)
        addresses.append(parts[0] if len(parts) == 3 else "")
    return addresses


def env_example() -> dict[str, str]:
    lines = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


def test_web_is_published_on_the_loopback_interface_only(compose):
    # Reachable from anywhere, gunicorn would take a client's own X-Forwarded-For.
    assert published_host_ips(compose["services"]["web"]) == ["127.0.0.1"]
    for name in SERVICES - {"web"}:
        assert not compose["services"][name].get("ports"), f"{name} publishes a port"


def test_the_env_example_trusts_no_proxy_because_the_stack_has_none(compose):
    assert not {"proxy", "nginx", "caddy", "traefik"} & set(compose["services"])
    assert env_example()["TRUSTED_PROXY_COUNT"] == "0"


def test_the_env_example_delivers_mail_and_allows_no_console_backend():
    values = env_example()
    assert values["EMAIL_URL"].startswith("smtp")
    assert values["ALLOW_CONSOLE_BACKENDS"] == "false"
    assert "SMS_BACKEND" not in values or "Console" not in values["SMS_BACKEND"]
