"""The shared print layout: the footer's page counter in the reader's language, and documents that load nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from kinplan.documents.pdf import inline_only
from kinplan.documents.templatetags.documents_tags import css_string, page_of_pages


def test_the_page_counter_is_one_translated_sentence_around_the_css_counters():
    with translation.override("en-nz"):
        assert page_of_pages() == '"Page " counter(page) " of " counter(pages)'
    with translation.override("nb"):
        assert page_of_pages() == '"Side " counter(page) " av " counter(pages)'


def test_text_in_css_cannot_close_the_string_or_the_style_element():
    assert css_string('a "quoted" \\ </style>') == '"a \\"quoted\\" \\\\ \\3c /style>"'


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "https://example.org/logo.png", "file:///etc/passwd"]
)
def test_a_document_loads_nothing_from_the_network_or_the_servers_files(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        inline_only().fetch(url)


def test_a_document_may_use_inline_data():
    assert inline_only().fetch("data:text/plain;base64,S2lhIG9yYQ==").read() == b"Kia ora"
