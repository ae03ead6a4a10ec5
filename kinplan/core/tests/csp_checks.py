"""Checks for the Content Security Policy and the other security headers, and for what the policy would refuse in
a page's HTML (found with the standard library's parser).

The policy (config/settings/base.py) allows scripts and styles only as files from Kinplan itself: no inline
<script> or <style>, no style="…" or on…="…" attributes, no javascript: URLs, nothing from another host.
`inline_code_in(html)` lists every such thing in a page, so a test can assert the list is empty;
`assert_security_headers(response)` checks the headers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.http import HttpResponseBase

# A <script> of one of these types is a data block, never run: Django admin's and Swagger UI's settings use them.
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}
EVENT_HANDLER = re.compile(r"^on[a-z]+$")
# The attributes that load something into the page, per element: each must be same-origin.
LOADS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "input": ("src",),
}
DATA_URL_ALLOWED = {"img"}  # img-src allows data: (Swagger UI's icons)


def is_same_origin(url: str) -> bool:
    """A relative URL, or a path on this host; not `//other.host/…` and not `https://…`."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc


class InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = self.get_starttag_text() or f"<{tag}>"
        if tag == "script" and "src" not in values and values.get("type", "").lower() not in DATA_BLOCK_TYPES:
            self.problems.append(f"inline <script>: {where}")
        if tag == "style":
            self.problems.append(f"inline <style> element: {where}")
        for name, value in values.items():
            if EVENT_HANDLER.match(name):
                self.problems.append(f"event handler attribute {name}=: {where}")
            elif name == "style":
                self.problems.append(f"style= attribute: {where}")
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}=: {where}")
        for name in LOADS.get(tag, ()):
            for url in self._urls(name, values.get(name)):
                if url.lower().startswith("data:") and tag in DATA_URL_ALLOWED:
                    continue
                if not is_same_origin(url):
                    self.problems.append(f"{tag} {name}= from another origin ({url}): {where}")

    handle_startendtag = handle_starttag

    @staticmethod
    def _urls(name: str, value: str | None) -> list[str]:
        if not value:
            return []
        if name == "srcset" and not value.lstrip().lower().startswith("data:"):
            return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]
        return [value]


def inline_code_in(html: str) -> list[str]:
    """Everything in `html` that Kinplan's Content Security Policy would refuse (empty when the page complies)."""
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def csp_directives(response: HttpResponseBase) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


# What every page's policy must say, directive by directive (the header may say more, e.g. img-src).
STRICT_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
OTHER_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def assert_security_headers(response: HttpResponseBase) -> None:
    """The strict policy (nothing unsafe-*, nothing from another host) and the other security headers."""
    csp = csp_directives(response)
    header = response.headers.get("Content-Security-Policy")
    wrong = {name: csp.get(name) for name, sources in STRICT_DIRECTIVES.items() if csp.get(name) != sources}
    assert not wrong, f"Content-Security-Policy: {header}"
    unsafe = [source for sources in csp.values() for source in sources if "unsafe" in source or source == "*"]
    assert not unsafe, f"Content-Security-Policy: {header}"
    headers = {name: response.headers.get(name) for name in OTHER_HEADERS}
    assert headers == OTHER_HEADERS
    permissions = response.headers.get("Permissions-Policy", "")
    denied = [f"{feature}=()" for feature in ("camera", "microphone", "geolocation", "payment")]
    assert all(rule in permissions for rule in denied), f"Permissions-Policy: {permissions}"
