"""A served app on a fresh store and output folder, and one batch built through the API."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from pipeline.web.app import Config, create_app  # noqa: E402
from pipeline.web.batches import Limits  # noqa: E402
from tests.support import ROOT  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
SAMPLE_PLAN = ROOT / "templates" / "sample-plan.json"
BAD_ROWS = ROOT / "tests" / "data" / "intake" / "bad_rows.csv"


@dataclass
class Served:
    app: Any
    client: TestClient
    store: Path
    root: Path

    def login(self) -> str:
        """Open a browser session with the token; return its CSRF token."""
        response = self.client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303
        return csrf_of(self.client.get("/").text)


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def serve(tmp: Path, limits: Limits | None = None) -> Served:
    config = Config(
        store=tmp / "plans.sqlite3", output_root=tmp / "out", token=TOKEN, limits=limits or Limits()
    )
    app = create_app(config)
    return Served(app, TestClient(app), config.store, config.output_root)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = serve(tmp_path)
    with s.client:
        yield s


def upload(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def wait(client: TestClient, url: str, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = client.get(url, headers=BEARER).json()
        if data["status"] != "running":
            return data
        time.sleep(0.3)
    raise AssertionError(f"{url} still running after {seconds} s")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict[str, Any]]]:
    """One batch: the sample plan (ok) and bad_rows.csv (blocked rows, rejected rows), PDF."""
    s = serve(tmp_path_factory.mktemp("served"))
    with s.client:
        response = s.client.post(
            "/api/builds",
            headers=BEARER,
            files=upload(SAMPLE_PLAN, BAD_ROWS),
            data={"payer": "clinical", "agency": "riverside", "format": "pdf"},
        )
        assert response.status_code == 202, response.text
        data = wait(s.client, response.json()["url"])
        yield s, data
