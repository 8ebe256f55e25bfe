"""Offers are read by one loader thread at a time, even when a partner's calendar server hangs."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.ui.driver import Driver

from tests.ui.conftest import write_config


class HangingFeed:
    """A calendar server on localhost: answers the first request, holds every later one until the test
    releases it."""

    def __init__(self):
        self.requests = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        start = datetime.now(timezone.utc) + timedelta(days=1)
        self.body = "\r\n".join([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//feed//DE", "BEGIN:VEVENT", "UID:read-1@test",
            f"DTSTART:{start:%Y%m%dT100000Z}", f"DTEND:{start:%Y%m%dT110000Z}", "SUMMARY:Vorlesestunde",
            "END:VEVENT", "END:VCALENDAR", ""]).encode()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with feed.lock:
                    feed.requests += 1
                    first = feed.requests == 1
                if not first:
                    feed.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.ics"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    server = HangingFeed()
    yield server
    server.close()


def loaders(before: set) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ui-offers" and t not in before]


def test_one_offers_loader_at_a_time_while_a_feed_hangs(tmp_path, feed):
    from kiosk.ui.app import KioskApp

    config = write_config(tmp_path, extra=f'calendar_feeds = ["{feed.url}"]')
    before = set(threading.enumerate())
    app = KioskApp(config, size=(800, 480), connect=False)          # offers are loaded after the first frame

    def six_hours_later():
        app.offer_loader.due = 0.0         # the reload falls due (OFFERS_RELOAD_S) ...
        app._tick()                        # ... and the kiosk's once-a-second tick sees it

    with Driver(app).start() as driver:
        assert driver.until(lambda: any(o.text("title", "de") == "Vorlesestunde" for o in app.offers)
                            and not loaders(before), 10), "the first load did not show the feed's offer"
        six_hours_later()                  # this load hangs on the feed server
        assert driver.until(lambda: feed.requests == 2, 10)
        for _ in range(5):
            six_hours_later()
        assert len(loaders(before)) == 1
        assert feed.requests == 2
        feed.release.set()
        assert driver.until(lambda: app.offer_loader.loading is None and not loaders(before), 20)
        assert feed.requests == 3          # the reloads due meanwhile ran once, afterwards
        assert any(o.text("title", "de") == "Vorlesestunde" for o in app.offers)
