"""Shared parts of the console benchmarks: a station with a staff account and waiting ideas, a
real `kiosk console` process, a bare Flask hello-world on the same Cheroot server, and a client
that keeps its connection and its cookies like a browser tab.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode

import common

STAFF, PASSWORD = "bench", "Kräuter-und-Bücher-2024"
NODES = 3
WAITING_IDEAS = 20          # a busy week's moderation queue
SERVICES = ("bridge", "garden", "ui", "booth")
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


def console_section(port: int) -> str:
    return f'\n[console]\nlisten = "127.0.0.1:{port}"\nallow = ["127.0.0.0/8"]\ntls_cert = ""\ntls_key = ""\n'


def make_station(folder: Path, broker_port: int) -> tuple[Path, int]:
    """station.toml with a [console] on a free port, a staff account, waiting ideas and the
    retained state the overview shows (services online, beds watered); returns (path, port)."""
    from kiosk.bus import Bus
    from kiosk.bus.broker import free_port
    from kiosk.clock import iso_from_epoch
    from kiosk.ideas.store import IdeaStore
    from kiosk.staff.accounts import StaffAccounts

    port = free_port()
    path, config = common.write_config(folder, broker_port, common.node_ids(NODES), extra=console_section(port))
    with StaffAccounts.open(config) as accounts:
        accounts.add(STAFF, PASSWORD, by="bench")
    # Ideas an hour apart, so the kiosk's burst limit lets all of them in.
    stamps = iter(time.time() - 3600 * (WAITING_IDEAS - i) for i in range(WAITING_IDEAS))
    with IdeaStore.open(config, clock=lambda: next(stamps)) as ideas:
        for i in range(WAITING_IDEAS):
            ideas.submit(f"Idee Nummer {i + 1}: ein Bücherregal und eine Bank am Markt, mit Schatten im Sommer",
                         ("play", "green", "meeting", "clean", "other")[i % 5])
    bus = Bus(config, "bench", announce=False)
    bus.start()
    try:
        if not bus.wait_connected(10):
            raise RuntimeError("the benchmark's broker does not answer")
        now = iso_from_epoch(time.time())
        sent = [bus.publish(bus.topics.status(service), "online", retain=True) for service in SERVICES]
        sent += [bus.publish(bus.topics.garden_state(node), {"ts": now, "moisture": 45.0, "status": "ok"}, retain=True)
                 for node in common.node_ids(NODES)]
        for info in sent:
            info.wait_for_publish(10)
    finally:
        bus.stop()
    return path, port


class Server:
    """A server process (the console or the bare app) listening on a loopback port."""

    def __init__(self, args: list[str], port: int, log: Path):
        self.port = port
        self.log = log
        env = dict(os.environ, PYTHONPATH=str(common.REPO), PYTHONUNBUFFERED="1")
        with open(log, "wb") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            env=env, cwd=common.REPO)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{args[-1]} ended: {log.read_text(errors='replace')[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{args[-1]} did not listen within 30 s") from None
                time.sleep(0.05)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_console(config_path: Path, port: int, log: Path) -> Server:
    """`kiosk console` from this checkout, as systemd runs it (tests/console/conftest.py does the same)."""
    return Server([common.PYTHON, "-m", "kiosk", "--config", str(config_path), "console"], port, log)


@contextmanager
def console_and_bare(name: str):
    """The station with `kiosk console` and the bare peer running, and a tab on each:
    yields (console, bare, console tab, bare tab); stops both and removes the station after."""
    with ExitStack() as stack:
        folder = stack.enter_context(common.scratch(name))
        mosq = stack.enter_context(common.broker(folder))
        config_path, port = make_station(folder, mosq.port)
        console = start_console(config_path, port, folder / "console.log")
        stack.callback(console.stop)
        bare = start_bare(folder / "bare.log")
        stack.callback(bare.stop)
        station, peer = Tab(console.port), Tab(bare.port)
        stack.callback(station.close)
        stack.callback(peer.close)
        yield console, bare, station, peer


def start_bare(log: Path) -> Server:
    """The bare peer in its own process; the thread count comes from here, so that the peer
    itself imports nothing of the station (its memory is Flask's and Cheroot's alone)."""
    from kiosk.bus.broker import free_port
    from kiosk.console.service import THREADS

    port = free_port()
    return Server([common.PYTHON, str(common.BENCH_DIR / "hello_flask.py"), str(port), str(THREADS)], port, log)


class Tab:
    """One keep-alive HTTP/1.1 connection with its cookies, like one browser tab."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in cookie or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, data

    def timed_get(self, path: str) -> float:
        """Seconds from sending the request to the last byte of a 200 answer."""
        t0 = time.perf_counter()
        status, _ = self.request("GET", path)
        took = time.perf_counter() - t0
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}, not 200 (logged out?)")
        return took

    def log_in(self) -> None:
        """The login form, then the POST a browser sends (one scrypt hash on the server)."""
        _, page = self.request("GET", "/login")
        token = CSRF.search(page)
        if token is None:
            raise RuntimeError("the login page has no CSRF token")
        status, _ = self.request("POST", "/login", {"csrf_token": token.group(1).decode(), "username": STAFF,
                                                    "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login answered {status}, not a redirect")

    def log_out(self) -> None:
        _, page = self.request("GET", "/")
        token = CSRF.search(page)
        if token is None:
            raise RuntimeError("the overview has no log-out form")
        self.request("POST", "/logout", {"csrf_token": token.group(1).decode()})

    def close(self) -> None:
        self.conn.close()
