"""A plan's JSON form (stable key order), and writing a file atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pipeline.model import Plan


def plan_to_json(plan: Plan, indent: int | None = None) -> str:
    """The plan's JSON form: stable key order, ISO dates, no defaults dropped."""
    return json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=indent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
