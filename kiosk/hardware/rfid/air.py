"""Frames on the 13.56 MHz air interface between reader chip and cards (ISO/IEC 14443-3 type A, 106 kbit/s)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """A frame on air: whole bytes, the last of which holds `last_bits` valid bits (0 = all 8)."""

    data: bytes
    last_bits: int = 0

    @property
    def bit_count(self) -> int:
        if not self.data:
            return 0
        return (len(self.data) - 1) * 8 + (self.last_bits or 8)

    @property
    def is_short(self) -> bool:
        """A 7-bit short frame: REQA or WUPA."""
        return self.bit_count == 7

    def bits(self) -> list[int]:
        """The bits in the order they go on air: each byte LSB first."""
        out = [(byte >> i) & 1 for byte in self.data for i in range(8)]
        return out[: self.bit_count]

    @classmethod
    def from_bits(cls, bits: list[int]) -> "Frame":
        data = bytearray((len(bits) + 7) // 8)
        for i, bit in enumerate(bits):
            data[i // 8] |= bit << (i % 8)
        return cls(bytes(data), len(bits) % 8)


def superpose(frames: list[Frame]) -> tuple[Frame, int | None]:
    """What the receiver hears when several cards answer at once, and the 1-based bit
    position of the first collision (None when all answers agree bit for bit).

    Manchester coding lets the receiver see a collision wherever the cards send different
    bits (or one keeps sending when another stopped); collided bits read as 1.
    """
    streams = [frame.bits() for frame in frames]
    length = max(len(stream) for stream in streams)
    heard: list[int] = []
    first = None
    for i in range(length):
        values = {stream[i] if i < len(stream) else None for stream in streams}
        if len(values) > 1 and first is None:
            first = i + 1
        heard.append(1 if 1 in values else 0)
    return Frame.from_bits(heard), first
