"""Exports that come as several files: patients, diagnoses and measures tables (every EHI
export), NDJSON records, and look-up tables, read together and joined by client id.

Files given together are grouped by folder. In a folder, a *child* table (a client id column
and only diagnoses, measures or dates) is joined to the folder's one *parent* table (a client
id and client fields: name, birth date...); a *look-up* table (no client id; its first column
a key such as Epic's ``DX_ID`` that a child table also has) adds its columns to the child's
rows. A folder with several parent tables joins nothing (they may be different systems'
exports). NDJSON / JSON Lines records are flattened into the same tables: nested objects give
labels like ``insurance id``, arrays of objects give one row per element (``diagnoses`` ->
``diagnosis code``).
"""

from __future__ import annotations

import csv
import json
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, TxplanError
from pipeline.findings import warning
from pipeline.readers import ReaderBug, ReadOptions, ReadResult, read
from pipeline.readers.delimited import detect_encoding, sniff
from pipeline.readers.mapping.aliases import normalize
from pipeline.readers.mapping.paths import IGNORE
from pipeline.readers.mapping.routes import resolve_label
from pipeline.readers.tabular import Sheet, find_header, read_tables

GROUPED = frozenset({".csv", ".tsv", ".txt", ".ndjson", ".jsonl"})
_CHILD_PATHS = ("diagnoses[", "measures[", "services[")
_CHILD_SCALARS = frozenset({"client.id", "intake_date", "plan_date"})


# --- NDJSON records -----------------------------------------------------------------------


def _singular(key: str) -> str:
    if key.endswith("ses"):
        return key[:-2] + "is"  # diagnoses -> diagnosis
    return key[:-1] if key.endswith("s") else key


def _label(prefixes: Sequence[str], key: str, profile: Any, bare_ok: bool) -> str:
    """The first of ``prefix key`` ... ``key`` that the aliases know, else the longest."""
    candidates = [f"{p} {key}" for p in prefixes] + ([key] if bare_ok else [])
    for candidate in candidates:
        if resolve_label(candidate, profile) not in (None, IGNORE):
            return candidate
    return candidates[0] if candidates else key


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v is not None and not isinstance(v, dict))
    return value


def flatten(record: dict[str, Any], profile: Any = None) -> list[dict[str, Any]]:
    """One NDJSON object as table rows: the object's scalars, then one row per element of
    each array of objects (carrying the object's id columns)."""
    top: dict[str, Any] = {}
    children: list[dict[str, Any]] = []

    def walk(obj: dict[str, Any], prefixes: list[str], into: dict[str, Any], nested: bool) -> None:
        for key, value in obj.items():
            name = str(key).replace("_", " ")
            if isinstance(value, dict):
                walk(value, [f"{p} {name}".strip() for p in prefixes] or [name], into, True)
            elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
                for element in value:
                    if isinstance(element, dict):
                        row: dict[str, Any] = {}
                        walk(element, [name, _singular(name)], row, True)
                        children.append(row)
            else:
                label = _label(prefixes, str(key), profile, bare_ok=not nested or key != "id")
                into.setdefault(label, _scalar(value))

    walk(record, [], top, False)
    ids = {k: v for k, v in top.items() if resolve_label(k, profile) == "client.id"}
    return [top, *({**ids, **child} for child in children)]


def ndjson_sheet(path: Path, profile: Any = None) -> Sheet:
    """An NDJSON / JSON Lines file of records as one table (header: every label in order)."""
    rows: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 text ({exc})", str(path)) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number} is not JSON ({exc.msg})", str(path)) from exc
        if not isinstance(data, dict):
            raise InputError(f"line {number} is not a JSON object", str(path))
        rows.extend(flatten(data, profile))
    header = list(dict.fromkeys(k for row in rows for k in row))
    table = [header, *([row.get(k) for k in header] for row in rows)]
    return Sheet(None, lambda: iter(table), str(path))


