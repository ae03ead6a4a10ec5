"""Agencies run offline: every script, style sheet and icon comes from Kinplan itself."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

ASSET_URL = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs"])
def test_pages_load_no_asset_from_another_host(client, db, path):
    html = client.get(path).content.decode()
    urls = ASSET_URL.findall(html)
    assert urls, "the page should load some assets"
    assert all(url.startswith("/static/") for url in urls), urls


def test_htmx_and_the_style_sheet_are_installed_as_static_files():
    assert finders.find("htmx/htmx.min.js")
    assert finders.find("css/kinplan.css")
    assert finders.find("ninja/swagger-ui-bundle.js")
