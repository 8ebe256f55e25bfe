"""Reading the fields of a decoded payload against its contract, for the typed messages.

Each service's messages (kiosk/garden/messages.py, kiosk/booth/messages.py,
kiosk/station/health.py) read a payload that `decode_json` already let in through
`Fields`: every field is checked for presence, type and range where it is read,
and any problem is one `BadMessage` naming the message and the field. Fields a
message does not read are ignored, so a newer producer may add some.
"""

from __future__ import annotations

import math
from typing import Any, Collection

from kiosk.clock import parse_iso
from kiosk.errors import BadMessage

MISSING = object()


class Fields:
    """The fields of one JSON object; every getter raises BadMessage when its field is not as asked.

    `optional=True`: the key may be absent (None then). `null=True`: its value may be null.
    """

    def __init__(self, payload: Any, what: str):
        if not isinstance(payload, dict):
            raise BadMessage(f"{what} is not a JSON object")
        self.payload = payload
        self.what = what

    def problem(self, key: str, wanted: str) -> BadMessage:
        return BadMessage(f"{self.what}: {key!r} must be {wanted}")

    def _value(self, key: str, optional: bool, null: bool) -> Any:
        value = self.payload.get(key, MISSING)
        if value is MISSING:
            if optional:
                return None
            raise BadMessage(f"{self.what}: {key!r} is missing")
        if value is None and not null:
            raise self.problem(key, "given, not null")
        return value

    def text(self, key: str, *, optional: bool = False, null: bool = False) -> str | None:
        value = self._value(key, optional, null)
        if value is not None and not isinstance(value, str):
            raise self.problem(key, "text")
        return value

    def time(self, key: str, *, optional: bool = False, null: bool = False) -> str | None:
        """An ISO 8601 time, kept as the text that came (so the payload goes on unchanged)."""
        value = self.text(key, optional=optional, null=null)
        if value is not None:
            try:
                parse_iso(value)
            except (ValueError, OverflowError):
                raise self.problem(key, "an ISO 8601 time") from None
        return value

    def choice(self, key: str, options: Collection[str], *, optional: bool = False) -> str | None:
        value = self._value(key, optional, False)
        if value is not None and (not isinstance(value, str) or value not in options):
            raise self.problem(key, "one of " + ", ".join(sorted(options)))
        return value

    def number(self, key: str, *, optional: bool = False, null: bool = False, low: float | None = None) -> float | int | None:
        """A finite number (int or float as it came), at least `low` when given."""
        value = self._value(key, optional, null)
        if value is not None and not (is_number(value) and (low is None or value >= low)):
            raise self.problem(key, "a number" + (f" of at least {low}" if low is not None else ""))
        return value

    def count(self, key: str, *, optional: bool = False, null: bool = False) -> int | None:
        """A whole number of at least 0."""
        value = self._value(key, optional, null)
        if value is not None and not (is_whole(value) and value >= 0):
            raise self.problem(key, "a whole number of at least 0")
        return value

    def flag(self, key: str, *, optional: bool = False) -> bool | None:
        value = self._value(key, optional, False)
        if value is not None and not isinstance(value, bool):
            raise self.problem(key, "true or false")
        return value

    def nested(self, key: str, *, optional: bool = False, null: bool = False) -> "Fields | None":
        value = self._value(key, optional, null)
        return None if value is None else Fields(value, f"{self.what}: {key!r}")

    def items(self, key: str) -> list["Fields"]:
        """A list of JSON objects."""
        value = self._value(key, False, False)
        if not isinstance(value, list):
            raise self.problem(key, "a list")
        return [Fields(item, f"{self.what}: {key!r}[{i}]") for i, item in enumerate(value)]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
