"""What JSON the station accepts from outside, decided in one place.

Every payload that arrives over MQTT (`Message.json`) and every line from a sensor
node's cable (`line_protocol.parse_line`) is read by `decode_json`. Python's json
module on its own accepts more than any part of the station can use, and some of
it takes a service down later, far from where it came in:

- nesting: json recurses once per level, so 5,000 `[` raise RecursionError; no
  message of the station is nested more than a few levels;
- NaN and ±Infinity (json reads them by default, and 1e400 becomes inf): no JSON
  peer sends them, and they poison every comparison and average they reach;
- integers beyond SQLite's 64 bits: storing one raises OverflowError;
- text with a lone surrogate (`"\\ud800"`): it cannot be encoded as UTF-8, so
  SQLite and the bus fail on it;
- bytes that are not UTF-8 (json.loads would guess UTF-16 or UTF-32).

Anything outside the rules raises ProtocolError naming the rule, never another error.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from kiosk.errors import ProtocolError

MAX_PAYLOAD_BYTES = 256 * 1024      # larger payloads are dropped unread
MAX_DEPTH = 32                      # arrays and objects inside each other, the outermost included
MIN_INT, MAX_INT = -2**63, 2**63 - 1   # SQLite's INTEGER
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_json(data: bytes | str, what: str = "payload") -> Any:
    """`data` as JSON within the station's rules; raises ProtocolError saying why not.

    `what` names the data in the message ("payload", "line", a topic).
    """
    if isinstance(data, bytes):
        if len(data) > MAX_PAYLOAD_BYTES:
            raise ProtocolError(f"{what} has {len(data)} bytes, more than {MAX_PAYLOAD_BYTES}")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(f"{what} is not UTF-8 text") from None
    try:
        value = _DECODER.decode(data)
    except ProtocolError as exc:
        raise ProtocolError(f"{what}: {exc}") from None
    except RecursionError:
        raise ProtocolError(f"{what} is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:      # also an integer of more than 4,300 digits (Python's own limit)
        raise ProtocolError(f"{what} is not JSON ({getattr(exc, 'msg', exc)})") from None
    problem = _problem_in(value)
    if problem:
        raise ProtocolError(f"{what}: {problem}")
    return value


def decode_json_object(data: bytes | str, what: str = "payload") -> dict[str, Any]:
    """Like `decode_json`, and it must be a JSON object."""
    value = decode_json(data, what)
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} is not a JSON object")
    return value


def _refuse_constant(name: str) -> float:
    raise ProtocolError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)   # made once: json.loads(**kw) makes one a call


def _problem_in(value: Any) -> str | None:
    """What breaks the rules in a decoded value, or None; without recursion (depth is in question)."""
    level = [value]
    for depth in range(MAX_DEPTH + 1):
        inner: list = []
        for item in level:
            kind = type(item)
            if kind is str:
                if _SURROGATE.search(item):
                    return "text that is not Unicode (a lone surrogate)"
            elif kind is int:
                if not MIN_INT <= item <= MAX_INT:
                    return f"the number {str(item)[:24]}… is out of range"
            elif kind is float:
                if not math.isfinite(item):       # 1e400 reads as inf
                    return "a number is out of range"
            elif kind is dict or kind is list:
                if depth == MAX_DEPTH:
                    return f"nested more than {MAX_DEPTH} levels deep"
                inner.extend(item)
                if kind is dict:
                    inner.extend(item.values())
        if not inner:
            return None
        level = inner
    return None
