"""Who sent a request, when Kinplan runs behind load balancers or other proxies (docs/scaling.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, for the sign-in lockout's records (AXES_CLIENT_IP_CALLABLE).

    Behind KINPLAN_TRUSTED_PROXIES proxies, each appending the address it was reached from to X-Forwarded-For, the
    client's is the one the outermost proxy appended: counted from the right, so that an address a client writes into
    the header itself is never taken. With no proxies, or a request that did not come through them, REMOTE_ADDR."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies = settings.KINPLAN_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies <= 0 or len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
