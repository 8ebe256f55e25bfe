"""What every long-running service shares: logging, a stop signal, systemd notification, and
`serve`, the start and orderly end of `kiosk garden`, `kiosk bridge` and `kiosk booth`."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from contextlib import ExitStack
from typing import Callable, Protocol

from kiosk import logs

log = logging.getLogger(__name__)


class Lifecycle:
    """A stop event set by SIGTERM/SIGINT, plus systemd's READY/WATCHDOG notifications."""

    def __init__(self, service: str):
        logs.setup(service)
        self.service = service
        self.stopping = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum, frame) -> None:
        log.info("stopping on %s", signal.Signals(signum).name)
        self.stopping.set()

    def ready(self) -> None:
        notify("READY=1")

    def alive(self) -> None:
        """Tell systemd's watchdog the service is healthy (no-op outside systemd)."""
        notify("WATCHDOG=1")


class Runs(Protocol):
    def run(self, stopping: threading.Event, alive: Callable[[], None]) -> None: ...


def serve(name: str, build: Callable[[ExitStack], Runs]) -> int:
    """Run the service `name` until SIGTERM or SIGINT; returns its exit code (0).

    `build(parts)` opens what the service needs (databases, reader, bus) and hands each
    to `parts` to be closed (`parts.enter_context(db)`, `parts.callback(bus.stop)`); it
    starts the bus and returns the service. Everything handed over is closed in reverse
    order when the service stops, and also when building fails half-way. systemd hears
    READY only once the service is built.
    """
    life = Lifecycle(name)
    with ExitStack() as parts:
        service = build(parts)
        life.ready()
        service.run(life.stopping, life.alive)
    return 0


def notify(state: str) -> None:
    """sd_notify without a dependency: one datagram to $NOTIFY_SOCKET."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
    except OSError as exc:
        log.debug("sd_notify failed: %s", exc)
