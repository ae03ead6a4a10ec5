"""Write the API's OpenAPI schema to a file: `manage.py api_schema docs/openapi.json` (the copy published in docs/,
which a test keeps equal to what /api/v1/openapi.json serves)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand


def schema_text() -> str:
    """The OpenAPI schema as stable, readable JSON (sorted keys, two-space indent, a final newline)."""
    from kinplan.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema (as served at /api/v1/openapi.json) to a file, or print it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", help="Where to write it; without a path, print it.")

    def handle(self, *args: Any, path: str | None = None, **options: Any) -> None:
        text = schema_text()
        if path is None:
            self.stdout.write(text, ending="")
            return
        Path(path).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote the OpenAPI schema to {path}.")
