"""Reads txplan's own plan JSON (one plan or a list) and JSON Lines back, so stages compose."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import InputError
from pipeline.findings import error
from pipeline.model import SCHEMA_VERSION, Plan
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.fhir import reader as fhir_reader


def _major(version: str) -> str:
    return str(version).split(".")[0]


def plan_from_data(data: object, where: str) -> ReadResult:
    """Validate one decoded plan object; problems become located findings."""
    if not isinstance(data, dict):
        return ReadResult(where, None, (error("JSON002", where, "expected a plan object"),))
    version = str(data.get("schema_version", SCHEMA_VERSION))
    if _major(version) != _major(SCHEMA_VERSION):
        msg = f"schema_version {version} is not readable by this txplan ({SCHEMA_VERSION})"
        return ReadResult(where, None, (error("JSON003", where, msg),))
    try:
        return ReadResult(where, Plan.model_validate(data))
    except ValidationError as exc:
        findings = tuple(
            error(
                "JSON004",
                f"{where}, field {'.'.join(str(p) for p in e['loc'])}",
                f"{e['msg']} (got {e.get('input')!r})",
            )
            for e in exc.errors()
        )
        return ReadResult(where, None, findings)


def first_is_fhir(text: str) -> bool:
    """JSON Lines whose first object names a FHIR ``resourceType`` (a Bulk Data file)."""
    for line in text.splitlines():
        if line.strip():
            try:
                return fhir_reader.is_fhir(json.loads(line))
            except json.JSONDecodeError:
                return False
    return False


def _holds_plans(text: str) -> bool:
    """Whether JSON Lines hold txplan plans (else an export's records, one client a line)."""
    for line in text.splitlines():
        if line.strip():
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                return True  # reported line by line below
            return not isinstance(data, dict) or (
                "schema_version" in data or isinstance(data.get("client"), dict)
            )
    return True


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 text ({exc})", str(path)) from exc
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson") and first_is_fhir(text):
        yield from fhir_reader.read_ndjson([path], options)  # a FHIR Bulk Data file
        return
    if suffix == ".ndjson" or (suffix == ".jsonl" and not _holds_plans(text)):
        from pipeline.readers.export import read_ndjson  # an export's records, not plans

        yield from read_ndjson(path, options)
        return
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}, line {number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadResult(where, None, (error("JSON001", where, f"not JSON: {exc.msg}"),))
                continue
            yield plan_from_data(data, where)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} at line {exc.lineno}", str(path)) from exc
    if fhir_reader.is_fhir(data):  # a FHIR Bundle or resource, told apart by its resourceType
        yield from fhir_reader.read_data(data, path, options)
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = str(path) if len(items) == 1 else f"{path}, item {index + 1}"
        yield plan_from_data(item, where)
