"""The client address behind the lockout and the rate limits (peerprogram.ratelimit)."""

from django.test import RequestFactory

from peerprogram.ratelimit import client_ip


def request_from(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_client_is_the_connection_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_ip(request_from("203.0.113.7")) == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the first entry itself; the proxy appended the real one.
    forged_then_real = "198.51.100.1, 203.0.113.7"
    assert client_ip(request_from("172.18.0.1", forged_then_real)) == "203.0.113.7"
