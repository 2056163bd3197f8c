"""Secure by default: token exchange, sessions, CSRF, accounts, headers, paths, the log."""

from __future__ import annotations

import logging

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from pipeline.errors import ConfigError
from pipeline.web.app import check_bind, is_loopback
from pipeline.web.auth import hash_password
from tests.web.conftest import BEARER, SAMPLE_PLAN, TOKEN, csrf_of, serve, upload

PAGES = ("/", "/clients", "/clients?q=RC", "/reviews", "/due", "/due.csv", "/lint", "/audit")


def test_pages_refuse_without_a_session(served) -> None:
    for path in PAGES:
        response = served.client.get(path, follow_redirects=False)
        assert response.status_code == 401, path
        assert "?token=" in response.text
    assert served.client.get("/?token=wrong").status_code == 401


def test_token_is_exchanged_for_a_strict_httponly_cookie(served) -> None:
    response = served.client.get(f"/due?within=3&token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/due?within=3"  # the token leaves the address
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    for path in PAGES:
        assert served.client.get(path).status_code == 200, path


def test_security_headers_on_every_answer(served) -> None:
    served.login()
    for response in (
        served.client.get("/"),
        served.client.get("/nope"),
        served.client.get("/api/due", headers=BEARER),
    ):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"


def test_no_inline_script_in_any_page(served) -> None:
    served.login()
    for path in PAGES[:-3]:
        html = served.client.get(path).text
        assert "<script>" not in html and " on" + "click=" not in html
        assert '<script src="/static/app.js"' in html or "<script src=" in html


def _post_routes(app) -> list[str]:
    return [r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]


def test_every_form_refuses_a_missing_or_wrong_csrf_token(served) -> None:
    token = served.login()
    paths = [p.replace("{id}", "x").replace("{key}", "0" * 16) for p in _post_routes(served.app)]
    assert {"/batches", "/reviews", "/logout", "/api/builds", "/login"} <= set(paths)
    for path in paths:
        for data in ({}, {"csrf": "wrong"}):
            response = served.client.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, data, response.status_code)
    response = served.client.post(
        "/batches",
        data={"csrf": token, "payer": "clinical", "agency": "riverside"},
        files=upload(SAMPLE_PLAN),
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].endswith("/check")


def test_cross_site_posts_are_refused(served) -> None:
    token = served.login()
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        response = served.client.post("/logout", data={"csrf": token}, headers=headers)
        assert response.status_code == 403


def test_bearer_requests_need_no_csrf(served) -> None:
    response = served.client.post(
        "/api/builds",
        headers=BEARER,
        files=upload(SAMPLE_PLAN),
        data={"payer": "nobody", "agency": "riverside"},
    )
    assert response.status_code == 400  # got past authentication and CSRF to the form check


def test_foreign_host_header_refused(served) -> None:
    response = served.client.get("/api/due", headers={**BEARER, "host": "evil.example"})
    assert response.status_code == 400


def test_bind_is_loopback_unless_accounts_exist(served) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    db = served.app.state.parts.db
    check_bind("127.0.0.1", db)
    with pytest.raises(ConfigError, match="add a user account first"):
        check_bind("0.0.0.0", db)
    db.set_user("maria", hash_password("correct horse battery"))
    check_bind("0.0.0.0", db)


def test_with_accounts_every_page_needs_a_login(served) -> None:
    client = served.client
    served.login()  # a token session from before accounts existed
    served.app.state.parts.db.set_user("maria", hash_password("correct horse battery"))
    response = client.get("/clients", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fclients"
    fresh = TestClient(served.app)
    assert fresh.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 303  # to login
    assert fresh.get("/", follow_redirects=False).headers["location"].startswith("/login")
    # the API still takes the token
    assert client.get("/api/due", headers=BEARER).status_code == 200
    page = client.get("/login")
    token = csrf_of(page.text)
    response = client.post("/login", data={"name": "maria", "password": "wrong", "csrf": token})
    assert response.status_code == 401
    token = csrf_of(response.text)
    response = client.post(
        "/login",
        data={"name": "maria", "password": "correct horse battery"},
        follow_redirects=False,
    )
    assert response.status_code == 403  # no login CSRF token
    response = client.post(
        "/login",
        data={
            "name": "maria",
            "password": "correct horse battery",
            "csrf": token,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "HttpOnly" in response.headers["set-cookie"]
    assert client.get("/clients").status_code == 200
    home = client.get("/").text
    assert "maria" in home and "Log out" in home
    log = served.app.state.parts.db.audit_log()
    assert [e["action"] for e in log[:2]] == ["login", "failed login"]


def test_login_locks_a_name_after_five_failures(served) -> None:
    served.app.state.parts.db.set_user("maria", hash_password("correct horse battery"))
    client = served.client
    for _ in range(5):
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"name": "maria", "password": "nope", "csrf": token})
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"name": "maria", "password": "correct horse battery", "csrf": token}
    )
    assert response.status_code == 401


def test_files_only_from_the_batch_folder(built) -> None:
    s, data = built
    import json

    batch = s.app.state.parts.batches.get(data["id"])
    manifest = batch.documents / "manifest.json"
    original = manifest.read_text(encoding="utf-8")
    rows = json.loads(original)
    ok = next(i for i, r in enumerate(rows) if r["status"] == "ok")
    try:
        rows[ok]["outputs"][0]["path"] = "../../../../../../etc/passwd"
        manifest.write_text(json.dumps(rows), encoding="utf-8")
        response = s.client.get(f"/batches/{data['id']}/files/{ok}/0", headers=BEARER)
        assert response.status_code == 404
    finally:
        manifest.write_text(original, encoding="utf-8")
    assert s.client.get(f"/batches/{data['id']}/files/{ok}/0", headers=BEARER).status_code == 200
    for bad in (f"/batches/{data['id']}/files/{ok}/9", f"/batches/{data['id']}/files/99/0"):
        assert s.client.get(bad, headers=BEARER).status_code == 404


def test_server_log_names_routes_not_clients(built, caplog) -> None:
    s, data = built
    with caplog.at_level(logging.INFO, logger="txplan.web"):
        s.client.get("/clients/RC-1001", headers=BEARER)
        s.client.get("/clients?q=Okafor", headers=BEARER)
        s.client.get("/api/clients/RC-1001/history", headers=BEARER)
    text = caplog.text
    assert "GET /clients/{client_id} 200" in text
    assert "RC-1001" not in text and "Okafor" not in text


def test_restart_fails_an_unfinished_batch_clearly(tmp_path) -> None:
    s = serve(tmp_path)
    batch = s.app.state.parts.batches.stage("token", [("a.json", b"{}")], {"payers": []})
    s.app.state.parts.db.update_batch(batch.id, status="running", pid=999999)
    again = serve(tmp_path)  # the server starts again
    found = again.app.state.parts.db.batch(batch.id)
    assert found.status == "failed"
    assert "stopped before it finished" in found.message
    response = again.client.get(f"/api/builds/{batch.id}", headers=BEARER)
    assert response.json()["status"] == "failed"
