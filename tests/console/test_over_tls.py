"""The console as installed: HTTPS with a certificate (Cheroot's TLS), in a real browser."""

from __future__ import annotations

import ssl
import urllib.request

import trustme

from kiosk.bus.broker import free_port
from kiosk.ideas.store import IdeaStore
from kiosk.staff.accounts import StaffAccounts

from .conftest import PASSWORD, STAFF, RunningConsole, log_in


def test_over_https_the_cookie_is_secure_and_forms_work(make_config, broker, chromium, tmp_path):
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "console.crt", tmp_path / "console.key"
    certificate.cert_chain_pems[0].write_to_path(str(cert))
    certificate.private_key_pem.write_to_path(str(key))
    port = free_port()
    config = make_config(broker.port, extra=f'\n[console]\nlisten = "127.0.0.1:{port}"\nallow = ["127.0.0.0/8"]\n'
                                             f'tls_cert = "{cert}"\ntls_key = "{key}"\n')
    with StaffAccounts.open(config) as accounts:
        accounts.add(STAFF, PASSWORD, by="test")
    with IdeaStore.open(config) as ideas:
        idea = ideas.submit("Ein Bücherschrank am Markt", "other")
    console = RunningConsole(config, port, tmp_path / "console.log")
    try:
        url = f"https://127.0.0.1:{port}"
        trusted = ssl.create_default_context()
        authority.configure_trust(trusted)
        with urllib.request.urlopen(url + "/login", context=trusted, timeout=10) as response:
            assert response.status == 200 and "Anmelden" in response.read().decode()
        plain = f"http://127.0.0.1:{port}/login"
        try:
            urllib.request.urlopen(plain, timeout=10).read()
            spoke_plain_http = True
        except Exception:  # noqa: BLE001 — any failure means no page over plain HTTP
            spoke_plain_http = False
        assert not spoke_plain_http

        context = chromium.new_context(ignore_https_errors=True)     # trust is the CA's business, not this test's
        page = context.new_page()
        log_in(page, url)
        assert page.locator("h1").inner_text() == "Wie geht's der Station?"
        cookie = next(c for c in context.cookies() if c["name"] == "kiosk_console")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        page.goto(url + "/ideas")
        page.locator(f"#idea-{idea.id} button[value=approve]").click()      # a form posted over HTTPS
        assert "steht jetzt auf der Ideenwand" in page.locator(".flash").inner_text()
        context.close()
    finally:
        console.stop()
