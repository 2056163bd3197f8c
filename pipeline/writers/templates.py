"""Template files (DOCX, PDF forms) read once per file version, whatever their format."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from pipeline.errors import ConfigError


@functools.lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def load_template(path: Path | str) -> bytes:
    """The template's bytes (cached per file version); a missing file is a ConfigError.

    The file is looked at (``os.stat``) on every call, so a template changed on disk is read
    again; the cache is keyed by the path as text (no ``Path`` made a plan)."""
    try:
        return _read(os.fspath(path), os.stat(path).st_mtime_ns)
    except OSError as exc:
        raise ConfigError(f"template not readable ({exc.strerror}); run scripts/make_templates.py "
                          "or fix the profile's template path", str(path)) from exc  # fmt: skip
