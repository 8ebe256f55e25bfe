"""Short, bounded exchanges with an MFRC522, on top of the `mfrc522` library's register access.

The library's `MFRC522_ToCard` waits for an answer by reading ComIrqReg up to 2,000
times, and (its `~` operators being bitwise) never stops early on TimerIRq: every poll
of an empty field costs ~2,000 SPI transfers. `Pcd.transceive` sends the same kind of
frame with the chip's timer set to a few milliseconds, sleeps for that long, and reads
the interrupt flags a bounded number of times, so an idle poll costs about ten
transfers. Card identification reuses the library's `MFRC522_Anticoll`, `CalulateCRC`
and `MFRC522_ToCard`, adding cascade level 2 (and 3) for 7- and 10-byte UIDs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from . import registers as r
from .cards import NVB_ANTICOLL, NVB_SELECT, REQA, SAK_CASCADE, SELECT_CODES, WUPA, HALT_CMD
from .crc import append_crc, bcc, check_crc
from kiosk.errors import ChipNotResponding
from .uids import cascade_parts, uid_from_parts

OK, TIMEOUT, COLLISION, ERROR = "ok", "timeout", "collision", "error"

# Timer as the library sets it (TModeReg 0x8D: TAuto, TPrescaler 0xD3E -> ~0.5 ms ticks),
# but reloaded with 4 instead of 30: 2.5 ms instead of 15.5 ms. A card answers REQA in
# ~0.2 ms and SELECT/READ in under 1 ms.
T_MODE = 0x8D
T_PRESCALER = 0x3E
T_RELOAD = 4
TIMEOUT_S = (T_RELOAD + 1) * (2 * (((T_MODE & 0x0F) << 8) | T_PRESCALER) + 1) / r.CLOCK_HZ


@dataclass(frozen=True)
class Exchange:
    """The outcome of one frame sent to the cards: status, the bytes heard and their bit count."""

    status: str
    data: bytes = b""
    bits: int = 0

    @property
    def answered(self) -> bool:
        """Some card spoke (possibly several at once)."""
        return self.status != TIMEOUT


@dataclass(frozen=True)
class ChipState:
    version: int
    configured: bool


class Pcd:
    """The reader chip ("proximity coupling device") as the tag reader drives it.

    Wraps a constructed `mfrc522.MFRC522`. Every method may raise OSError (SPI failure)
    or ChipNotResponding (register values no working chip gives).
    """

    def __init__(self, device, *, sleep: Callable[[float], None] = time.sleep, max_status_reads: int = 4):
        self.device = device
        self._sleep = sleep
        self._max_status_reads = max(2, max_status_reads)
        # A little over the chip's timeout, so one sleep is enough to see TimerIRq.
        self._wait_s = TIMEOUT_S * 1.2

    # --- registers ------------------------------------------------------------------------
    def write(self, register: int, value: int) -> None:
        self.device.Write_MFRC522(register, value)

    def read(self, register: int) -> int:
        return self.device.Read_MFRC522(register)

    def read_many(self, registers: list[int]) -> list[int]:
        """Several registers in one SPI frame (the chip answers each address one byte later)."""
        frame = [((register << 1) & 0x7E) | 0x80 for register in registers] + [0]
        return list(self.device.spi.xfer2(frame))[1:]

    def write_fifo(self, data: bytes) -> None:
        """All of `data` into the FIFO in one SPI frame."""
        self.device.spi.xfer2([(r.FIFO_DATA << 1) & 0x7E, *data])

    # --- set-up and health ----------------------------------------------------------------
    def configure(self) -> None:
        """Our short timer on top of the library's MFRC522_Init."""
        self.write(r.T_MODE, T_MODE)
        self.write(r.T_PRESCALER, T_PRESCALER)
        self.write(r.T_RELOAD_H, T_RELOAD >> 8)
        self.write(r.T_RELOAD_L, T_RELOAD & 0xFF)

    def init(self) -> None:
        """Soft-reset and set the chip up again: the library's MFRC522_Init, then our timer."""
        self.device.MFRC522_Init()
        self.configure()

    def probe(self) -> ChipState:
        """Version and whether our set-up is still in place (lost after a power cycle), in one transfer."""
        version, t_mode, reload, tx_control = self.read_many([r.VERSION, r.T_MODE, r.T_RELOAD_L, r.TX_CONTROL])
        configured = t_mode == T_MODE and reload == T_RELOAD and (tx_control & r.TX_CONTROL_ANTENNA) == 3
        return ChipState(version, configured)

    # --- exchanges ------------------------------------------------------------------------
    def transceive(self, data: bytes, last_bits: int = 0) -> Exchange:
        """Send one frame and wait a bounded time for an answer. Raises OSError, ChipNotResponding."""
        self.write(r.COMMAND, r.CMD_IDLE)
        self.write(r.COM_IRQ, 0x7F)  # Set1 = 0: clear every flag
        self.write(r.FIFO_LEVEL, r.FIFO_FLUSH)
        self.write_fifo(data)
        self.write(r.COMMAND, r.CMD_TRANSCEIVE)
        self.write(r.BIT_FRAMING, r.BIT_FRAMING_START_SEND | last_bits)
        irq = self._wait()
        self.write(r.BIT_FRAMING, last_bits)  # drop StartSend so the next command cannot send early
        if irq is None:
            raise ChipNotResponding("the MFRC522 raised no interrupt within its timeout (timer not running)")
        if not irq & (r.IRQ_RX | r.IRQ_ERR):
            return Exchange(TIMEOUT)
        error, level, control = self.read_many([r.ERROR, r.FIFO_LEVEL, r.CONTROL])
        if error & (r.ERR_WR | r.ERR_TEMP) or level > r.FIFO_SIZE:
            raise ChipNotResponding(f"implausible MFRC522 state: ErrorReg {error:#04x}, FIFO level {level}")
        heard = bytes(self.read_many([r.FIFO_DATA] * level)) if level else b""
        last = control & 0x07
        bits = (len(heard) - 1) * 8 + last if last and heard else len(heard) * 8
        if error & r.ERR_COLL:
            return Exchange(COLLISION, heard, bits)
        if error & (r.ERR_PROTOCOL | r.ERR_PARITY | r.ERR_CRC | r.ERR_BUFFER_OVFL):
            return Exchange(ERROR, heard, bits)
        return Exchange(OK, heard, bits)

    def _wait(self) -> int | None:
        irq = self.read(r.COM_IRQ)
        for _ in range(self._max_status_reads - 1):
            if irq & (r.IRQ_RX | r.IRQ_ERR | r.IRQ_TIMER):
                return irq
            self._sleep(self._wait_s)
            irq = self.read(r.COM_IRQ)
        return irq if irq & (r.IRQ_RX | r.IRQ_ERR | r.IRQ_TIMER) else None

    def request(self, *, wake_halted: bool) -> Exchange:
        """REQA (cards in IDLE answer) or WUPA (halted cards too), as a 7-bit short frame."""
        return self.transceive(bytes([WUPA if wake_halted else REQA]), last_bits=7)

    def select(self, uid: bytes) -> int | None:
        """SELECT a known UID through all its cascade levels; its final SAK, or None if it did not answer.

        Cards that are READY but have another UID stay READY and silent.
        """
        sak = None
        for level, part in enumerate(cascade_parts(uid)):
            frame = bytes([SELECT_CODES[level], NVB_SELECT]) + part + bytes([bcc(part)])
            answer = self.transceive(append_crc(frame))
            if answer.status != OK or answer.bits != 24 or not check_crc(answer.data):
                return None
            sak = answer.data[0]
        return sak

    def halt(self) -> None:
        """HLTA to the selected card. A halted card stays silent, so a timeout is success."""
        self.transceive(append_crc(bytes([HALT_CMD, 0x00])))

    def identify(self) -> bytes | None:
        """Anticollision and SELECT through every cascade level after a REQA/WUPA was answered:
        the whole UID of the one card that is now ACTIVE, or None (collision, card gone)."""
        device = self.device
        status, first = device.MFRC522_Anticoll()  # the library does cascade level 1
        if status != device.MI_OK:
            return None
        parts = [bytes(first[:4])]
        sak = self._select_level(0, bytes(first[:5]))
        while sak is not None and sak & SAK_CASCADE:
            level = len(parts)
            if level >= len(SELECT_CODES):
                return None
            part = self._anticoll_level(level)
            if part is None:
                return None
            parts.append(part[:4])
            sak = self._select_level(level, part)
        if sak is None:
            return None
        return uid_from_parts(parts)

    # Our own SELECT on the library's ToCard: its MFRC522_SelectTag returns the SAK, or 0 on
    # failure, and 0x00 is the final SAK of every NTAG.
    def _select_level(self, level: int, part_with_bcc: bytes) -> int | None:
        device = self.device
        frame = [SELECT_CODES[level], NVB_SELECT, *part_with_bcc]
        frame += device.CalulateCRC(frame)
        status, data, bits = device.MFRC522_ToCard(device.PCD_TRANSCEIVE, frame)
        if status != device.MI_OK or bits != 24 or not check_crc(data):
            return None
        return data[0]

    def _anticoll_level(self, level: int) -> bytes | None:
        device = self.device
        self.write(r.BIT_FRAMING, 0x00)
        status, data, _ = device.MFRC522_ToCard(device.PCD_TRANSCEIVE, [SELECT_CODES[level], NVB_ANTICOLL])
        if status != device.MI_OK or len(data) != 5 or bcc(data[:4]) != data[4]:
            return None
        return bytes(data)
