"""The client's address and cache-backed rate limits (Redis in production via CACHE_URL), for
the public registration form, the password reset and django-axes' log-in lockout."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address; behind `TRUSTED_PROXY_COUNT` proxies, read from the right of
    X-Forwarded-For so a client cannot choose its own address.

    With no proxy configured (0) the header is ignored: anyone can send it, and believing it
    would let a client pick a fresh address for each guess."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; False once `limit` hits fell within the window."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        hits = 1
    return hits <= limit
