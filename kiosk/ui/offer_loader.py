"""Reading the offers for the kiosk in a loader thread, again every OFFERS_RELOAD_S.

Calendar feeds change, and recurring dates are computed ahead for a while only, so the
kiosk reads offers.toml and the feeds again now and then, never on the UI thread; and at
once when offers.toml was edited (by the staff console or by hand: kiosk.offers.OffersWatch).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

OFFERS_RELOAD_S = 6 * 3600   # offers.toml and calendar feeds are read again this often


class OfferLoader:
    """One loader at a time: a feed server that hangs must not pile up a thread (and its memory)
    every OFFERS_RELOAD_S; a reload asked for meanwhile runs once, when the running one is done.

    `loaded(offers)` is called through `handoff` (on the UI thread) after each load, with None
    when the load failed (the kiosk then keeps what it shows).
    """

    def __init__(self, station, handoff: Callable[[Callable[[], None]], None],
                 loaded: Callable[[list | None], None]):
        self.station = station
        self.handoff = handoff
        self.loaded = loaded
        self.due = float("inf")               # when the next reload falls due (monotonic s)
        self.loading: float | None = None     # when the running loader started (monotonic s)
        self._again = False                   # a reload was asked for while one ran
        self._watch = None                    # notices an edited offers.toml (kiosk.offers.OffersWatch)

    def tick(self) -> None:
        """Reload if one is due or offers.toml changed (called once a second)."""
        if time.monotonic() >= self.due or (self._watch is not None and self._watch.changed()):
            self.reload()

    def reload(self) -> None:
        """Read the offers again now, or once the running load is done."""
        if self.loading is not None:
            if not self._again:
                log.warning("the offers have been loading for %.0f min; reading them again when that is done",
                            (time.monotonic() - self.loading) / 60)
            self._again = True
            self.due = time.monotonic() + OFFERS_RELOAD_S
            return
        self._start()

    def _start(self) -> None:
        self.due = time.monotonic() + OFFERS_RELOAD_S
        self.loading = time.monotonic()
        from kiosk.offers import watch_offers
        self._watch = watch_offers(self.station)     # made before the read: an edit during it counts

        def work():
            offers: list | None = None
            try:
                from kiosk.offers import load_offers
                offers = load_offers(self.station)
            except (ImportError, KioskError) as exc:
                log.warning("offers unavailable: %s", exc)
            except Exception:  # noqa: BLE001 — a bug in one load must not stop the next ones
                log.exception("loading the offers failed")
            self.handoff(lambda: self._done(offers))
        threading.Thread(target=work, name="ui-offers", daemon=True).start()

    def _done(self, offers: list | None) -> None:
        self.loading = None
        if self._again:
            self._again = False
            self._start()
        self.loaded(offers)
