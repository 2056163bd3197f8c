"""The JSON API through the ASGI test client: every route, its answers and its errors."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.web.conftest import BAD_ROWS, BEARER, SAMPLE_PLAN, TOKEN, serve, upload, wait


def test_build_runs_and_reports_rows_findings_and_outputs(built) -> None:
    s, data = built
    assert data["status"] == "done", data
    assert data["counts"] == {"ok": 1, "blocked": 2, "failed": 0}
    assert data["inputs"] == ["sample-plan.json", "bad_rows.csv"]
    ok = [r for r in data["rows"] if r["status"] == "ok"]
    blocked = [r for r in data["rows"] if r["status"] == "blocked"]
    assert [r["client_id"] for r in ok] == ["RC-1001"]
    assert ok[0]["outputs"][0]["path"].endswith(".pdf")
    assert all(not r["outputs"] for r in blocked)
    finding = next(f for r in blocked for f in r["findings"] if f["severity"] == "error")
    assert finding["code"] and finding["where"] and finding["message"]
    # rows the reader rejected name the uploaded file and row, never where it is kept
    assert data["problems"], "bad_rows.csv has rows that cannot become plans"
    assert all(p["where"].startswith("bad_rows.csv") for p in data["problems"])
    assert "inputs/" not in json.dumps(data)


def test_archive_holds_documents_and_manifests(built) -> None:
    s, data = built
    response = s.client.get(f"/api/builds/{data['id']}/archive", headers=BEARER)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.csv", "manifest.json"} <= set(names)
    assert ok_pdf(data) in names


def ok_pdf(data) -> str:
    return next(r for r in data["rows"] if r["status"] == "ok")["outputs"][0]["path"]


def test_output_url_downloads_the_document(built) -> None:
    s, data = built
    row = next(r for r in data["rows"] if r["status"] == "ok")
    response = s.client.get(row["outputs"][0]["url"], headers=BEARER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["cache-control"] == "no-store"


def test_every_api_route_needs_the_token(built) -> None:
    s, data = built
    for path in (
        "/api/builds/x",
        f"/api/builds/{data['id']}",
        f"/api/builds/{data['id']}/archive",
        "/api/due",
        "/api/clients/RC-1001/history",
    ):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = s.client.get(path, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert response.json()["error"].startswith("a token is needed")
            assert response.headers["www-authenticate"] == "Bearer"
    response = s.client.post("/api/builds", files=upload(SAMPLE_PLAN), data={"payer": "all"})
    assert response.status_code == 401


def test_unknown_batch_is_404(served) -> None:
    for path in ("/api/builds/nope", "/api/builds/nope/archive", "/api/builds/..%2F..%2Fetc"):
        response = served.client.get(path, headers=BEARER)
        assert response.status_code == 404
        assert "error" in response.json()
    assert served.client.get("/api/builds/nope", headers=BEARER).json()["where"] == "id"


def _post(served, files=None, **data):
    fields = {"payer": "clinical", "agency": "riverside", "format": "docx", **data}
    return served.client.post(
        "/api/builds", headers=BEARER, files=files or upload(SAMPLE_PLAN), data=fields
    )


def test_build_errors_name_the_field(served) -> None:
    cases = [
        ({"files": [("other", ("x.csv", b"a", "text/csv"))]}, "files", "at least one"),
        ({"payer": "nobody"}, "payer", "unknown payer 'nobody'"),
        ({"payer": "../../etc"}, "payer", "unknown payer"),
        ({"payer": ""}, "payer", "at least one payer"),
        ({"agency": "nowhere"}, "agency", "unknown agency 'nowhere'"),
        ({"format": "odt"}, "format", "'odt' is not a format"),
        ({"files": [("files", ("notes.exe", b"MZ", "x/y"))]}, "notes.exe", "cannot read .exe"),
        ({"files": [("files", ("../../evil", b"x", "x/y"))]}, "evil", "files without a suffix"),
    ]
    for change, where, message in cases:
        files = change.pop("files", None)
        response = _post(served, files=files, **change)
        assert response.status_code == 400, (change, response.text)
        body = response.json()
        assert body["where"] == where, body
        assert message in body["error"], body


def test_a_file_that_cannot_be_read_fails_clearly_naming_it(served) -> None:
    corrupt = [("files", ("intake.xlsx", b"not a workbook at all", "application/octet-stream"))]
    response = _post(served, files=corrupt)
    assert response.status_code == 202
    data = wait(served.client, response.json()["url"])
    assert data["status"] == "done" and data["rows"] == []
    assert data["problems"][0]["where"] == "intake.xlsx"
    assert data["problems"][0]["severity"] == "error"


def test_upload_limits(tmp_path) -> None:
    from pipeline.web.batches import Limits

    s = serve(tmp_path, Limits(files=2, file_bytes=100, request_bytes=5000))
    with s.client:
        three = [("files", (f"{i}.csv", b"a,b\n", "text/csv")) for i in range(3)]
        response = _post(s, files=three)
        assert response.status_code == 413 and "at most 2 files" in response.json()["error"]
        big = [("files", ("big.csv", b"x" * 200, "text/csv"))]
        response = _post(s, files=big)
        assert response.status_code == 413 and "big.csv" in response.json()["error"]
        huge = [("files", ("huge.csv", b"x" * 6000, "text/csv"))]
        assert _post(s, files=huge).status_code == 413


def test_archive_of_a_batch_not_done_is_409(served) -> None:
    batch = served.app.state.parts.batches.stage("token", [("a.csv", b"x")], {"payers": []})
    response = served.client.get(f"/api/builds/{batch.id}/archive", headers=BEARER)
    assert response.status_code == 409
    assert "is staged" in response.json()["error"]


def test_due_and_its_errors(built) -> None:
    s, _data = built
    response = s.client.get("/api/due?within=3650&today=2026-01-01", headers=BEARER)
    assert response.status_code == 200
    body = response.json()
    assert [d["client_id"] for d in body["due"]] == ["RC-1001"]
    assert body["due"][0]["payer"] == "clinical"
    for query, where in (
        ("within=-1", "within"),
        ("within=soon", "within"),
        ("today=2026-02-30", "today"),
    ):
        response = s.client.get(f"/api/due?{query}", headers=BEARER)
        assert response.status_code == 400 and response.json()["where"] == where


def test_history_and_unknown_client(built) -> None:
    s, _data = built
    response = s.client.get("/api/clients/RC-1001/history", headers=BEARER)
    assert response.status_code == 200
    body = response.json()
    assert body["client_id"] == "RC-1001" and body["versions"][0]["version"] == 1
    assert "1.json" not in json.dumps(body)  # the kept name of the upload never shows
    assert body["versions"][0]["payers"] == ["clinical"]
    response = s.client.get("/api/clients/NOBODY/history", headers=BEARER)
    assert response.status_code == 404
    assert response.json() == {"error": "no versions for client 'NOBODY'", "where": "client"}


def test_audit_records_build_view_and_download(built) -> None:
    s, data = built
    s.client.get(f"/api/builds/{data['id']}/archive", headers=BEARER)
    log = s.app.state.parts.db.audit_log(client_id="RC-1001")
    actions = {e["action"] for e in log}
    assert {"build", "view results", "download archive"} <= actions
    assert all(e["actor"] == "token" for e in log)
    s.client.get(f"/api/builds/{data['id']}", headers=BEARER)  # polled again: not again
    views = s.app.state.parts.db.audit_log(client_id="RC-1001")
    assert sum(e["action"] == "view results" for e in views) == 1


def test_two_batches_run_at_once(served) -> None:
    first = _post(served, files=upload(SAMPLE_PLAN)).json()
    second = _post(served, files=upload(BAD_ROWS)).json()
    assert first["id"] != second["id"]
    one, two = wait(served.client, first["url"]), wait(served.client, second["url"])
    assert one["status"] == two["status"] == "done"
    assert one["counts"]["ok"] == 1 and two["counts"]["blocked"] == 2
    batches = served.app.state.parts.batches
    assert batches.get(first["id"]).documents != batches.get(second["id"]).documents


def test_a_batch_starts_once(served) -> None:
    from pipeline.errors import InputError

    batches = served.app.state.parts.batches
    batch = batches.stage(
        "token",
        [("plan.json", SAMPLE_PLAN.read_bytes())],
        {"payers": ["clinical"], "agency": "riverside", "formats": ["docx"]},
    )
    assert served.app.state.parts.db.claim(batch.id)  # another request claimed it first
    with pytest.raises(InputError, match="running or done already"):
        batches.start(batch)
