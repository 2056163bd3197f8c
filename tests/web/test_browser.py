"""``txplan serve`` in a real browser: Playwright for Python driving Debian's chromium.

The server is the real command (``txplan serve`` in a subprocess on a free port). Set
``TXPLAN_SCREENSHOTS=/tmp/dir`` to keep a screenshot of each page at 1280 px and tablet width.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token-0123456789"
SHOTS = os.environ.get("TXPLAN_SCREENSHOTS")
EXPORT = ROOT / "inputs" / "mindledger_long.csv"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TXPLAN_TOKEN": TOKEN}
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pipeline.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--store",
            str(tmp / "plans.sqlite3"),
            "-o",
            str(tmp / "out"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield base, tmp
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    text = (tmp / "server.log").read_text()
    assert f"/?token={TOKEN}" in text  # the address to open was printed
    # the server log names routes, never a client (ids from the export, names)
    assert "GET /batches/{id} 200" in text
    for detail in ("2041", "Okafor", "RC-1001", "mindledger"):
        assert detail not in text.split("Open http")[1], detail


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


def _shot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, height, tag in ((1280, 900, "1280"), (820, 1180, "tablet")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{tag}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _page(browser, base: str):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/?token={TOKEN}")
    assert "token=" not in page.url  # exchanged for a cookie, gone from the address
    return page


def test_keyboard_reaches_the_skip_link_and_the_upload(server, browser) -> None:
    base, _tmp = server
    page = _page(browser, base)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "files":
            break
    assert page.evaluate("document.activeElement.id") == "files"
    page.context.close()


def test_batch_upload_progress_findings_preview_zip(server, browser) -> None:
    base, _tmp = server
    page = _page(browser, base)
    _shot(page, "01-new-batch")
    page.set_input_files("#files", str(EXPORT))
    # two payers for every client, instead of each client's own payers (the default)
    page.uncheck("input[name=payer][value=all]")
    for payer in ("medicaid-isp", "clinical"):
        page.check(f"input[name=payer][value={payer}]")
    page.select_option("#agency", "northstar")
    page.uncheck("input[name=format][value=docx]")
    page.click("text=Upload and check the columns")
    page.wait_for_url("**/check")
    assert page.locator("h2", has_text="mindledger_long.csv").count() == 1
    assert "Record Type" in page.locator(".ignored").inner_text()  # an ignored column
    assert "client.id" in page.locator("table.mapping").inner_text()
    _shot(page, "02-check-columns")
    page.click("#build")
    page.wait_for_url("**/batches/*")
    progress = page.locator("#progress")
    assert progress.is_visible()
    if page.locator("#status").inner_text() == "running":
        assert page.locator("#bar").count() == 1
        _shot(page, "03-batch-running")
    page.wait_for_selector("#results", timeout=120_000)  # the script reloads when done
    assert page.locator("#status").inner_text() == "done"
    assert page.locator("#c-ok").inner_text() == "2"  # the ISPs of the two Medicaid members
    assert page.locator("#c-blocked").inner_text() == "12"
    _shot(page, "04-batch-done")
    page.click("#filter-blocked")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 12  # 2043 and 2047 are at risk with no safety plan yet; only the
    # ISPs of the two Medicaid members (2042, 2045) are ok (payer identity, TXR017)
    assert all("blocked" in rows.nth(i).inner_text() for i in range(rows.count()))
    _shot(page, "05-batch-blocked")
    rows.first.locator("a", has_text="finding").click()
    findings = page.locator("#findings li")
    assert findings.count() >= 1
    assert "error" in findings.first.inner_text().lower()
    _shot(page, "06-findings")
    page.go_back()
    page.goto(page.url.split("?")[0] + "?status=ok")
    with page.expect_response(lambda r: "inline=1" in r.url) as pdf:
        page.locator("a", has_text="Preview PDF").first.click()
    assert pdf.value.status == 200
    assert pdf.value.headers["content-type"] == "application/pdf"
    assert page.request.get(pdf.value.url).body()[:4] == b"%PDF"
    assert page.locator("iframe#pdf").is_visible()
    if SHOTS:
        page.wait_for_timeout(3000)  # let the PDF viewer draw the first page
    _shot(page, "07-preview")
    page.go_back()
    with page.expect_download() as download:
        page.click("#zip")
    archive = zipfile.ZipFile(download.value.path())
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert {"manifest.csv", "manifest.json"} <= names
    listed = {o["path"] for row in manifest for o in row["outputs"]}
    assert len(listed) == 2 and listed <= names  # the ok documents: the two ISPs
    assert all(archive.read(n)[:4] == b"%PDF" for n in listed)
    page.context.close()


def test_review_applied_in_the_browser(server, browser) -> None:
    base, _tmp = server
    page = _page(browser, base)
    page.goto(f"{base}/clients?q=2041")
    page.click("text=2041")
    _shot(page, "08-client")
    with page.expect_download() as download:
        page.click("text=Download review sheet")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    # met: the first objective with no score to contradict it (a scored target the latest
    # score misses cannot be met, REV025: 2041's goal 1 is the GAD-7's, F41.1 being primary)
    scored = re.compile(r"\b[A-Z]{2,}-?[A-Z0-9]*\d\b")  # PHQ-9, GAD-7, PCL-5
    met = next(n for n, row in enumerate(rows) if not scored.search(row["Measured by"]))
    for number, row in enumerate(rows):
        row.update(
            {
                "Review date": "2026-04-06",
                "Reviewer": "Dana Whitfield, LCSW",
                "Status": "Met" if number == met else "Partially met",
                "Rationale": "reviewed in session",
            }
        )
        writer.writerow(row)
    filled = _tmp / "filled-review.csv"
    filled.write_text(out.getvalue())
    page.goto(f"{base}/reviews")
    _shot(page, "09-reviews")
    page.set_input_files("#review", str(filled))
    page.click("text=See what it changes")
    assert "version 1 → a new version" in page.locator("main").inner_text()
    _shot(page, "10-review-preview")
    page.click("#apply")
    assert "version 2 saved" in page.locator("#saved").inner_text()
    page.click("#saved a")
    assert page.locator("#versions tbody tr").count() == 2
    assert page.locator("#changes li").count() >= 1
    _shot(page, "11-client-diff")
    for path, name in (("/due?within=365", "12-due"), ("/lint", "13-lint"), ("/audit", "14-audit")):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        _shot(page, name)
    page.context.close()


def test_token_login_and_csrf_refusals(server, browser) -> None:
    base, tmp = server
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{base}/")
    assert response.status == 401 and "Sign in needed" in page.content()
    assert page.goto(f"{base}/?token=wrong").status == 401
    _shot(page, "15-refused")
    page.goto(f"{base}/?token={TOKEN}")
    # a form posted with a forged CSRF token is refused
    page.goto(f"{base}/reviews")
    page.eval_on_selector("input[name=csrf]", "el => el.value = 'forged'")
    page.set_input_files("#review", str(EXPORT))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("text=See what it changes")
    assert posted.value.status == 403
    assert "security token" in page.content()
    context.close()
    # with an account, pages need a login; the token alone no longer opens them
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from pipeline.cli import main; main()",
            "users",
            "add",
            "maria",
            "--password",
            "correct horse battery",
            "--store",
            str(tmp / "plans.sqlite3"),
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/?token={TOKEN}")
    assert "/login" in page.url
    page.fill("#name", "maria")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert "do not match" in page.content()
    _shot(page, "16-login")
    page.fill("#name", "maria")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    assert page.locator("nav .who").inner_text() == "maria"
    page.click("text=Log out")
    assert "/login" in page.url
    context.close()
