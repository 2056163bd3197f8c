"""Test-wide settings: no test ever writes to the user's plan version store."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_plan_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point $TXPLAN_STORE at a fresh database for every test (``--store`` still wins)."""
    monkeypatch.setenv("TXPLAN_STORE", str(tmp_path_factory.mktemp("store") / "plans.sqlite3"))
