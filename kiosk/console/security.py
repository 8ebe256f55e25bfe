"""The console's guards, each in one place.

- `AllowList`: a WSGI wrapper that refuses every request from outside `[console] allow`
  with 403 before Flask sees it. It reads the peer address the server saw (REMOTE_ADDR);
  X-Forwarded-For and similar headers are never believed, since anyone can send them.
- `HEADERS`: sent with every response — a Content-Security-Policy without script (one page
  may load a script file of the console's own, `CSP_OWN_SCRIPT`; inline script never runs),
  no framing, no referrer, no sniffing, no caching of pages.
- `login_required`: everything but /login and static files needs a live session
  (kiosk/staff/accounts.py keeps sessions server-side).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from typing import Callable, Iterable

from flask import current_app, g, redirect, request, session, url_for

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
# The one page that runs a script of the console's own (the camera's bar-code reader on
# „Bücher annehmen“, kiosk/console/static/desk-camera.js): from this server, never inline.
CSP_OWN_SCRIPT = CSP + "; script-src 'self'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
FORBIDDEN = ("<!doctype html><html lang=\"de\"><meta charset=\"utf-8\"><title>Kein Zugang</title>"
             "<p>Von diesem Netz aus ist die Konsole nicht erreichbar.</p></html>").encode()


class AllowList:
    """WSGI middleware: only peers inside `networks` reach `app`; everyone else gets 403."""

    def __init__(self, app: Callable, networks: Iterable[str]):
        self.app = app
        self.networks = [ipaddress.ip_network(n, strict=False) for n in networks]

    def allows(self, address: str) -> bool:
        try:
            peer = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        if peer.version == 6 and peer.ipv4_mapped:       # an IPv4 peer on a dual-stack socket
            peer = peer.ipv4_mapped
        return any(peer in network for network in self.networks)

    def __call__(self, environ, start_response):
        address = environ.get("REMOTE_ADDR", "")
        if self.allows(address):
            return self.app(environ, start_response)
        log.info("refused %s: outside [console] allow", address)
        start_response("403 Forbidden", [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Length", str(len(FORBIDDEN))), *HEADERS.items()])
        return [FORBIDDEN]


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def load_user() -> None:
    """Before each request: who is logged in (g.user), from the server-side session."""
    g.user = current_app.extensions["staff"].session_user(session.get("sid"))


def login_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if g.get("user") is None:
            session.pop("sid", None)
            return redirect(url_for("auth.login"))
        return view(*args, **kwargs)
    return guarded
