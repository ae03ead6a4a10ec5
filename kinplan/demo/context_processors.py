"""Put the demo tour on the login page of a demo installation, and a demo user's current two-factor code on the
pages that ask for it (and nowhere else)."""

from __future__ import annotations

from django.http import HttpRequest

from kinplan.demo.selectors import demo_current_code, demo_tour

CODE_PAGES = {"accounts:two_factor_verify", "accounts:confirm"}


def demo_tour_for(request: HttpRequest) -> dict[str, object] | None:
    """demo_tour(), asked once per request (the login view asks too, and so does this context processor)."""
    if not hasattr(request, "_kinplan_demo_tour"):
        request._kinplan_demo_tour = demo_tour()
    return request._kinplan_demo_tour


def demo(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.view_name == "accounts:login":
        return {"demo": demo_tour_for(request)}
    if match.view_name in CODE_PAGES:
        return {"demo_code": demo_current_code(request.user)}
    return {}
