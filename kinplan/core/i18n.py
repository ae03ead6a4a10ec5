"""Checks that keep the shipped languages complete, and the compiling of their catalogues.

Each app keeps its own catalogue in <app>/locale/<language>/LC_MESSAGES/django.po. The checks here are run by
the tests (kinplan/core/tests/test_translations.py) so that a string left untranslated fails the suite:

- `untranslated_template_text` finds words in a template that are not inside {% translate %} or
  {% blocktranslate %} (visible text, and the attributes a person reads: title, alt, placeholder, aria-label);
- `missing_from_catalogue` finds strings the code marks for translation that an app's catalogue lacks;
- `untranslated_entries` finds entries of a catalogue with no translation, or only a fuzzy one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.template.base import Lexer, TokenType

KINPLAN_DIR = Path(__file__).resolve().parent.parent
SHIPPED_LANGUAGES = ("nb",)  # English is the source language
# Words that are the same in every language: the product's name.
UNTRANSLATABLE_WORDS = {"Kinplan"}

_WORD = re.compile(r"[^\W\d_]{2,}")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_READ_ATTRIBUTE = re.compile(r"""\b(title|alt|placeholder|aria-label)\s*=\s*("[^"]*"|'[^']*')""", re.I)
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_PLACEHOLDER = "\x00"


def app_dirs() -> list[Path]:
    """Every Kinplan app (a package with apps.py)."""
    return sorted(path.parent for path in KINPLAN_DIR.glob("*/apps.py"))


def templates_of(app_dir: Path) -> Iterator[Path]:
    yield from sorted((app_dir / "templates").rglob("*.html"))


def _text_outside_translation(source: str) -> str:
    """The template's literal text with every tag and variable replaced by a placeholder, leaving out what sits
    inside {% blocktranslate %} and {% comment %}."""
    pieces: list[str] = []
    skipping: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if skipping:
                if name == f"end{skipping}":
                    skipping = None
                continue
            if name in {"blocktranslate", "blocktrans", "comment"}:
                skipping = name
            pieces.append(_PLACEHOLDER)
        elif skipping:
            continue
        elif token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
        else:
            pieces.append(_PLACEHOLDER)
    return "".join(pieces)


def untranslated_template_text(path: Path) -> list[str]:
    """Words a person would read in this template that no translation tag covers."""
    text = _HTML_COMMENT.sub(" ", _SCRIPT_OR_STYLE.sub(" ", _text_outside_translation(path.read_text())))
    readable = [match.group(2)[1:-1] for match in _READ_ATTRIBUTE.finditer(text)]
    readable.append(_TAG.sub(_PLACEHOLDER, text))
    words: list[str] = []
    for piece in readable:
        for word in _WORD.findall(_ENTITY.sub(" ", piece)):
            if word not in UNTRANSLATABLE_WORDS:
                words.append(word)
    return words


def catalogue(app_dir: Path, language: str) -> Path:
    return app_dir / "locale" / language / "LC_MESSAGES" / "django.po"


def _entries(po_path: Path) -> set[tuple[str | None, str]]:
    import polib

    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(po_path)) if not entry.obsolete}


def extracted_strings(app_dir: Path) -> set[tuple[str | None, str]]:
    """What makemessages finds marked for translation in the app (run on a copy, so nothing is written here)."""
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / app_dir.name
        shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "migrations"))
        (copy / "locale").mkdir()
        here = Path.cwd()
        os.chdir(copy)
        try:
            call_command("makemessages", locale=["nb"], verbosity=0, no_obsolete=True, no_location=True)
        finally:
            os.chdir(here)
        po_path = catalogue(copy, "nb")
        return _entries(po_path) if po_path.exists() else set()


def missing_from_catalogue(app_dir: Path, language: str) -> list[str]:
    wanted = extracted_strings(app_dir)
    if not wanted:
        return []
    po_path = catalogue(app_dir, language)
    have = _entries(po_path) if po_path.exists() else set()
    return sorted(f"{context}|{msgid}" if context else msgid for context, msgid in wanted - have)


def untranslated_entries(po_path: Path) -> list[str]:
    import polib

    po = polib.pofile(str(po_path))
    problems = ["(the header is marked fuzzy: msgfmt would ignore it)"] if po.metadata_is_fuzzy else []
    return problems + [
        entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


def compile_stale_catalogues() -> list[Path]:
    """Compile each app's .po to .mo where the .mo is missing or older (msgfmt, from Debian's gettext)."""
    compiled = []
    for po_path in sorted(KINPLAN_DIR.glob("*/locale/*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo_path), str(po_path)], check=True)
            compiled.append(mo_path)
    return compiled
