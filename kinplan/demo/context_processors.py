"""Put the demo tour on the login page of a demo installation (and nowhere else)."""

from __future__ import annotations

from django.http import HttpRequest

from kinplan.demo.selectors import demo_tour


def demo(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "accounts:login":
        return {}
    return {"demo": demo_tour()}
