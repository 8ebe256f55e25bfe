"""Where staff notifications land in tests: a real SMTP server and an ntfy stand-in on loopback."""

from __future__ import annotations

import email
import email.policy
import http.server
import ssl
import threading
import time

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from kiosk.bus.broker import free_port

USER, PASSWORD = "kiosk", "beet-geheim"


class MailInbox:
    """aiosmtpd with STARTTLS (a trustme certificate) and LOGIN/PLAIN auth."""

    def __init__(self, folder):
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = folder / "smtp-ca.pem"
        self.ca.cert_pem.write_to_path(self.ca_file)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(tls)
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[str] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, tls_context=tls,
                                     require_starttls=True, authenticator=self._authenticate,
                                     auth_require_tls=True)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
            and auth_data.password.decode() == PASSWORD
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def config_toml(self) -> str:
        return (f'[garden.notify.email]\nhost = "127.0.0.1"\nport = {self.port}\nsecurity = "starttls"\n'
                f'username = "{USER}"\npassword = "{PASSWORD}"\nca_file = "{self.ca_file}"\n'
                'sender = "station@test"\nrecipients = ["team@test"]\n')

    def subjects(self) -> list[str]:
        return [m["Subject"] for m in self.messages]

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


class PushInbox:
    """Accepts ntfy-style POSTs (title in a header, message as the body)."""

    def __init__(self):
        self.pushes: list[dict] = []
        inbox = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                inbox.pushes.append({"path": self.path, "title": self.headers.get("Title"),
                                     "priority": self.headers.get("Priority"),
                                     "body": self.rfile.read(length).decode("utf-8")})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def config_toml(self) -> str:
        return f'[garden.notify.ntfy]\nurl = "http://127.0.0.1:{self.port}/batenbrock-beet"\n'

    def titles(self) -> list[str]:
        return [p["title"] for p in self.pushes]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


def wait_until(condition, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not met within {timeout} s")