def read_ndjson(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """Every client of an NDJSON export (one object per line, nested arrays as rows)."""
    sheet = ndjson_sheet(path, options.profile)
    yield from read_tables(str(path), [sheet], options)


# --- several files of one export ----------------------------------------------------------


def delimited_sheet(path: Path) -> Sheet:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        delimiter = sniff(handle.read(65536), path.suffix.lower())

    def rows() -> Iterator[list[str]]:
        with path.open(encoding=encoding, newline="") as handle:
            yield from csv.reader(handle, delimiter=delimiter)

    return Sheet(None, rows, str(path))


def _sheet(path: Path, options: ReadOptions) -> Sheet | None:
    suffix = path.suffix.lower()
    try:
        if suffix in (".ndjson", ".jsonl"):
            if suffix == ".jsonl" and _plan_lines(path):
                return None
            return ndjson_sheet(path, options.profile)
        return delimited_sheet(path)
    except (InputError, OSError):
        return None


def _plan_lines(path: Path) -> bool:
    """True when a .jsonl file holds txplan plans rather than an export's records."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    data = json.loads(line)
                    return isinstance(data, dict) and (
                        "schema_version" in data or isinstance(data.get("client"), dict)
                    )
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return True  # let the plan reader report it
    return True


@dataclass
class _Part:
    path: Path
    sheet: Sheet
    kind: str  #: parent, child or lookup
    labels: tuple[str, ...] = ()
    lookups: list[_Part] = field(default_factory=list)


def _classify(path: Path, options: ReadOptions) -> _Part | None:
    sheet = _sheet(path, options)
    if sheet is None:
        return None
    table = find_header(str(path), sheet, options)
    if table is None:
        first = next(iter(sheet.rows()), None)
        labels = tuple(str(v).strip() for v in first or () if v not in (None, ""))
        return _Part(path, sheet, "lookup", labels) if len(labels) >= 2 else None
    paths = [
        table.context.get(label, resolve_label(label, options.profile))
        for label in table.labels
        if label
    ]
    client_fields = [
        p
        for p in paths
        if p and p not in _CHILD_SCALARS and p != IGNORE and not p.startswith(_CHILD_PATHS)
    ]
    return _Part(path, sheet, "child" if not client_fields else "parent", table.labels)


def plan_groups(paths: Sequence[Path], options: ReadOptions) -> list[list[Path] | _Export]:
    """The files in reading order: single files, and exports of several files joined."""
    parts: dict[Path, _Part | None] = {}
    for path in paths:
        if path.suffix.lower() in GROUPED and path.is_file():
            parts[path] = _classify(path, options)
    by_folder: dict[Path, list[_Part]] = {}
    for part in parts.values():
        if part is not None:
            by_folder.setdefault(part.path.parent, []).append(part)
    exports: dict[Path, _Export] = {}
    for folder_parts in by_folder.values():
        parents = [p for p in folder_parts if p.kind == "parent"]
        children = [p for p in folder_parts if p.kind == "child"]
        if len(parents) != 1 or not children:
            continue
        export = _Export(parents[0], children)
        for lookup in (p for p in folder_parts if p.kind == "lookup"):
            key = normalize(lookup.labels[0])
            for child in children:
                if key in {normalize(label) for label in child.labels if label}:
                    child.lookups.append(lookup)
                    export.lookups.append(lookup)
        for part in (parents[0], *children, *export.lookups):
            exports[part.path] = export
    planned: list[list[Path] | _Export] = []
    seen: set[int] = set()
    for path in paths:
        export = exports.get(path)
        if export is None:
            planned.append([path])
        elif id(export) not in seen:
            seen.add(id(export))
            planned.append(export)
    return planned


@dataclass
class _Export:
    parent: _Part
    children: list[_Part]
    lookups: list[_Part] = field(default_factory=list)

    @property
    def name(self) -> str:
        files = [self.parent, *self.children, *self.lookups]
        return " + ".join(p.path.name for p in files)

    def read(self, options: ReadOptions) -> Iterator[ReadResult]:
        sheets = [self.parent.sheet] + [_with_lookups(c) for c in self.children]
        yield from read_tables(str(self.parent.path), sheets, options)


def _with_lookups(child: _Part) -> Sheet:
    """A child table whose rows carry the columns of its look-up tables (joined by key)."""
    if not child.lookups:
        return child.sheet
    tables = []
    for lookup in child.lookups:
        rows = iter(lookup.sheet.rows())
        header = [str(v or "").strip() for v in next(rows, [])]
        index = {
            str(row[0]).strip(): list(row[1:]) for row in rows if row and row[0] not in (None, "")
        }
        tables.append((normalize(header[0]), header[1:], index))

    def rows() -> Iterator[list[Any]]:
        source = iter(child.sheet.rows())
        header = list(next(source, []))
        keys = [normalize(str(h or "")) for h in header]
        positions = [keys.index(key) if key in keys else None for key, _h, _i in tables]
        yield header + [h for _k, extra, _i in tables for h in extra]
        for row in source:
            row = list(row)
            added: list[Any] = []
            for position, (_key, extra, index) in zip(positions, tables, strict=True):
                value = (
                    str(row[position]).strip()
                    if position is not None and position < len(row)
                    else ""
                )
                found = index.get(value, [])
                added.extend(found + [None] * (len(extra) - len(found)))
            yield row + added

    return Sheet(child.sheet.name, rows, child.sheet.file)


def read_paths(
    paths: Sequence[Path], options: ReadOptions
) -> Iterator[tuple[str, Iterator[ReadResult]]]:
    """(name, results) for every file, or every export of several files, in order; each
    results iterator may raise :class:`~pipeline.errors.TxplanError` for its own files only."""
    for name, _files, results in read_groups(paths, options):
        yield name, results


def read_groups(
    paths: Sequence[Path], options: ReadOptions
) -> Iterator[tuple[str, tuple[Path, ...], Iterator[ReadResult]]]:
    """As :func:`read_paths`, with the files each group is read from (one, or an export's)."""
    for group in plan_groups(paths, options):
        if isinstance(group, _Export):
            files = tuple(p.path for p in (group.parent, *group.children, *group.lookups))
            yield group.name, files, _guarded(group, options)
        else:
            yield str(group[0]), (group[0],), read(group[0], options)


UNRECORDED = "IN045"  #: the system has no field for a goal's problem or clinical goal
#: goal field -> (what it is, what the merge fills in, the merge's finding code)
_WHAT = {
    "goals[].problem": ("problem", "the bank problem its words address", "MERGE022"),
    "goals[].description": ("clinical goal", "the bank's clinical goal for it", "MERGE033"),
}


def said_once(
    name: str, results: Iterator[ReadResult], options: ReadOptions
) -> Iterator[ReadResult]:
    """The results of one file (or export) with one IN045 warning, before its first plan, when
    its system has no field for a goal's problem or clinical goal: the merge names them from
    the goal bank for every plan, and says so on each plan as an info (MERGE022, MERGE033),
    not as a warning every plan would carry. For the verbs that merge (``plan``, ``build``,
    ``watch``); ``parse`` fills in nothing, so it says nothing."""
    said: set[tuple[str, ...]] = set()
    for result in results:
        plan = result.plan
        unrecorded = plan.provenance.unrecorded if plan is not None else ()
        if unrecorded and unrecorded not in said:
            said.add(unrecorded)
            message = _unrecorded(unrecorded, options, name)
            yield ReadResult(name, None, (warning(UNRECORDED, name, message),))
        yield result


def _unrecorded(unrecorded: tuple[str, ...], options: ReadOptions, name: str) -> str:
    """The IN045 message: names the system (the profile's, or the one the file's title names)
    and the file, the goal fields it has no place for and what txplan fills in."""
    from pipeline.readers.titles import system_words  # read only when the warning is due

    first = Path(name.split(" + ", 1)[0])  # an export of several files: its first file
    system = system_words(first, getattr(options.profile, "name", ""))
    what = [_WHAT.get(u, (u, u, "")) for u in unrecorded]
    return (
        f"{system} has no field for a goal's {' or '.join(w[0] for w in what)} "
        f"({', '.join(unrecorded)}): for each goal the clinician wrote, txplan fills in "
        f"{' and '.join(w[1] for w in what)}; check them on every plan (each plan lists "
        f"them as info, {'/'.join(w[2] for w in what)})"
    )


def _guarded(export: _Export, options: ReadOptions) -> Iterator[ReadResult]:

    try:
        yield from export.read(options)
    except TxplanError:
        raise
    except Exception as exc:  # noqa: BLE001 - the file boundary, as readers.read
        raise ReaderBug(
            f"could not be read: unexpected {type(exc).__name__} in the reader; this is a bug "
            "in txplan; please report it (run with --debug for the details)",
            export.name,
            traceback.format_exc(),
        ) from exc
