"""Staff password reset requests: rate-limited, and alike for known and unknown addresses."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from peerprogram import tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("admin_password_reset")
DONE = reverse("password_reset_done")
KNOWN = "koordinator@lejre.eksempel.dk"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def account(db):
    return UserFactory(username="koordinator.a", email=KNOWN, is_staff=True)


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a reset as a browser would, with what the request queues run at once."""

    def post(email, ip="127.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)

    return post


def test_the_fourth_request_for_one_address_within_the_hour_sends_nothing_but_looks_the_same(
    ask, account
):
    answers = []
    for attempt in range(4):
        # From different addresses: the limit is the e-mail address's own.
        response = ask(KNOWN.upper() if attempt == 3 else KNOWN, ip=f"203.0.113.{attempt}")
        answers.append((response.status_code, response["Location"]))
        assert len(mail.outbox) == min(attempt + 1, 3)
    assert answers == [(302, DONE)] * 4


def test_one_client_asks_for_at_most_ten_resets_an_hour(ask):
    users = [UserFactory(email=f"person{number}@eksempel.dk") for number in range(11)]
    for user in users:
        response = ask(user.email, ip="203.0.113.7")
        assert (response.status_code, response["Location"]) == (302, DONE)
    assert sorted(sent.to[0] for sent in mail.outbox) == sorted(u.email for u in users[:10])

    ask(users[10].email, ip="198.51.100.1")
    assert mail.outbox[-1].to == [users[10].email]


def test_a_known_and_an_unknown_address_take_the_same_path_through_the_request(
    client, account, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        tasks.password_reset_request, "delay", lambda *args, **kwargs: queued.append((args, kwargs))
    )
    answers = []
    for email in [KNOWN, "ukendt@eksempel.dk"]:
        # No database work at all: the look-up happens in the worker.
        with django_assert_num_queries(0), django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET, {"email": email})
        answers.append((response.status_code, response["Location"]))
    assert answers == [(302, DONE)] * 2
    assert queued == [((), {"email": KNOWN}), ((), {"email": "ukendt@eksempel.dk"})]


def test_the_worker_sends_a_reset_only_to_an_active_account_with_the_address(
    account, django_capture_on_commit_callbacks
):
    UserFactory(email="gammel@eksempel.dk", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.password_reset_request(KNOWN.upper()) == 1
        assert tasks.password_reset_request("gammel@eksempel.dk") == 0
        assert tasks.password_reset_request("ukendt@eksempel.dk") == 0
    assert [sent.to for sent in mail.outbox] == [[KNOWN]]
