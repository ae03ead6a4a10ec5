"""docs/openapi.json is the schema the API serves: regenerate it with `manage.py api_schema docs/openapi.json`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command

from kinplan.core.management.commands.api_schema import schema_text

PUBLISHED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_the_published_schema_is_the_one_the_api_serves(client):
    served = client.get("/api/v1/openapi.json").json()
    assert json.loads(schema_text()) == served
    assert PUBLISHED.read_text(encoding="utf-8") == schema_text(), (
        "docs/openapi.json is out of date: run `python manage.py api_schema docs/openapi.json`"
    )
    assert served["info"]["title"] == "Kinplan API"


def test_the_command_writes_the_schema(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("api_schema", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["info"]["title"] == "Kinplan API"
