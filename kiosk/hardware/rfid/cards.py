"""Emulated ISO/IEC 14443-3 type A cards (PICCs): MIFARE Classic 1K and NTAG213.

Each card runs the ISO 14443-3 state machine (IDLE, READY, ACTIVE, HALT; a card woken
from HALT by WUPA returns to HALT rather than IDLE when something goes wrong) and the
memory commands of its type. Crypto1 is not modelled: a successful MIFARE authentication
only marks the sector open, and frames travel in clear.
"""

from __future__ import annotations

from .air import Frame
from .crc import append_crc, bcc, check_crc
from .uids import cascade_parts, parse_uid

IDLE, READY, ACTIVE, HALT = "IDLE", "READY", "ACTIVE", "HALT"

REQA = 0x26
WUPA = 0x52
SELECT_CODES = (0x93, 0x95, 0x97)  # SEL of cascade levels 1, 2, 3
NVB_ANTICOLL = 0x20
NVB_SELECT = 0x70
SAK_CASCADE = 0x04  # SAK bit: UID not complete, go on with the next cascade level
HALT_CMD = 0x50
READ = 0x30
WRITE = 0xA0  # MIFARE Classic WRITE / Ultralight COMPATIBILITY_WRITE: two steps
WRITE_PAGE = 0xA2  # NTAG / Ultralight WRITE: one 4-byte page
GET_VERSION = 0x60
AUTH_KEY_A = 0x60
AUTH_KEY_B = 0x61
ACK = 0x0A
NAK_INVALID = 0x00
NAK_NOT_ALLOWED = 0x04


def _ack() -> Frame:
    return Frame(bytes([ACK]), 4)


def _nak(code: int = NAK_INVALID) -> Frame:
    return Frame(bytes([code]), 4)


class Picc:
    """One card in front of the antenna: UID, ISO 14443-3 state and memory.

    `receive()` is the air side (called by the field); the rest is for tests and demos
    that want to look at or prepare a card's memory directly.
    """

    atqa = b"\x04\x00"
    sak = 0x08
    kind = "PICC"

    def __init__(self, uid: bytes | str):
        self.uid = parse_uid(uid)
        self.powered = False
        self.state = IDLE
        self._from_halt = False
        self._level = 0
        self._auth_sector: int | None = None
        self._pending_write: int | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} uid={self.uid.hex()} {self.state if self.powered else 'unpowered'}>"

    # --- air side --------------------------------------------------------------------------
    def power(self, on: bool) -> None:
        """The RF field came up or went away; either way the card starts afresh in IDLE."""
        self.powered = on
        self.state = IDLE
        self._from_halt = False
        self._reset_session()

    def receive(self, frame: Frame, crypto_on: bool = False) -> Frame | None:
        """Handle one frame from the reader; return the answer, or None to stay silent."""
        if not self.powered:
            return None
        if frame.is_short:
            return self._short_frame(frame.data[0] & 0x7F)
        if self.state == READY:
            return self._ready(frame)
        if self.state == ACTIVE:
            if crypto_on != (self._auth_sector is not None):
                self._fall_back()  # ciphered frames to a plain card (or the reverse) are noise
                return None
            return self._active(frame)
        return None

    def authenticate(self, key_type: int, block: int, key: bytes, uid4: bytes) -> bool:
        """MIFARE three-pass authentication; only MIFARE Classic cards know it."""
        if self.state in (READY, ACTIVE):
            self._fall_back()
        return False

    # --- ISO 14443-3 ----------------------------------------------------------------------
    def _short_frame(self, command: int) -> Frame | None:
        if (command == REQA and self.state == IDLE) or (command == WUPA and self.state in (IDLE, HALT)):
            self._from_halt = self.state == HALT
            self.state = READY
            self._level = 0
            self._reset_session()
            return Frame(self.atqa)
        if self.state in (READY, ACTIVE):
            self._fall_back()
        return None

    def _ready(self, frame: Frame) -> Frame | None:
        data = frame.data
        parts = cascade_parts(self.uid)
        part = parts[self._level] + bytes([bcc(parts[self._level])])
        if len(data) >= 2 and data[0] == SELECT_CODES[self._level] and frame.last_bits == 0:
            if data[1] == NVB_ANTICOLL and len(data) == 2:
                return Frame(part)
            if data[1] == NVB_SELECT and len(data) == 9 and check_crc(data):
                if data[2:7] != part:
                    return None  # a SELECT for another card: stay READY and silent
                if self._level + 1 < len(parts):
                    self._level += 1
                    return Frame(append_crc([SAK_CASCADE]))
                self.state = ACTIVE
                return Frame(append_crc([self.sak]))
            if data[0] in SELECT_CODES and NVB_ANTICOLL < data[1] < NVB_SELECT:
                return None  # bit-oriented anticollision is not emulated
        self._fall_back()
        return None

    def _active(self, frame: Frame) -> Frame | None:
        data = frame.data
        if frame.last_bits or not check_crc(data):
            self._fall_back()
            return None
        if data[:2] == bytes([HALT_CMD, 0x00]) and len(data) == 4:
            self.state = HALT
            self._reset_session()
            return None
        return self._command(data[:-2])

    def _command(self, payload: bytes) -> Frame | None:
        self._fall_back()
        return None

    def _fall_back(self) -> None:
        self.state = HALT if self._from_halt else IDLE
        self._level = 0
        self._reset_session()

    def _reset_session(self) -> None:
        self._auth_sector = None
        self._pending_write = None


