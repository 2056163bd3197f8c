"""Reads txplan's own plan JSON (one plan or a list) and JSON Lines back, so stages compose."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from pipeline.bounded import LIMITS, load_json, too_big
from pipeline.errors import InputError
from pipeline.findings import error
from pipeline.model import SCHEMA_VERSION, Plan
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.fhir import reader as fhir_reader


def _major(version: str) -> str:
    return str(version).split(".")[0]


def _shown(value: object) -> str:
    """A rejected value as messages quote it: in double quotes (hidden on stderr unless
    --show-values), cut to 60 characters."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:200]
    return '"' + (text[:60] + "…" if len(text) > 60 else text).replace('"', "'") + '"'


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
                f"{e['msg']} (got {_shown(e.get('input'))})",
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


def _first_line(path: Path) -> str:
    """The first non-blank line of a JSON Lines file (at most ``json_bytes``), decoded."""
    try:
        with path.open("rb") as handle:
            while raw := handle.readline(LIMITS.json_bytes):
                if raw.strip():
                    return raw.decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    return ""


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        first = _first_line(path)
        if first_is_fhir(first):
            yield from fhir_reader.read_ndjson([path], options)  # a FHIR Bulk Data file
            return
        if suffix == ".ndjson" or not _holds_plans(first):
            from pipeline.readers.export import read_ndjson  # an export's records, not plans

            yield from read_ndjson(path, options)
            return
        yield from _lines(path)
        return
    try:
        if path.stat().st_size > LIMITS.json_bytes:
            raise InputError(too_big("the file size", path.stat().st_size, LIMITS.json_bytes,
                                     "json_bytes"), str(path))  # fmt: skip
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 text ({exc})", str(path)) from exc
    try:
        data = load_json(text, str(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} at line {exc.lineno}", str(path)) from exc
    except ValueError as exc:
        raise InputError(f"not plan JSON: {exc}", str(path)) from exc
    if fhir_reader.is_fhir(data):  # a FHIR Bundle or resource, told apart by its resourceType
        yield from fhir_reader.read_data(data, path, options)
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = str(path) if len(items) == 1 else f"{path}, item {index + 1}"
        yield plan_from_data(item, where)


def _lines(path: Path) -> Iterator[ReadResult]:
    """JSON Lines: each line its own plan; a line that is not UTF-8 or not JSON is a finding
    on that line, and the rest of the file is read."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    with handle:
        number = 0
        while raw := handle.readline(LIMITS.json_bytes + 1):
            number += 1
            where = f"{path}, line {number}"
            if len(raw) > LIMITS.json_bytes and not raw.endswith(b"\n"):
                while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                message = too_big("the line", len(raw), LIMITS.json_bytes, "json_bytes")
                yield ReadResult(where, None, (error("JSON001", where, message),))
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                data = load_json(raw.decode("utf-8"), where)
            except UnicodeDecodeError:
                yield ReadResult(where, None, (error("JSON001", where, "not UTF-8 text"),))
                continue
            except json.JSONDecodeError as exc:
                yield ReadResult(where, None, (error("JSON001", where, f"not JSON: {exc.msg}"),))
                continue
            except (ValueError, InputError) as exc:
                message = exc.message if isinstance(exc, InputError) else str(exc)
                yield ReadResult(
                    where, None, (error("JSON001", where, f"not plan JSON: {message}"),)
                )
                continue
            yield plan_from_data(data, where)
