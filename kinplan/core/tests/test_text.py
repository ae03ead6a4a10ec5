from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinplan.core.text import normalise_name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Whanau", "Whānau"),
        ("Tamati", "Tāmati"),
        ("Soren", "Søren"),
        ("ngapuhi", "NGĀPUHI"),
        ("jose", "José"),
        ("o briain", "Ó Briain"),
        ("zoe", "Zoë"),
        ("fa asavalu", "Fa'asāvalu"),
    ],
)
def test_a_plain_spelling_matches_the_name_with_macrons_and_diacritics(typed, stored):
    assert normalise_name(typed) == normalise_name(stored)


def test_different_names_stay_different():
    assert normalise_name("Tama") != normalise_name("Tāmati")


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text())
def test_a_normalised_name_is_plain_lowercase_words(text):
    folded = normalise_name(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") and not ch.isupper() for ch in folded)


@given(st.text(alphabet="aāeēiīoōuūAĀEĒIĪOŌUŪ", min_size=1))
def test_macron_vowels_fold_to_the_plain_vowel(text):
    assert normalise_name(text) == text.translate(str.maketrans("āēīōūĀĒĪŌŪ", "aeiouAEIOU")).lower()
