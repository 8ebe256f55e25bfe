"""The booth's counts over MQTT, for a report made where booth.sqlite is not (the booth on a second Pi).

The booth keeps its summary retained on `booth/summary`; it carries this month's loans, returns,
readers and new books (kiosk/booth/messages.py Summary), so a report of the current month gets
them from there. Nothing here ever raises for a missing broker: the report then says "no data".
"""

from __future__ import annotations

import logging
import threading

from kiosk.booth.messages import Summary
from kiosk.errors import KioskError

log = logging.getLogger(__name__)

WAIT_S = 5.0         # for the broker's login and the retained summary, which comes right after


def summary_from(payload) -> Summary | None:
    """A decoded `booth/summary` payload as a Summary; None for anything else (it is logged)."""
    if payload is None:
        return None
    try:
        return Summary.from_payload(payload)
    except KioskError as exc:
        log.warning("the booth's summary is not readable: %s", exc)
        return None


def booth_summary(config, timeout: float = WAIT_S) -> Summary | None:
    """The booth's retained summary from the broker, or None (no broker, no summary, bad summary)."""
    from kiosk.bus import Bus

    got: list = []
    heard = threading.Event()

    def keep(message) -> None:
        try:
            got.append(message.json())
        except ValueError:         # ProtocolError is one
            return
        heard.set()

    bus = Bus(config, "report", announce=False)
    bus.subscribe(bus.topics.booth_summary(), keep)
    bus.start()
    try:
        if not bus.wait_connected(timeout) or not heard.wait(timeout):
            return None
        return summary_from(got[-1])
    finally:
        bus.stop()
