"""Scores how much of tests/data/real/ a reader recovers: shape -> (recovered, expected, misses).

Used by the corpus test and by ``python -m tests.readers.real_corpus`` (prints the README table).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.errors import TxplanError
from pipeline.model import Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import DATA

REAL = DATA / "real"


def shapes() -> list[Path]:
    return sorted(p for p in REAL.iterdir() if (p / "expected.json").exists())


def read_shape(folder: Path, options: ReadOptions | None = None) -> list[Plan]:
    files = sorted(p for p in folder.iterdir() if p.name != "expected.json")
    plans: list[Plan] = []
    for _name, results in read_paths(files, options or ReadOptions()):
        try:
            plans.extend(r.plan for r in results if r.plan is not None)
        except TxplanError:
            continue  # a file unusable alone (a look-up table not joined): counted as misses
    return plans


def _get(plan: Plan, path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        node = getattr(node, part, None)
    return node.isoformat() if hasattr(node, "isoformat") else node


def _same(path: str, got: Any, want: Any) -> bool:
    if got is None:
        return False
    if path == "client.sex_assigned_at_birth":
        return str(got).strip().lower()[:1] == str(want).strip().lower()[:1]
    return got == want


def _find(plans: list[Plan], match: dict[str, str]) -> Plan | None:
    for plan in plans:
        if all(_get(plan, path) == value for path, value in match.items()):
            return plan
    return None


def _measures(plan: Plan) -> set[str]:
    return {f"{m.instrument} {m.date or '-'} {m.total}" for m in plan.measures}


def _items(plan: Plan) -> set[str]:
    found = set()
    for m in plan.measures:
        if m.items:
            answers = ",".join(map(str, m.items))
            found.add(f"{m.instrument} {m.date or '-'} {answers}")
            found.add(f"{m.instrument} - {answers}")
    return found


def score(folder: Path, options: ReadOptions | None = None) -> tuple[int, int, list[str]]:
    """(fields recovered, fields expected, what was missed) for one shape."""
    spec = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    plans = read_shape(folder, options)
    hit = total = 0
    misses: list[str] = []
    for client in spec["clients"]:
        plan = _find(plans, client["match"])
        for path, want in client["fields"].items():
            wanted = want if isinstance(want, list) else [want]
            for value in wanted:
                total += 1
                if plan is None:
                    ok = False
                elif path == "diagnoses":
                    ok = value in {d.code for d in plan.diagnoses}
                elif path == "measures":
                    ok = value in _measures(plan)
                elif path == "items":
                    ok = value in _items(plan)
                else:
                    ok = _same(path, _get(plan, path), value)
                hit += ok
                if not ok:
                    misses.append(f"{client['match']}: {path} = {value!r}")
    return hit, total, misses


def table() -> str:
    """The README table: shape, fields recovered with no profile."""
    lines = ["| shape | fields recovered (no profile) |", "| --- | --- |"]
    for folder in shapes():
        hit, total, _ = score(folder)
        lines.append(f"| `{folder.name}` | {hit}/{total} ({100 * hit / total:.0f} %) |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
