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
MAX_DEPTH = 32                      # arrays and objects inside each other
MIN_INT, MAX_INT = -2**63, 2**63 - 1   # SQLite's INTEGER
_MAX_INT_DIGITS = len(str(MIN_INT))    # a longer number is out of range, without converting it
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
        value = json.loads(data, parse_int=_whole_number, parse_float=_finite_number,
                           parse_constant=_refuse_constant)
    except ProtocolError as exc:
        raise ProtocolError(f"{what}: {exc}") from None
    except RecursionError:
        raise ProtocolError(f"{what} is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        raise ProtocolError(f"{what} is not JSON ({getattr(exc, 'msg', exc)})") from None
    _check_shape(value, what)
    return value


def decode_json_object(data: bytes | str, what: str = "payload") -> dict[str, Any]:
    """Like `decode_json`, and it must be a JSON object."""
    value = decode_json(data, what)
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} is not a JSON object")
    return value


def _whole_number(text: str) -> int:
    if len(text) > _MAX_INT_DIGITS or not MIN_INT <= (number := int(text)) <= MAX_INT:
        raise ProtocolError(f"the number {text[:24]}{'…' if len(text) > 24 else ''} is out of range")
    return number


def _finite_number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ProtocolError(f"the number {text[:24]} is out of range")
    return number


def _refuse_constant(name: str) -> float:
    raise ProtocolError(f"{name} is not a number JSON allows")


def _check_shape(value: Any, what: str) -> None:
    """Depth and text rules, checked without recursion (the depth is what is in question)."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ProtocolError(f"{what} holds text that is not Unicode (a lone surrogate)")
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise ProtocolError(f"{what} is nested more than {MAX_DEPTH} levels deep")
            if isinstance(item, dict):
                pending.extend((key, depth + 1) for key in item)
                pending.extend((child, depth + 1) for child in item.values())
            else:
                pending.extend((child, depth + 1) for child in item)
