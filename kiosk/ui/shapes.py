"""The shape of every bus payload the kiosk shows, checked once where a message comes in.

DESIGN.md's MQTT table says what garden and booth publish. `Live.apply` checks each payload here
and drops one of another shape (logged), so the screens may trust the type of every field they
read: one wrong type in a retained message — which ui.sqlite also keeps for after a restart — must
not break a screen at each rebuild. Fields the kiosk does not read are not checked; extra ones pass.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from kiosk.errors import ProtocolError

Test = Callable[[Any], bool]


def text(value: Any) -> bool:
    return isinstance(value, str)


def number(value: Any) -> bool:
    """A finite number (JSON also brings NaN and Infinity, which no screen can show)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def flag(value: Any) -> bool:
    return isinstance(value, bool)


def maybe(test: Test) -> Test:
    """`test`, or null."""
    return lambda value: value is None or test(value)


def obj(fields: dict[str, Test], required: tuple[str, ...] = ()) -> Test:
    """A JSON object whose `required` fields are there and whose listed fields, where present, pass their test."""
    def test(value: Any) -> bool:
        return (isinstance(value, dict) and all(name in value for name in required)
                and all(check(value[name]) for name, check in fields.items() if name in value))
    return test


def items(test: Test) -> Test:
    """A JSON array whose every item passes `test`."""
    return lambda value: isinstance(value, list) and all(test(item) for item in value)


BOOK = obj({"title": maybe(text)})

# {p}/{s}/garden/{node}/state
STATE = obj({"moisture": maybe(number), "status": text, "ts": text}, required=("moisture", "status"))
# {p}/{s}/garden/{node}/alert
ALERT = obj({"active": flag, "kind": text, "since": maybe(text), "moisture": maybe(number), "acknowledged": flag},
            required=("active",))
# {p}/{s}/garden/{node}/history/{span}
HISTORY = obj({"points": items(obj({"ts": text, "min": number, "avg": number, "max": number, "n": count},
                                   required=("ts", "min", "avg", "max")))}, required=("points",))
# {p}/{s}/booth/summary
SUMMARY = obj({"active_loans": count,
               "overdue": items(obj({"book": maybe(BOOK), "card": text, "due": maybe(text)})),
               "month": obj({"loans": count, "returns": count, "readers": count, "new_books": count})})
# {p}/{s}/booth/events
BOOTH_EVENT = obj({"type": text, "ts": text, "card": maybe(text), "book": maybe(BOOK), "reason": maybe(text),
                   "loans": maybe(count), "due": maybe(text)}, required=("type",))


def check(shape: Test, payload: Any, what: str) -> dict:
    """`payload` when it has `shape`; raises ProtocolError naming `what` otherwise."""
    if not shape(payload):
        raise ProtocolError(f"{what} does not have the agreed shape")
    return payload
