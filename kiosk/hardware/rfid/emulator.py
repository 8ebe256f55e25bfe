"""An emulated NXP MFRC522 on a fake SPI bus, so the real `mfrc522` library runs without a Pi.

`Mfrc522Chip` implements the registers, the 64-byte FIFO, the timer, the interrupt
flags and the commands Idle, Mem, GenerateRandomID, CalcCRC, Transmit, Receive,
Transceive, MFAuthent and SoftReset, talking to the cards of an `RfidField`.
`EmulatedSpi` is what `spidev.SpiDev()` returns under the stand-ins: it carries the
library's `xfer2` frames to the chip and counts them (`transfers`), the
hardware-independent cost of whatever the library does.

Time: the chip's timer runs on `clock()` (default `time.monotonic`) plus the time the
SPI frames would take on the bus, so a reader spinning on a register sees the timer
expire as on a real board, and tests can pass a fake clock to be deterministic.

Faults to test recovery with: `stop_answering()` (reads return 0x00 or 0xFF, writes are
lost), `resume(power_cycled=True)` (back with power-on register values: antenna off,
timer unconfigured), `fail_transfers(n)` (`xfer2` raises OSError).

Not emulated: Crypto1 ciphering, bit-oriented anticollision (NVB other than 0x20/0x70),
RxAlign, the HiAlert/LoAlert interrupts, the IRQ pin and the RST pin.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from . import registers as r
from .air import Frame, superpose
from .crc import append_crc, check_crc, crc_a_update
from .field import RfidField

__all__ = ["Mfrc522Chip", "EmulatedSpi", "RfidField", "plugged"]

DEFAULT_SPEED_HZ = 500_000

RESET_VALUES = {
    r.COMMAND: 0x20, r.COM_IEN: 0x80, r.COM_IRQ: 0x14, r.STATUS1: 0x21, r.WATER_LEVEL: 0x08,
    r.CONTROL: 0x10, r.COLL: 0xA0, r.MODE: 0x3F, r.TX_CONTROL: 0x80, r.TX_SEL: 0x10,
    r.RX_SEL: 0x84, r.RX_THRESHOLD: 0x84, r.DEMOD: 0x4D, r.MF_TX: 0x62, r.SERIAL_SPEED: 0xEB,
    r.CRC_RESULT_H: 0xFF, r.CRC_RESULT_L: 0xFF, r.MOD_WIDTH: 0x26, r.RF_CFG: 0x48, r.GS_N: 0x88,
    r.CW_GS_P: 0x20, r.MOD_GS_P: 0x20, r.TEST_PIN_EN: 0x80, r.AUTO_TEST: 0x40,
}
READ_ONLY = {0x00, r.ERROR, r.STATUS1, r.CRC_RESULT_H, r.CRC_RESULT_L, r.T_COUNTER_H,
             r.T_COUNTER_L, r.VERSION, r.TEST_BUS, r.TEST_ADC}
CRC_PRESETS = (0x0000, 0x6363, 0xA671, 0xFFFF)  # ModeReg CRCPreset[1:0]
RECEIVER_ERRORS = r.ERR_COLL | r.ERR_CRC | r.ERR_PARITY | r.ERR_PROTOCOL


class Mfrc522Chip:
    """An emulated MFRC522 reader IC with an RF field of emulated cards.

    Use it through `EmulatedSpi` (or `plugged()` + the spidev stand-in). `transfer()` raises
    OSError only when a fault was injected with `fail_transfers()`.
    """

    def __init__(self, field: RfidField | None = None, *, version: int = 0x92,
                 clock: Callable[[], float] = time.monotonic):
        self.field = field if field is not None else RfidField()
        self.version = version
        self.transfers = 0
        self._clock = clock
        self._bus_time = 0.0
        self._lock = threading.RLock()
        self._dead: int | None = None
        self._failures = 0
        self._hooks: list[tuple[int, Callable[[], object]]] = []
        self.reset()

    def __repr__(self) -> str:
        state = "answering" if self._dead is None else f"dead (reads {self._dead:#04x})"
        return f"<Mfrc522Chip v{self.version:#04x} {state} transfers={self.transfers} {self.field!r}>"

    # --- power and faults -----------------------------------------------------------------
    def reset(self) -> None:
        """Power-on / SoftReset: every register to its reset value, FIFO empty, antenna off."""
        with self._lock:
            self._regs = bytearray(64)
            for address, value in RESET_VALUES.items():
                self._regs[address] = value
            self._regs[r.VERSION] = self.version
            self._fifo = bytearray()
            self._command = r.CMD_IDLE
            self._rx_last_bits = 0
            self._timer_running = False
            self._timer_start = 0.0
            self._timer_value = 0
            self._crc = 0
            self._crc_ready = False
            self._buffer = bytes(25)
            self.field.power(False)

    @property
    def answering(self) -> bool:
        return self._dead is None

    def stop_answering(self, reads_as: int = 0x00) -> None:
        """Make the chip go silent, as with a loose wire or a brown-out: reads return `reads_as`."""
        self._dead = reads_as & 0xFF

    def resume(self, *, power_cycled: bool = True) -> None:
        """Make the chip answer again; after a power cycle it has its reset values (antenna off)."""
        with self._lock:
            self._dead = None
            if power_cycled:
                self.reset()

    def fail_transfers(self, count: int | None = 1) -> None:
        """Make the next `count` transfers (None: all, until `stop_failing`) raise OSError(EIO)."""
        self._failures = -1 if count is None else count

    def stop_failing(self) -> None:
        self._failures = 0

    def after_transfers(self, count: int, action: Callable[[], object]) -> None:
        """Run `action` once `count` more transfers have completed (e.g. pull a card mid-read)."""
        with self._lock:
            self._hooks.append((self.transfers + count, action))

    def now(self) -> float:
        """The chip's time: the clock plus what the SPI frames took on the bus."""
        return self._clock() + self._bus_time

    # --- SPI ------------------------------------------------------------------------------
    def transfer(self, data: Sequence[int], speed_hz: int = DEFAULT_SPEED_HZ) -> list[int]:
        """One SPI frame with chip select held low; returns what the chip shifts out.

        Bit 7 of the first byte set: a read, every byte but the last is an address and
        the answer follows one byte later. Clear: every further byte is written to the
        addressed register (how the FIFO takes bursts). Raises OSError when injected.
        """
        with self._lock:
            due = [hook for hook in self._hooks if hook[0] <= self.transfers]
            if due:
                self._hooks = [hook for hook in self._hooks if hook[0] > self.transfers]
                for _, action in due:
                    action()
            self.transfers += 1
            self._bus_time += len(data) * 8 / (speed_hz or DEFAULT_SPEED_HZ)
            if self._failures:
                if self._failures > 0:
                    self._failures -= 1
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            out = [0] * len(data)
            if not data:
                return out
            if self._dead is not None:
                return [self._dead] * len(data)
            if data[0] & 0x80:
                for i in range(len(data) - 1):
                    out[i + 1] = self._read((data[i] >> 1) & 0x3F)
            else:
                address = (data[0] >> 1) & 0x3F
                for value in data[1:]:
                    self._write(address, value & 0xFF)
            return out

    # --- registers ------------------------------------------------------------------------
    def _read(self, address: int) -> int:
        regs = self._regs
        if address == r.FIFO_DATA:
            return self._fifo.pop(0) if self._fifo else 0
        if address == r.FIFO_LEVEL:
            return len(self._fifo)
        if address == r.COM_IRQ:
            self._run_timer()
            return regs[r.COM_IRQ] & 0x7F
        if address == r.DIV_IRQ:
            return regs[r.DIV_IRQ] & 0x7F
        if address == r.COMMAND:
            return (regs[r.COMMAND] & 0x30) | self._command
        if address == r.CONTROL:
            return (regs[r.CONTROL] & 0x38) | self._rx_last_bits
        if address == r.STATUS1:
            return self._status1()
        if address in (r.T_COUNTER_H, r.T_COUNTER_L):
            value = self._timer_counter()
            return value >> 8 if address == r.T_COUNTER_H else value & 0xFF
        return regs[address]

    def _write(self, address: int, value: int) -> None:
        regs = self._regs
        if address == r.COMMAND:
            self._start_command(value)
        elif address == r.COM_IRQ:
            self._set_or_clear(r.COM_IRQ, value, 0x7F)
        elif address == r.DIV_IRQ:
            self._set_or_clear(r.DIV_IRQ, value, r.DIV_MFIN_ACT | r.DIV_CRC)
        elif address == r.FIFO_DATA:
            self._push_fifo(value)
        elif address == r.FIFO_LEVEL:
            if value & r.FIFO_FLUSH:
                self._fifo.clear()
                regs[r.ERROR] &= ~r.ERR_BUFFER_OVFL & 0xFF
        elif address == r.CONTROL:
            if value & r.CONTROL_T_STOP_NOW:
                self._stop_timer()
            if value & r.CONTROL_T_START_NOW:
                self._start_timer()
        elif address == r.BIT_FRAMING:
            regs[address] = value
            if value & r.BIT_FRAMING_START_SEND and self._command == r.CMD_TRANSCEIVE:
                self._transceive()
        elif address == r.STATUS2:
            # MFCrypto1On can only be cleared by software; the chip sets it after MFAuthent.
            crypto = regs[address] & r.STATUS2_CRYPTO1_ON & value
            regs[address] = (value & 0xC0) | crypto | (regs[address] & 0x07)
        elif address == r.TX_CONTROL:
            regs[address] = value
            self.field.power(bool(value & r.TX_CONTROL_ANTENNA))
        elif address == r.COLL:
            regs[address] = (regs[address] & 0x7F) | (value & r.COLL_VALUES_AFTER_COLL)
        elif address not in READ_ONLY:
            regs[address] = value

    def _set_or_clear(self, address: int, value: int, mask: int) -> None:
        # Bit 7 (Set1/Set2) says whether the marked bits are set or cleared.
        if value & 0x80:
            self._regs[address] |= value & mask
        else:
            self._regs[address] &= ~(value & mask) & 0xFF

    def _irq(self, bits: int) -> None:
        self._regs[r.COM_IRQ] |= bits

    def _status1(self) -> int:
        self._run_timer()
        level = len(self._fifo)
        water = self._regs[r.WATER_LEVEL] & 0x3F
        value = 0
        if level <= water:
            value |= r.STATUS1_LO_ALERT
        if r.FIFO_SIZE - level <= water:
            value |= r.STATUS1_HI_ALERT
        if self._timer_running:
            value |= r.STATUS1_T_RUNNING
        if (self._regs[r.COM_IRQ] & self._regs[r.COM_IEN] & 0x7F) or (
                self._regs[r.DIV_IRQ] & self._regs[r.DIV_IEN] & 0x14):
            value |= r.STATUS1_IRQ
        if self._crc_ready:
            value |= r.STATUS1_CRC_READY
            if self._crc == 0:
                value |= r.STATUS1_CRC_OK
        return value

    def _push_fifo(self, value: int) -> None:
        if self._command == r.CMD_CALC_CRC:
            self._feed_crc(bytes([value]))  # the coprocessor takes bytes out as they arrive
        elif len(self._fifo) >= r.FIFO_SIZE:
            self._regs[r.ERROR] |= r.ERR_BUFFER_OVFL
        else:
            self._fifo.append(value)

    # --- timer ----------------------------------------------------------------------------
    def _tick_s(self) -> float:
        prescaler = ((self._regs[r.T_MODE] & 0x0F) << 8) | self._regs[r.T_PRESCALER]
        extra = 2 if self._regs[r.DEMOD] & r.DEMOD_T_PRESCAL_EVEN else 1
        return (2 * prescaler + extra) / r.CLOCK_HZ

    def _reload(self) -> int:
        return (self._regs[r.T_RELOAD_H] << 8) | self._regs[r.T_RELOAD_L]

    def _start_timer(self) -> None:
        self._timer_running = True
        self._timer_start = self.now()

    def _stop_timer(self) -> None:
        if self._timer_running:
            self._timer_value = self._timer_counter()
            self._timer_running = False

    def _elapsed_ticks(self) -> int:
        return int((self.now() - self._timer_start) / self._tick_s())

    def _run_timer(self) -> None:
        if not self._timer_running:
            return
        period = self._reload() + 1
        ticks = self._elapsed_ticks()
        if ticks < period:
            return
        self._irq(r.IRQ_TIMER)
        if self._regs[r.T_MODE] & r.T_MODE_T_AUTO_RESTART:
            self._timer_start += (ticks // period) * period * self._tick_s()
        else:
            self._timer_running = False
            self._timer_value = 0

    def _timer_counter(self) -> int:
        self._run_timer()
        if not self._timer_running:
            return self._timer_value
        return max(0, self._reload() - self._elapsed_ticks())

    def _start_timer_if_auto(self) -> None:
        if self._regs[r.T_MODE] & r.T_MODE_T_AUTO:
            self._start_timer()

    # --- commands -------------------------------------------------------------------------
    def _start_command(self, value: int) -> None:
        command = value & 0x0F
        if command == r.CMD_NO_CMD_CHANGE:
            self._regs[r.COMMAND] = value & 0x30
            return
        if command == r.CMD_SOFT_RESET:
            self.reset()
            return
        self._regs[r.COMMAND] = value & 0x30
        self._command = command
        if command == r.CMD_IDLE:
            return  # software stopping a command does not raise IdleIRq
        self._regs[r.ERROR] &= ~RECEIVER_ERRORS & 0xFF
        if command == r.CMD_CALC_CRC:
            self._crc = CRC_PRESETS[self._regs[r.MODE] & 0x03]
            self._crc_ready = False
            data, self._fifo = bytes(self._fifo), bytearray()
            self._feed_crc(data)
        elif command == r.CMD_TRANSCEIVE or command == r.CMD_RECEIVE:
            pass  # Transceive waits for StartSend; Receive for a card that will not speak first
        elif command == r.CMD_TRANSMIT:
            self._send()
            self._finish()
        elif command == r.CMD_MF_AUTHENT:
            self._authenticate()
        elif command == r.CMD_MEM:
            if len(self._fifo) >= 25:
                self._buffer, self._fifo = bytes(self._fifo[:25]), self._fifo[25:]
            else:
                self._fifo.extend(self._buffer[: r.FIFO_SIZE - len(self._fifo)])
            self._finish()
        elif command == r.CMD_GENERATE_RANDOM_ID:
            self._buffer = os.urandom(10) + self._buffer[10:]
            self._finish()
        else:
            self._finish()  # an unknown command ends at once

    def _finish(self) -> None:
        self._command = r.CMD_IDLE
        self._irq(r.IRQ_IDLE)

    def _feed_crc(self, data: bytes) -> None:
        for byte in data:
            self._crc = crc_a_update(self._crc, byte)
        self._regs[r.CRC_RESULT_H] = self._crc >> 8
        self._regs[r.CRC_RESULT_L] = self._crc & 0xFF
        self._crc_ready = True
        self._regs[r.DIV_IRQ] |= r.DIV_CRC

    def _crypto_on(self) -> bool:
        return bool(self._regs[r.STATUS2] & r.STATUS2_CRYPTO1_ON)

    def _send(self) -> list[Frame]:
        data, self._fifo = bytes(self._fifo), bytearray()
        last_bits = self._regs[r.BIT_FRAMING] & 0x07
        if self._regs[r.TX_MODE] & r.CRC_EN and data:
            data, last_bits = append_crc(data), 0
        self._irq(r.IRQ_TX)
        if not data:
            return []
        return self.field.transmit(Frame(data, last_bits), self._crypto_on())

    def _transceive(self) -> None:
        self._regs[r.ERROR] &= ~RECEIVER_ERRORS & 0xFF
        self._regs[r.COLL] = (self._regs[r.COLL] & r.COLL_VALUES_AFTER_COLL) | r.COLL_POS_NOT_VALID
        self._rx_last_bits = 0
        answers = self._send()
        if not answers or self._regs[r.COMMAND] & r.COMMAND_RCV_OFF:
            self._start_timer_if_auto()  # nobody answers: only the timer will tell
            return
        self._stop_timer()  # the timer stops once the receiver hears a frame
        heard, collision = superpose(answers)
        self._receive(heard, collision)

    def _receive(self, frame: Frame, collision: int | None) -> None:
        bits = frame.bits()
        if collision is not None:
            self._regs[r.ERROR] |= r.ERR_COLL
            if not self._regs[r.COLL] & r.COLL_VALUES_AFTER_COLL:
                bits = bits[:collision] + [0] * (len(bits) - collision)
            if collision <= 32:
                self._regs[r.COLL] = (self._regs[r.COLL] & r.COLL_VALUES_AFTER_COLL) | (collision % 32)
            frame = Frame.from_bits(bits)
        data = frame.data
        if self._regs[r.RX_MODE] & r.CRC_EN and collision is None and frame.last_bits == 0 and len(data) >= 3:
            if check_crc(data):
                data = data[:-2]
            else:
                self._regs[r.ERROR] |= r.ERR_CRC
        room = r.FIFO_SIZE - len(self._fifo)
        if len(data) > room:
            self._regs[r.ERROR] |= r.ERR_BUFFER_OVFL
        self._fifo.extend(data[:room])
        self._rx_last_bits = frame.last_bits
        self._irq(r.IRQ_RX)
        if self._regs[r.ERROR] & (RECEIVER_ERRORS | r.ERR_BUFFER_OVFL):
            self._irq(r.IRQ_ERR)

    def _authenticate(self) -> None:
        data, self._fifo = bytes(self._fifo), bytearray()
        if len(data) != 12:
            self._regs[r.ERROR] |= r.ERR_PROTOCOL
            self._irq(r.IRQ_ERR)
            self._finish()
            return
        if self.field.authenticate(data[0], data[1], data[2:8], data[8:12]):
            self._regs[r.STATUS2] |= r.STATUS2_CRYPTO1_ON
            self._finish()
        else:
            # The card stays silent; MFAuthent does not end by itself, only the timer tells.
            self._start_timer_if_auto()


_plugged: dict[tuple[int, int], Mfrc522Chip] = {}
_plugged_lock = threading.Lock()


@contextlib.contextmanager
def plugged(chip: Mfrc522Chip, bus: int = 0, device: int = 0) -> Iterator[Mfrc522Chip]:
    """Wire `chip` to SPI bus/device so `EmulatedSpi().open(bus, device)` (what the spidev
    stand-in's `SpiDev` is) reaches it, for as long as the block runs."""
    key = (bus, device)
    with _plugged_lock:
        previous = _plugged.get(key)
        _plugged[key] = chip
    try:
        yield chip
    finally:
        with _plugged_lock:
            if previous is None:
                _plugged.pop(key, None)
            else:
                _plugged[key] = previous


class EmulatedSpi:
    """Stands in for `spidev.SpiDev`, with an emulated MFRC522 as the device.

    Built with a chip, or without one and then `open(bus, device)` finds the chip
    `plugged()` there (FileNotFoundError otherwise, like a missing /dev/spidevB.D).
    `transfers` counts frames sent through this handle. `xfer2` raises OSError when the
    handle is closed or a fault is injected into the chip.
    """

    def __init__(self, chip: Mfrc522Chip | None = None):
        self.chip = chip
        self.transfers = 0
        self.bus: int | None = None
        self.device: int | None = None
        self.max_speed_hz = DEFAULT_SPEED_HZ
        self.mode = 0
        self.bits_per_word = 8
        self.lsbfirst = False
        self.cshigh = False
        self.threewire = False
        self.loop = False
        self.no_cs = False
        self._open = chip is not None

    def __repr__(self) -> str:
        where = f"{self.bus}.{self.device}" if self.bus is not None else "unwired"
        return f"<EmulatedSpi {where} {'open' if self._open else 'closed'} transfers={self.transfers}>"

    def __enter__(self) -> "EmulatedSpi":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self, bus: int, device: int) -> None:
        if self.chip is None:
            with _plugged_lock:
                self.chip = _plugged.get((bus, device))
        if self.chip is None:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), f"/dev/spidev{bus}.{device}")
        self.bus, self.device = bus, device
        self._open = True

    def close(self) -> None:
        self._open = False

    def xfer2(self, values: Sequence[int], speed_hz: int = 0, delay_usecs: int = 0,
              bits_per_word: int = 0) -> list[int]:
        if not self._open or self.chip is None:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        self.transfers += 1
        return self.chip.transfer(list(values), speed_hz or self.max_speed_hz)

    # The MFRC522 needs chip select held across address and data; every caller of this
    # class sends one register access per call, so plain xfer behaves the same here.
    xfer = xfer2
    xfer3 = xfer2

    def writebytes(self, values: Sequence[int]) -> None:
        self.xfer2(values)

    def readbytes(self, count: int) -> list[int]:
        return self.xfer2([0] * count)
