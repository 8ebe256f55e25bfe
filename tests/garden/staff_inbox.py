"""Where staff notifications land in tests: a real SMTP server and an ntfy stand-in on loopback."""

from __future__ import annotations

import email
import email.header
import email.policy
import http.server
import socket
import ssl
import threading
import time

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from kiosk.bus.broker import free_port

USER, PASSWORD = "kiosk", "beet-geheim"


class MailInbox:
    """aiosmtpd with STARTTLS (a trustme certificate) and LOGIN/PLAIN auth.

    Like many small servers it has no SMTPUTF8. `password` is what the server accepts
    (change it to lock the station out or let it back in); `refuse` holds addresses it
    answers 550 for; `delivered` lists (envelope recipients, message) per mail."""

    def __init__(self, folder, password: str = PASSWORD, recipients=("team@test",)):
        self.password = password
        self.recipients = list(recipients)
        self.refuse: set[str] = set()
        self.delivered: list[tuple[list[str], email.message.EmailMessage]] = []
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
                                     auth_require_tls=True, enable_SMTPUTF8=False)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
            and auth_data.password.decode("utf-8", "replace") == self.password
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok, handled=False)   # aiosmtpd answers 535 on failure

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        self.delivered.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def config_toml(self, password: str | None = None) -> str:
        """The station's [garden.notify.email] for this server, with `password` if given."""
        recipients = ", ".join(f'"{r}"' for r in self.recipients)
        return (f'[garden.notify.email]\nhost = "127.0.0.1"\nport = {self.port}\nsecurity = "starttls"\n'
                f'username = "{USER}"\npassword = "{password or self.password}"\nca_file = "{self.ca_file}"\n'
                f'sender = "station@test"\nrecipients = [{recipients}]\n')

    def received_by(self, address: str) -> list[email.message.EmailMessage]:
        return [message for rcpts, message in self.delivered if address in rcpts]

    def subjects(self) -> list[str]:
        return [m["Subject"] for m in self.messages]

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def ntfy_header(raw: str) -> str:
    """A header value as ntfy reads it: the bytes as UTF-8 (Latin-1 bytes turn into U+FFFD,
    as the phone shows them), then RFC 2047 encoded words decoded."""
    text = raw.encode("latin-1").decode("utf-8", "replace")   # http.server handed the bytes over as Latin-1
    return str(email.header.make_header(email.header.decode_header(text)))


class PushInbox:
    """Accepts ntfy-style POSTs (title in a header, message as the body)."""

    def __init__(self):
        self.pushes: list[dict] = []
        inbox = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                title = self.headers.get("Title")
                inbox.pushes.append({"path": self.path, "title": None if title is None else ntfy_header(title),
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


class HangingMailServer:
    """Takes connections and never says a word, like a mail server that hangs."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _peer = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def config_toml(self) -> str:
        return (f'[garden.notify.email]\nhost = "127.0.0.1"\nport = {self.port}\nsecurity = "starttls"\n'
                'sender = "station@test"\nrecipients = ["team@test"]\n')

    def stop(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()
