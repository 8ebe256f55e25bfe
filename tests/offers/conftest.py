"""Offers fixtures: a station with its own offers.toml and calendar feeds."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SMALL_OFFERS = """
[[offer]]
id = "cafe"
icon = "coffee"
free = true
audiences = ["single_parents", "families"]
topics = ["everyday"]
weekly = [ { day = "di", start = "09:30", end = "11:30" } ]
[offer.title]
de = "Müttercafé"
en = "Mothers' café"

[[offer]]
id = "beet"
icon = "herb"
always_open = true
audiences = ["everyone"]
topics = ["health", "everyday"]
[offer.title]
de = "Kräuterbeet"
"""


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Feeds on 127.0.0.1 are fetched directly, by the kiosk and by its feed workers."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def station(tmp_path, make_config):
    """station(offers=TEXT, feeds=[...]) -> a loaded Config whose offers.toml is TEXT."""
    def make(offers: str = SMALL_OFFERS, feeds: list[str] = ()):
        (tmp_path / "offers.toml").write_text(offers, encoding="utf-8")
        extra = f"[ui]\noffers_file = \"offers.toml\"\ncalendar_feeds = {json.dumps(list(feeds))}\n"
        return make_config(extra=extra)
    return make


class _FeedHandler(SimpleHTTPRequestHandler):
    """Serves the folder; /drip-body/NAME sends NAME one byte at a time, /drip-head/NAME its headers."""

    stop: threading.Event

    def do_GET(self):
        kind, _, name = self.path.lstrip("/").partition("/")
        if kind not in ("drip-body", "drip-head"):
            return super().do_GET()
        body = (Path(self.directory) / name).read_bytes()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {len(body)}\r\n".encode()
        if kind == "drip-body":
            self.wfile.write(head + b"\r\n")
            self._drip(body)
        else:
            self.wfile.write(head)
            self._drip(b"X-Padding: " + b"." * 100_000 + b"\r\n\r\n" + body)

    def _drip(self, data: bytes) -> None:
        for i in range(len(data)):
            if self.stop.wait(DRIP_EVERY_S):
                return
            try:
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
            except OSError:         # the kiosk gave up on us
                return

    def log_message(self, *args):
        pass


DRIP_EVERY_S = 0.2


@pytest.fixture
def www(tmp_path):
    """(folder, url): an HTTP server on 127.0.0.1 serving `folder`; url(name) is a file's address."""
    folder = tmp_path / "www"
    folder.mkdir()
    stop = threading.Event()
    handler = type("Handler", (_FeedHandler,), {"stop": stop})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, lambda name: f"http://127.0.0.1:{server.server_address[1]}/{name}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
