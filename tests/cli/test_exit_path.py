"""One exit path: verbs return their exit code and the group turns it (and errors) into one."""

from __future__ import annotations

import ast

from click.testing import CliRunner

from pipeline.cli import main
from tests.support import DATA, ROOT


def test_no_verb_exits_on_its_own() -> None:
    """Only cli/guard.py (the group) ends the process; the library never does."""
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.as_posix() in ("pipeline/cli/guard.py", "pipeline/web/runner.py"):
            continue  # the group; the web batch runner is its own process's main
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = ast.unparse(node) if isinstance(node, ast.Call | ast.Raise) else ""
            if text.startswith(("sys.exit(", "exit(", "raise SystemExit", "os._exit(")):
                offenders.append(f"{rel}: {text}")
    assert offenders == []


def test_verbs_exit_0_1_2_through_the_group(tmp_path) -> None:
    good = CliRunner().invoke(main, ["goalbank", "lint"])
    assert good.exit_code == 0, good.output
    rejected = CliRunner().invoke(main, ["parse", str(DATA / "intake" / "bad_rows.csv")])
    unusable = CliRunner().invoke(main, ["parse", str(tmp_path / "missing.csv")])
    assert (rejected.exit_code, unusable.exit_code) == (1, 2)
    assert "Traceback" not in unusable.output
