"""Hardened sign-in: a second factor for staff, lockout after failed log-ins, password rules and
sessions that end after inactivity."""

import datetime
import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerprogram.accounts.signin import login_attempts_purge
from tests.factories import PASSWORD, CoordinatorFactory, ReferrerFactory, UserFactory
from tests.peerprogram.test_settings import manage
from tests.volunteers.factories import PeerFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("staff_verify")
SETUP = reverse("staff_setup")
ADMIN_INDEX = reverse("admin:index")
LOCKED_OUT = "Log-ind er spærret for en tid"


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code the device accepts at no step within its tolerance."""
    accepted = set()
    for drift in range(-device.tolerance, device.tolerance + 1):
        generator = TOTP(device.bin_key, device.step, device.t0, device.digits, drift)
        accepted.add(f"{generator.token():06d}")
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)


def password_login(client, user, url_name="admin:login", password=PASSWORD, **extra):
    return client.post(
        reverse(url_name), {"username": user.username, "password": password}, **extra
    )


@pytest.fixture
def phone(coordinator_a):
    return TOTPDevice.objects.create(user=coordinator_a, name="Telefon", confirmed=True)


# Two factors for staff


def test_staff_with_a_password_only_reach_no_admin_page(client, coordinator_a, course_a, phone):
    password_login(client, coordinator_a)
    for url in [ADMIN_INDEX, reverse("admin:groups_course_change", args=[course_a.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{VERIFY}?next={url.replace('/', '%2F')}"
    # Nor anywhere else on the site until they give the code or log out.
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_the_code_step_asks_for_the_app_code_and_names_who_is_signing_in(
    client, coordinator_a, phone
):
    password_login(client, coordinator_a)
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    html = response.content.decode()
    assert "Kode fra appen" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert "<strong>koordinator.a</strong>" in html


def test_a_correct_code_lets_staff_into_the_admin(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    response = client.post(VERIFY, {"token": code(phone), "next": ADMIN_INDEX})
    assert response.status_code == 302 and response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_wrong_code_is_refused_in_danish_and_announced(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    response = client.post(VERIFY, {"token": wrong_code(phone), "next": ADMIN_INDEX})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Koden passer ikke" in html
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_token_helptext id_token_error"' in html
    )
    assert "<strong>koordinator.a</strong>" in html
    assert client.get(ADMIN_INDEX)["Location"].startswith(VERIFY)


def test_repeated_wrong_codes_make_staff_wait(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    client.post(VERIFY, {"token": wrong_code(phone)})
    # Even the right code waits until the throttle has passed.
    response = client.post(VERIFY, {"token": code(phone)})
    assert "Vent 1 sekund" in response.content.decode()
    assert client.get(ADMIN_INDEX).status_code == 302


def test_a_code_that_is_not_six_digits_is_explained(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    response = client.post(VERIFY, {"token": "12a"})
    assert "Skriv de 6 cifre, som appen viser." in response.content.decode()


def test_a_wrong_password_keeps_the_username_on_the_admin_log_in(client, coordinator_a):
    response = password_login(client, coordinator_a, password="forkert-adgangskode")
    assert response.status_code == 200
    assert 'value="koordinator.a"' in response.content.decode()


def test_staff_signing_in_on_the_referrer_page_also_give_the_code(client, coordinator_a, phone):
    response = password_login(client, coordinator_a, url_name="login", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)


def test_the_code_step_does_not_follow_a_next_link_to_another_site(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    response = client.post(VERIFY, {"token": code(phone), "next": "https://evil.example/"})
    assert response["Location"] == ADMIN_INDEX


def test_staff_without_an_app_set_one_up_with_a_qr_code_and_a_code(client, coordinator_a):
    password_login(client, coordinator_a)
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    html = response.content.decode()
    pending = TOTPDevice.objects.get(user=coordinator_a, confirmed=False)
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml[^"]+"[^>]* alt="QR-kode', html)
    secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert "<script>" not in html

    # Reloading shows the same key; it is replaced only once confirmed.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1

    response = client.post(SETUP, {"token": wrong_code(pending), "next": ADMIN_INDEX})
    assert "Koden passer ikke" in response.content.decode()
    pending.refresh_from_db()
    pending.throttle_reset()
    response = client.post(SETUP, {"token": code(pending), "next": ADMIN_INDEX})
    assert response["Location"] == ADMIN_INDEX
    pending.refresh_from_db()
    assert pending.confirmed
    assert client.get(ADMIN_INDEX).status_code == 200


def shown_key(response) -> bytes:
    """The key the set-up page shows for typing into an app by hand, as bytes."""
    secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', response.content.decode())
    return b32decode(secret.group(1).replace(" ", ""))


def test_two_sessions_signing_in_with_one_password_are_shown_different_keys(coordinator_a):
    keys = []
    for browser in (Client(), Client()):
        password_login(browser, coordinator_a)
        keys.append(shown_key(browser.get(SETUP)))
        # Each session keeps its own key while it sets up.
        assert shown_key(browser.get(SETUP)) == keys[-1]
    assert keys[0] != keys[1]


def test_once_one_session_confirms_its_key_a_key_copied_elsewhere_is_no_second_factor(
    coordinator_a,
):
    owner, intruder = Client(), Client()
    password_login(owner, coordinator_a)
    password_login(intruder, coordinator_a)
    owner_key = shown_key(owner.get(SETUP))
    copied_key = shown_key(intruder.get(SETUP))

    response = owner.post(SETUP, {"token": f"{totp(owner_key):06d}", "next": ADMIN_INDEX})
    assert response["Location"] == ADMIN_INDEX
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1

    # The next step's code, which the confirmed device has not used yet.
    later_code = f"{totp(copied_key, drift=1):06d}"
    response = intruder.post(VERIFY, {"token": later_code, "next": ADMIN_INDEX})
    assert "Koden passer ikke" in response.content.decode()
    response = intruder.post(SETUP, {"token": later_code, "next": ADMIN_INDEX})
    assert response["Location"].startswith(VERIFY)
    assert intruder.get(ADMIN_INDEX)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1


def test_a_password_alone_never_adds_a_second_app(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1


def test_signed_in_staff_can_always_log_out(client, coordinator_a, phone):
    password_login(client, coordinator_a)
    client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in client.session


def test_with_the_setting_off_a_password_is_enough(client, settings, coordinator_a):
    settings.STAFF_2FA_REQUIRED = False
    password_login(client, coordinator_a)
    assert client.get(ADMIN_INDEX).status_code == 200


def test_peers_and_referrers_are_never_asked_for_a_code(client, org_a):
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.a"))
    response = password_login(client, peer.user, url_name="login", follow=True)
    assert response.status_code == 200
    assert client.get(reverse("volunteers:schedule")).status_code == 200

    client.logout()
    referrer = ReferrerFactory(organisations=[org_a])
    response = password_login(client, referrer, url_name="login", follow=True)
    assert response.redirect_chain == [(reverse("landing"), 302), (reverse("home"), 302)]


def test_the_second_factor_is_on_by_default_in_production():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "True"


# Lockout after repeated failures


@pytest.mark.parametrize("url_name", ["admin:login", "login"])
def test_the_lockout_engages_after_the_configured_number_of_failures(
    client, settings, coordinator_a, url_name
):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(2):
        assert (
            password_login(client, coordinator_a, url_name, password="forkert").status_code == 200
        )
    assert password_login(client, coordinator_a, url_name, password="forkert").status_code == 429

    # Now even the right password meets the lockout page, in Danish, under the CSP.
    response = password_login(client, coordinator_a, url_name)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_OUT in html and "3 gange i træk" in html and "30 minutter" in html
    assert "Prøv igen efter kl." in html and 'role="alert"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "_auth_user_id" not in client.session
    # A page people land on in trouble: help now and the way back.
    assert 'href="tel:112"' in html and 'href="/"' in html


def test_the_default_limit_is_five_failures(client, coordinator_a):
    for _attempt in range(4):
        assert password_login(client, coordinator_a, password="forkert").status_code == 200
    assert password_login(client, coordinator_a, password="forkert").status_code == 429


def test_the_peer_log_in_locks_out_too(client, settings, org_a):
    settings.AXES_FAILURE_LIMIT = 2
    peer = PeerFactory(organisation=org_a, user=UserFactory(username="peer.a"))
    for _attempt in range(2):
        password_login(client, peer.user, "login", password="forkert")
    response = client.post(
        f"{reverse('login')}?next=/peer/", {"username": "peer.a", "password": PASSWORD}
    )
    assert response.status_code == 429 and LOCKED_OUT in response.content.decode()


def test_a_lockout_holds_one_username_from_one_address(client, settings, coordinator_a):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        password_login(client, coordinator_a, password="forkert")
    colleague = CoordinatorFactory(username="koordinator.c")
    assert password_login(client, colleague, settings.LOGIN_URL).status_code == 302
    client.logout()
    elsewhere = password_login(client, coordinator_a, "login", REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, settings, coordinator_a):
    # No proxy in front of the app: X-Forwarded-For is whatever the client wrote.
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [
        password_login(
            client,
            coordinator_a,
            "login",
            password="forkert",
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        ).status_code
        for attempt in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = password_login(
        client, coordinator_a, "login", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_successful_log_in_forgets_earlier_failures(client, settings, coordinator_a):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(2):
        password_login(client, coordinator_a, "login", password="forkert")
    assert password_login(client, coordinator_a, "login").status_code == 302
    client.logout()
    for _attempt in range(2):
        password_login(client, coordinator_a, "login", password="forkert")
    assert password_login(client, coordinator_a, "login").status_code == 302


def test_the_lockout_ends_after_the_cool_off_and_old_attempts_are_purged(
    client, settings, coordinator_a
):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        password_login(client, coordinator_a, "login", password="forkert")
    assert password_login(client, coordinator_a, "login").status_code == 429

    (attempt,) = AccessAttempt.objects.all()
    assert "forkert" not in attempt.post_data and PASSWORD not in attempt.post_data
    assert login_attempts_purge() == 0
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    assert login_attempts_purge(now=later) == 1
    assert password_login(client, coordinator_a, "login").status_code == 302


def test_successful_log_ins_are_not_recorded(client, coordinator_a, phone):
    from axes.models import AccessLog

    password_login(client, coordinator_a)
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()


# Passwords and sessions


def test_the_password_rules_refuse_a_short_password_when_resetting(client, coordinator_a):
    uid = urlsafe_base64_encode(force_bytes(coordinator_a.pk))
    token = default_token_generator.make_token(coordinator_a)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]

    response = client.post(form_url, {"new_password1": "Kort-kode1", "new_password2": "Kort-kode1"})
    assert "Denne adgangskode er for kort. Den skal indeholde mindst 12 tegn." in (
        response.content.decode()
    )
    response = client.post(
        form_url, {"new_password1": "12345678901234", "new_password2": "12345678901234"}
    )
    assert "Denne adgangskode er udelukkende numerisk." in response.content.decode()

    new = "havregryn-og-rugbrød"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(new)


def test_sessions_end_after_an_hour_without_requests_and_when_the_browser_closes(
    client, settings, coordinator_a
):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE

    settings.STAFF_2FA_REQUIRED = False
    response = password_login(client, coordinator_a)
    assert response.cookies["sessionid"]["expires"] == ""  # gone when the browser closes
    session = Session.objects.get()

    # Each request pushes the end of the session an hour ahead ...
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(ADMIN_INDEX).status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=59)

    # ... and an hour without one ends it.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(ADMIN_INDEX)["Location"].startswith(reverse("admin:login"))