class MifareClassic1K(Picc):
    """MIFARE Classic 1K: 4-byte UID, ATQA 0x0004, SAK 0x08, 64 blocks of 16 bytes in 16 sectors.

    Blocks need a MIFARE authentication of their sector (transport keys FF..FF); block 0
    (manufacturer block) is read-only; key A reads back as zeros as on the real card.
    """

    atqa = b"\x04\x00"
    sak = 0x08
    kind = "MIFARE Classic 1K"
    BLOCKS = 64
    TRAILER_DEFAULT = bytes([0xFF] * 6 + [0xFF, 0x07, 0x80, 0x69] + [0xFF] * 6)

    def __init__(self, uid: bytes | str):
        super().__init__(uid)
        if len(self.uid) != 4:
            raise ValueError("this MIFARE Classic 1K emulation has a 4-byte UID")
        self.memory = bytearray(16 * self.BLOCKS)
        self.memory[0:16] = self.uid + bytes([bcc(self.uid), self.sak]) + self.atqa + bytes(8)
        for sector in range(16):
            self.write_block(sector * 4 + 3, self.TRAILER_DEFAULT)

    def read_block(self, block: int) -> bytes:
        """Block contents as stored (host side, no authentication)."""
        return bytes(self.memory[block * 16:(block + 1) * 16])

    def write_block(self, block: int, data: bytes) -> None:
        """Store 16 bytes in a block (host side, no authentication)."""
        if len(data) != 16:
            raise ValueError("a MIFARE Classic block holds 16 bytes")
        self.memory[block * 16:(block + 1) * 16] = data

    def authenticate(self, key_type: int, block: int, key: bytes, uid4: bytes) -> bool:
        if self.state != ACTIVE or block >= self.BLOCKS or bytes(uid4) != self.uid[:4]:
            return super().authenticate(key_type, block, key, uid4)
        trailer = self.read_block(block // 4 * 4 + 3)
        expected = trailer[:6] if key_type == AUTH_KEY_A else trailer[10:16]
        if key_type not in (AUTH_KEY_A, AUTH_KEY_B) or bytes(key) != expected:
            self._fall_back()
            return False
        self._auth_sector = block // 4
        return True

    def _command(self, payload: bytes) -> Frame | None:
        if self._pending_write is not None:
            block, self._pending_write = self._pending_write, None
            if len(payload) != 16:
                self._fall_back()
                return _nak()
            self.write_block(block, payload)
            return _ack()
        if len(payload) == 2 and payload[0] in (READ, WRITE):
            block = payload[1]
            if block >= self.BLOCKS or self._auth_sector != block // 4:
                self._fall_back()
                return _nak(NAK_NOT_ALLOWED)
            if payload[0] == READ:
                data = bytearray(self.read_block(block))
                if block % 4 == 3:
                    data[0:6] = bytes(6)
                return Frame(append_crc(data))
            if block == 0:
                self._fall_back()
                return _nak(NAK_NOT_ALLOWED)
            self._pending_write = block
            return _ack()
        self._fall_back()
        return _nak()


class Ntag213(Picc):
    """NTAG213: 7-byte UID, ATQA 0x0044, SAK 0x04 (CL1) then 0x00, 45 pages of 4 bytes, no keys.

    READ returns four pages (rolling over at the end); WRITE (0xA2) and COMPATIBILITY_WRITE
    (0xA0) store one page; the UID pages 0-2 are read-only.
    """

    atqa = b"\x44\x00"
    sak = 0x00
    kind = "NTAG213"
    PAGES = 45
    VERSION = bytes([0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03])

    def __init__(self, uid: bytes | str):
        super().__init__(uid)
        if len(self.uid) != 7:
            raise ValueError("an NTAG213 has a 7-byte UID")
        u = self.uid
        self.memory = bytearray(4 * self.PAGES)
        self.memory[0:12] = bytes([u[0], u[1], u[2], 0x88 ^ u[0] ^ u[1] ^ u[2]]) + u[3:7] + bytes(
            [bcc(u[3:7]), 0x48, 0x00, 0x00])
        self.memory[12:16] = bytes([0xE1, 0x10, 0x12, 0x00])
        self.memory[0x29 * 4:0x2A * 4] = bytes([0x04, 0x00, 0x00, 0xFF])

    def read_page(self, page: int) -> bytes:
        """Page contents as stored (host side)."""
        return bytes(self.memory[page * 4:(page + 1) * 4])

    def write_page(self, page: int, data: bytes) -> None:
        """Store 4 bytes in a page (host side)."""
        if len(data) != 4:
            raise ValueError("an NTAG page holds 4 bytes")
        self.memory[page * 4:(page + 1) * 4] = data

    def _command(self, payload: bytes) -> Frame | None:
        if self._pending_write is not None:
            page, self._pending_write = self._pending_write, None
            if len(payload) != 16:
                self._fall_back()
                return _nak()
            self.write_page(page, payload[:4])
            return _ack()
        command = payload[0] if payload else None
        if command == GET_VERSION and len(payload) == 1:
            return Frame(append_crc(self.VERSION))
        if command == READ and len(payload) == 2 and payload[1] < self.PAGES:
            first = payload[1]
            data = b"".join(self.read_page((first + i) % self.PAGES) for i in range(4))
            return Frame(append_crc(data))
        if command in (WRITE, WRITE_PAGE) and len(payload) >= 2 and 3 <= payload[1] < self.PAGES:
            if command == WRITE and len(payload) == 2:
                self._pending_write = payload[1]
                return _ack()
            if command == WRITE_PAGE and len(payload) == 6:
                self.write_page(payload[1], payload[2:6])
                return _ack()
        self._fall_back()
        return _nak()


def card_for_uid(uid: bytes | str) -> Picc:
    """A card matching the UID's size: 4 bytes -> MIFARE Classic 1K, 7 bytes -> NTAG213. Raises InvalidUid."""
    uid = parse_uid(uid)
    if len(uid) == 4:
        return MifareClassic1K(uid)
    if len(uid) == 7:
        return Ntag213(uid)
    return Picc(uid)
