"""Start-up and deployment settings, checked in a fresh process with production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerprogram.outbox.sms import BaseSmsBackend

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3J9-qv_Lz8wP0sX2mN7rT5yB4cF6hG1dA9eU3iO8pQ7wE2rT6yU1iO4pA5sD8fG0hJ",
    "ALLOWED_HOSTS": "peer.example.dk",
    "SITE_URL": "https://peer.example.dk",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://peer%40example.dk:secret@smtp.example.dk:587",
    "SMS_BACKEND": "tests.peerprogram.test_settings.GatewaySms",
}


class GatewaySms(BaseSmsBackend):
    """Stands in for a site's real SMS gateway."""

    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


def manage(*args, env_overrides=None, drop=()):
    # The test runner's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests)
    # are no part of a production environment.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and not key.startswith(("DJANGO_ALLOW", "ALLOW_"))
    }
    env.update(PRODUCTION_ENV)
    env.update(env_overrides or {})
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.smoke
def test_deploy_check_passes_with_production_values_and_nothing_silenced():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "CELERY_BROKER_URL"])
def test_a_missing_production_setting_stops_start_up_with_a_clear_message(name):
    result = manage("check", drop=[name])
    assert result.returncode != 0
    assert f"{name} must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMS_BACKEND", "peerprogram.outbox.sms.ConsoleSmsBackend"),
        ("SMS_BACKEND", "peerprogram.outbox.sms.LocmemSmsBackend"),
        ("EMAIL_URL", "consolemail://"),
        ("EMAIL_URL", "filemail:///tmp/mail"),
        ("EMAIL_URL", "memorymail://"),
    ],
)
def test_a_backend_that_prints_or_keeps_messages_stops_production_start_up(name, value):
    result = manage("check", env_overrides={name: value})
    assert result.returncode != 0
    assert f"{name} selects" in result.stderr
    assert "it is refused when DEBUG is off" in result.stderr
    assert "ALLOW_CONSOLE_BACKENDS=true" in result.stderr


def test_the_console_sms_backend_is_the_unset_default_and_refused_in_production():
    result = manage("check", drop=["SMS_BACKEND"])
    assert result.returncode != 0
    assert "SMS_BACKEND selects peerprogram.outbox.sms.ConsoleSmsBackend" in result.stderr


GATEWAY_ENV = {
    "GatewayApiSmsBackend": {
        "GATEWAYAPI_TOKEN": "gwapi-token",
        "GATEWAYAPI_WEBHOOK_SECRET": "gwapi-webhook-secret",
        "GATEWAYAPI_URL": "https://messaging.gatewayapi.eu/mobile/single",
    },
    "CpsmsSmsBackend": {
        "CPSMS_USERNAME": "peer",
        "CPSMS_API_KEY": "cpsms-key",
        "CPSMS_CALLBACK_SECRET": "cpsms-callback-secret",
    },
}


@pytest.mark.parametrize("backend", sorted(GATEWAY_ENV))
def test_sms_backend_chooses_a_real_gateway_configured_by_env(backend):
    result = manage(
        "shell",
        "-c",
        "from peerprogram.outbox.sms import get_sms_backend; "
        "print(type(get_sms_backend()).__name__)",
        env_overrides={
            "SMS_BACKEND": f"peerprogram.outbox.sms_gateways.{backend}",
            **GATEWAY_ENV[backend],
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == backend


@pytest.mark.parametrize("backend", sorted(GATEWAY_ENV))
def test_a_real_gateway_without_its_credentials_and_secret_stops_start_up(backend):
    result = manage(
        "check", env_overrides={"SMS_BACKEND": f"peerprogram.outbox.sms_gateways.{backend}"}
    )
    assert result.returncode != 0
    for name in GATEWAY_ENV[backend]:
        if name.endswith("_URL"):
            continue
        assert name in result.stderr


def test_console_backends_start_in_production_only_when_explicitly_allowed():
    result = manage(
        "check",
        env_overrides={"EMAIL_URL": "consolemail://", "ALLOW_CONSOLE_BACKENDS": "true"},
        drop=["SMS_BACKEND"],
    )
    assert result.returncode == 0, result.stderr


def test_production_cookies_and_hsts_are_strict():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS >= 31536000, s.X_FRAME_OPTIONS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-7:] == ["True", "True", "True", "True", "Lax", "True", "DENY"]


def test_the_site_speaks_danish_in_copenhagen_time(settings):
    assert settings.LANGUAGE_CODE == "da"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.USE_TZ


def test_sqlite_runs_in_wal_mode(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL run")
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
