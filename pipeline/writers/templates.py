"""Template files (DOCX, PDF forms) read once per file version, whatever their format."""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline.errors import ConfigError


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def load_template(path: Path) -> bytes:
    """The template's bytes (cached per file version); a missing file is a ConfigError."""
    path = Path(path)
    try:
        return _read(path, path.stat().st_mtime_ns)
    except OSError as exc:
        raise ConfigError(f"template not readable ({exc.strerror}); run scripts/make_templates.py "
                          "or fix the profile's template path", str(path)) from exc  # fmt: skip
