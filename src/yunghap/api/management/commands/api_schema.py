"""`yunghap api_schema [--write]`: print the API's OpenAPI document, or write it to docs/openapi.json after
a reviewed change (tests/api/test_openapi_committed.py fails until the copy matches the code)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yunghap.api.schema import COMMITTED, current_document, rendered


class Command(BaseCommand):
    help = "Print the REST API's OpenAPI document, or --write it to docs/openapi.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--write", action="store_true", help="write docs/openapi.json")

    def handle(self, *args: Any, **options: Any) -> None:
        text = rendered(current_document())
        if options["write"]:
            COMMITTED.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {COMMITTED}")
        else:
            self.stdout.write(text, ending="")
