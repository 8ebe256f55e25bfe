"""CRC_A and BCC of ISO/IEC 14443-3 type A (Annex B), as the MFRC522 and the cards compute them."""

from __future__ import annotations

CRC_A_PRESET = 0x6363


def crc_a_update(crc: int, byte: int) -> int:
    """Feed one byte into a running CRC_A (reflected CRC-16/CCITT, LSB first)."""
    byte ^= crc & 0xFF
    byte = (byte ^ (byte << 4)) & 0xFF
    return ((crc >> 8) ^ (byte << 8) ^ (byte << 3) ^ (byte >> 4)) & 0xFFFF


def crc_a(data: bytes | bytearray | list[int], preset: int = CRC_A_PRESET) -> int:
    """CRC_A of `data`; on air its low byte goes first."""
    crc = preset
    for byte in data:
        crc = crc_a_update(crc, byte)
    return crc


def append_crc(data: bytes | bytearray | list[int]) -> bytes:
    """`data` followed by its CRC_A, low byte first, as sent on air."""
    crc = crc_a(data)
    return bytes(data) + bytes((crc & 0xFF, crc >> 8))


def check_crc(frame: bytes | bytearray | list[int]) -> bool:
    """True when the last two bytes of `frame` are the CRC_A of the rest."""
    return len(frame) >= 3 and append_crc(frame[:-2]) == bytes(frame)


def bcc(part: bytes | bytearray | list[int]) -> int:
    """Block check character of a UID part: the XOR of its bytes."""
    check = 0
    for byte in part:
        check ^= byte
    return check
