"""Template helpers for the printed documents: the translated page counter of the running footer."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_COUNTER = re.compile(r"\x00(page|pages)\x00")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{escaped}"'


@register.simple_tag
def page_of_pages() -> SafeString:
    """The CSS `content` of "Page X of Y" in the active language, its numbers as the page counters: the whole
    sentence is translated, so a language may put the numbers where it needs them."""
    sentence = gettext("Page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = _COUNTER.split(sentence)
    pieces = [f"counter({part})" if index % 2 else css_string(part) for index, part in enumerate(parts) if part]
    return mark_safe(" ".join(pieces))  # every literal part went through css_string
