"""The sensor node's serial line protocol: `JSON*CRC\\n` (see DESIGN.md).

`parse_line` is the gate every byte from the USB cable passes: it returns a
`Reading` or a `NodeEvent`, or raises ProtocolError saying why the line was
refused. It never raises anything else, whatever the input (a test feeds it
100,000 random and mutated lines). What JSON counts as JSON is the bus's rule
(kiosk/bus/payloads.py), the same for a line and for an MQTT payload.
"""

from __future__ import annotations

import binascii
import json
import math
import re
from dataclasses import dataclass

from kiosk.bus.payloads import decode_json_object
from kiosk.errors import ProtocolError

MAX_LINE_BYTES = 512
PROTOCOL_VERSION = 1
NODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
TEXT_PATTERN = re.compile(r"^[\x20-\x7e]{0,64}$")


@dataclass(frozen=True)
class Reading:
    """One soil-moisture reading as the node sent it."""

    node: str
    seq: int
    raw: int
    t: float | None = None

    def payload(self, ts: str) -> dict:
        """The `garden/{node}/reading` payload (DESIGN.md)."""
        out = {"ts": ts, "node": self.node, "seq": self.seq, "raw": self.raw}
        if self.t is not None:
            out["t"] = self.t
        return out


@dataclass(frozen=True)
class NodeEvent:
    """Something the node reports about itself: `boot` (with firmware version) or `fault`."""

    node: str
    event: str
    fw: str | None = None
    reason: str | None = None

    def payload(self, ts: str) -> dict:
        out = {"ts": ts, "node": self.node, "event": self.event}
        if self.fw is not None:
            out["fw"] = self.fw
        if self.reason is not None:
            out["reason"] = self.reason
        return out


def crc_of(data: bytes) -> str:
    return "%08x" % (binascii.crc32(data) & 0xFFFFFFFF)


def encode_line(message: dict) -> bytes:
    """A protocol line for `message` (used by tests and the simulated node)."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return body + b"*" + crc_of(body).encode() + b"\n"


def parse_line(line: bytes) -> Reading | NodeEvent:
    """Check one line (with or without its newline); raises ProtocolError."""
    line = line.rstrip(b"\r\n")
    if not line:
        raise ProtocolError("empty line")
    if len(line) > MAX_LINE_BYTES:
        raise ProtocolError(f"line of {len(line)} bytes is longer than {MAX_LINE_BYTES}")
    body, star, crc = line.rpartition(b"*")
    if not star:
        raise ProtocolError("no '*CRC' at the end")
    if len(crc) != 8 or crc.strip(b"0123456789abcdef"):
        raise ProtocolError("CRC is not 8 lowercase hex digits")
    if crc_of(body).encode() != crc:
        raise ProtocolError("CRC does not match")
    return _interpret(decode_json_object(body, "line"))


def parse_payload(message: dict, *, require_ts: bool = False) -> tuple[Reading, str | None]:
    """Check a `garden/{node}/reading` payload from the bus; returns the reading and its ts."""
    if not isinstance(message, dict):
        raise ProtocolError("reading is not a JSON object")
    ts = message.get("ts")
    if ts is not None:
        _check_ts(ts)
    if require_ts and ts is None:
        raise ProtocolError("ts is missing")
    fields = {k: v for k, v in message.items() if k != "ts"}
    fields.setdefault("v", PROTOCOL_VERSION)
    result = _interpret(fields)
    if not isinstance(result, Reading):
        raise ProtocolError("an event is not a reading")
    return result, ts


def _check_ts(ts: object) -> None:
    # Only the shape: whether the time can be read, and whether the node's clock is right,
    # is the garden's judgement (believable_time) — a reading with a wrong clock still counts.
    if not isinstance(ts, str) or len(ts) > 40:
        raise ProtocolError("ts must be an ISO 8601 text")


def _interpret(message: dict) -> Reading | NodeEvent:
    if message.get("v") != PROTOCOL_VERSION:
        raise ProtocolError(f"protocol version must be {PROTOCOL_VERSION}")
    node = message.get("node")
    if not isinstance(node, str) or not NODE_PATTERN.match(node):
        raise ProtocolError("node missing or not a valid id")
    if "event" in message:
        event = _text(message, "event", required=True)
        return NodeEvent(node=node, event=event, fw=_text(message, "fw"), reason=_text(message, "reason"))
    seq = _whole(message, "seq", 0, 2**31 - 1)
    raw = _whole(message, "raw", 0, 65535)
    t = message.get("t")
    if t is not None:
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or not -60 <= t <= 125:
            raise ProtocolError("t must be a temperature in °C")
        t = float(t)
    return Reading(node=node, seq=seq, raw=raw, t=t)


def _whole(message: dict, key: str, low: int, high: int) -> int:
    value = message.get(key)
    if value is None:
        raise ProtocolError(f"{key} is missing")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProtocolError(f"{key} must be a whole number from {low} to {high}")
    return value


def _text(message: dict, key: str, required: bool = False) -> str | None:
    value = message.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not TEXT_PATTERN.match(value) or (required and not value):
        raise ProtocolError(f"{key} must be short printable text")
    return value
