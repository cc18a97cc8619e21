"""Check objects against the vendored HSDS 3.0 JSON schemas (``hsds/schema/``)."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


@cache
def validator(entity: str) -> Draft202012Validator:
    """A validator for one HSDS object: ``service``, ``organization``, ``location``…"""
    return Draft202012Validator(
        {"$ref": f"{entity}.json"}, registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(entity: str, instance) -> list[str]:
    """Every way ``instance`` breaks the schema, as "path: message" lines (empty if valid)."""
    found = sorted(validator(entity).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in found
    ]
