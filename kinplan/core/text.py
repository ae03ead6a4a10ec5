"""Name normalisation: the one definition of 'the same name' for search and duplicate checks."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(text: str) -> str:
    """Fold case, macrons and diacritics to plain lowercase words ('Tāmati Søren' -> 'tamati soren')."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = unidecode(without_marks).lower()
    return " ".join(_NOT_WORD.sub(" ", ascii_text).split())
