"""The console's guards, in-process with Flask's test client and real SQLite files."""

from __future__ import annotations

import logging
import re

import pytest

from kiosk.console.app import wsgi_app
from kiosk.staff.accounts import IDLE_TIMEOUT_S, LOCKOUT_S, MAX_FAILURES

from .conftest import PASSWORD, STAFF, console_section

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def config(make_config):
    return make_config(extra=console_section(8443))


def token(client, path: str = "/login") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def log_in(client, name: str = STAFF, password: str = PASSWORD):
    return client.post("/login", data={"csrf_token": token(client), "username": name, "password": password})


def test_nothing_but_login_and_static_without_a_session(config, app_for):
    app, *_ = app_for(config)
    client = app.test_client()
    for path in ("/", "/ideas", "/changes", "/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/login").status_code == 200
    assert client.get("/static/console.css").status_code == 200
    assert client.post("/ideas", data={"id": "1", "action": "approve"}).status_code in (400, 302)


def test_every_response_forbids_script_framing_and_referrers(config, app_for):
    app, *_ = app_for(config)
    client = app.test_client()
    for response in (client.get("/login"), client.get("/"), client.get("/nowhere"), client.get("/static/console.css")):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "<script" not in client.get("/login").get_data(as_text=True)


def test_a_login_gives_a_strict_httponly_cookie_and_secure_over_tls(config, app_for):
    app, *_ = app_for(config, tls=True)
    client = app.test_client()
    response = log_in(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    assert PASSWORD not in cookie


def test_a_form_without_its_csrf_token_changes_nothing(config, app_for):
    app, accounts, ideas = app_for(config)
    idea = ideas.submit("Mehr Bänke am Spielplatz", "play")
    client = app.test_client()
    log_in(client)
    response = client.post("/ideas", data={"id": str(idea.id), "action": "approve"})
    assert response.status_code == 400 and "Lade die Seite neu" in response.get_data(as_text=True)
    assert ideas.get(idea.id).state == "pending"
    forged_login = app.test_client().post("/login", data={"username": STAFF, "password": PASSWORD})
    assert forged_login.status_code == 400 and "Wie geht" not in forged_login.get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(config, app_for):
    clock = Clock()
    app, accounts, _ = app_for(config, clock=clock)
    client = app.test_client()
    for _ in range(MAX_FAILURES - 1):
        assert "stimmt nicht" in log_in(client, password="falsch-falsch").get_data(as_text=True)
    assert "gesperrt" in log_in(client, password="falsch-falsch").get_data(as_text=True)
    refused = log_in(client)
    assert refused.status_code == 401 and "gesperrt" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    clock.now += LOCKOUT_S + 1
    assert log_in(client).status_code == 302 and client.get("/").status_code == 200


def test_a_session_ends_when_idle_on_logout_and_on_a_password_change(config, app_for):
    clock = Clock()
    app, accounts, _ = app_for(config, clock=clock)
    client = app.test_client()
    log_in(client)
    assert client.get("/").status_code == 200
    clock.now += IDLE_TIMEOUT_S - 5
    assert client.get("/").status_code == 200          # in use: it lasts
    clock.now += IDLE_TIMEOUT_S + 1
    assert client.get("/").status_code == 302          # idle too long

    log_in(client)
    stolen = client.get_cookie("kiosk_console").value
    client.post("/logout", data={"csrf_token": token(client, "/")})
    thief = app.test_client()
    thief.set_cookie("kiosk_console", stolen)
    assert thief.get("/").status_code == 302           # the cookie of an ended session is worth nothing

    log_in(client)
    other_device = app.test_client()
    log_in(other_device)
    changed = client.post("/password", data={"csrf_token": token(client, "/password"), "current": PASSWORD,
                                             "new": "ein-neues-langes-Passwort", "again": "ein-neues-langes-Passwort"})
    assert "Passwort ist geändert" in changed.get_data(as_text=True)
    assert other_device.get("/").status_code == 302 and client.get("/").status_code == 302
    assert log_in(client, password="ein-neues-langes-Passwort").status_code == 302
    assert any("Passwort von anna geändert" in c.what for c in accounts.changes())


def test_the_allow_list_refuses_other_networks_and_ignores_forwarded_headers(config, app_for):
    app, *_ = app_for(config)
    guarded = wsgi_app(config, app)     # [console] allow = 127.0.0.0/8
    from werkzeug.test import Client
    outside = Client(guarded).get("/login", environ_base={"REMOTE_ADDR": "10.99.1.2"},
                                  headers={"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"})
    assert outside.status_code == 403 and outside.headers["X-Frame-Options"] == "DENY"
    assert Client(guarded).get("/static/console.css", environ_base={"REMOTE_ADDR": "10.99.1.2"}).status_code == 403
    inside = Client(guarded).get("/login", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert inside.status_code == 200
    mapped = Client(guarded).get("/login", environ_base={"REMOTE_ADDR": "::ffff:127.0.0.1"})
    assert mapped.status_code == 200


def test_no_password_in_pages_or_logs(config, app_for, caplog):
    app, *_ = app_for(config)
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        failed = log_in(client, password="Mein-geheimes-Passwort")
        log_in(client)
        pages = [client.get(p).get_data(as_text=True) for p in ("/", "/ideas", "/changes", "/password")]
    assert "Mein-geheimes-Passwort" not in failed.get_data(as_text=True)
    for text in [*pages, caplog.text]:
        assert PASSWORD not in text and "Mein-geheimes-Passwort" not in text

