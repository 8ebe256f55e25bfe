"""`Mfrc522Reader`: the booth's tag reader on the `mfrc522` library's MFRC522 class."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.logs import Throttled

from .pcd import Pcd
from .reader import TagReader
from .registers import KNOWN_VERSIONS

log = logging.getLogger(__name__)


class Mfrc522Reader(TagReader):
    """Tag reader on an `mfrc522.MFRC522` (real chip on SPI, or the emulated one).

    Each poll sends REQA: a card that has just arrived answers and is identified
    (all cascade levels), then halted. Halted cards ignore REQA, so a card left on the
    reader is not read again; instead, for each known card, WUPA wakes the halted ones,
    a SELECT by UID confirms it is still there, and HLTA puts it back. An empty field
    costs 9 SPI transfers per poll (plus a one-transfer probe every `health_interval_s`),
    a poll with a card lying on the reader 38 (4-byte UID) or 48 (7-byte). Two new cards arriving together collide
    and neither is reported until one leaves (no bit-wise anticollision): never a wrong UID.

    SPI errors and a chip that stops answering are logged (throttled) and survived:
    the poll reports nothing, and the chip is probed (VersionReg and our timer set-up,
    one transfer) and re-initialised when it is back. Polls never raise OSError.
    """

    def __init__(self, device, *, poll_interval: float = 0.05, miss_limit: int = 3,
                 health_interval_s: float = 2.0, max_status_reads: int = 4,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        super().__init__(poll_interval=poll_interval, miss_limit=miss_limit, sleep=sleep, clock=clock)
        self.device = device
        self._pcd = Pcd(device, sleep=sleep, max_status_reads=max_status_reads)
        self._health_interval = health_interval_s
        self._next_probe = float("-inf")
        self._healthy = False
        self._trouble = Throttled(log, clock=clock)
        self._troubled = False
        try:
            self._pcd.configure()
        except OSError:
            pass  # the first poll probes the chip and says what is wrong

    @property
    def healthy(self) -> bool:
        """False while the chip is not answering or SPI fails."""
        return self._healthy

    def _scan(self, known: frozenset[bytes]) -> frozenset[bytes] | None:
        try:
            if not self._ready():
                return None
            return self._look(known)
        except OSError as exc:
            self._healthy = False
            self._complain("spi", "RFID reader: %s; will re-initialise the MFRC522", exc)
            return None

    def _look(self, known: frozenset[bytes]) -> frozenset[bytes]:
        pcd = self._pcd
        seen: set[bytes] = set()
        # New arrivals: cards in IDLE answer REQA; halted (known) ones keep quiet.
        for _ in range(len(known) + 2):
            if not pcd.request(wake_halted=False).answered:
                break
            uid = pcd.identify()
            if uid is not None:
                pcd.halt()
                seen.add(uid)
                continue
            # Several cards answered and the library has no bit-wise anticollision. A known
            # card back in IDLE (chip reset, a flicker) may be one of them: SELECT it by UID and
            # halt it, then ask again. Two new cards at once stay unread until one leaves.
            for candidate in sorted(known - seen):
                if pcd.select(candidate) is not None:
                    pcd.halt()
                    seen.add(candidate)
                    break
            else:
                break
        # Known cards: wake the halted ones and SELECT each by UID. HLTA sends every card that
        # is READY but not selected back to HALT, so each gets its own WUPA.
        for uid in sorted(known - seen):
            if not pcd.request(wake_halted=True).answered:
                break
            if pcd.select(uid) is not None:
                seen.add(uid)
            pcd.halt()
        return frozenset(seen)

    def _ready(self) -> bool:
        now = self._clock()
        if self._healthy and now < self._next_probe:
            return True
        self._next_probe = now + self._health_interval
        state = self._pcd.probe()
        if state.version not in KNOWN_VERSIONS:
            self._healthy = False
            self._complain("version", "RFID reader: MFRC522 not answering (VersionReg %#04x); "
                           "check its wiring and 3.3 V supply", state.version)
            return False
        if not state.configured:
            self._pcd.init()
            if not self._pcd.probe().configured:
                self._healthy = False
                self._complain("init", "RFID reader: MFRC522 did not keep its settings after re-initialising")
                return False
            if self._troubled:
                log.info("RFID reader: MFRC522 re-initialised")
        if self._troubled:
            log.info("RFID reader: working again")
            self._troubled = False
        self._healthy = True
        return True

    def _complain(self, kind: str, message: str, *args: object) -> None:
        self._troubled = True
        self._trouble.warning(kind, message, *args)

    def _close_device(self) -> None:
        # Only the SPI handle: the library's Close_MFRC522 also runs GPIO.cleanup(), which
        # would reset the booth's LED and buzzer pins too.
        try:
            self.device.spi.close()
        except OSError:
            pass

    def __repr__(self) -> str:
        spi = getattr(self.device, "spi", None)
        where = f" spi={spi.bus}.{spi.device}" if getattr(spi, "bus", None) is not None else ""
        if self.closed:
            return f"<Mfrc522Reader{where} closed>"
        return f"<Mfrc522Reader{where} {'ok' if self._healthy else 'unhealthy'} present={sorted(u.hex() for u in self.present)}>"
