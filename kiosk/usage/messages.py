"""`{p}/{s}/ui/usage` (retained): this month's kiosk counters, for faces on other machines.

Counts per key for the month so far and on how many days the kiosk was used; like the booth's
summary it holds the current month only, and like the counters nothing finer than a month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.bus.fields import Fields, is_whole
from kiosk.errors import BadMessage

MAX_KEYS = 5000        # a month of a busy kiosk has a few hundred; more is not a summary


@dataclass(frozen=True)
class UsageSummary:
    """This month's counters (see module doc)."""

    ts: str
    month: str
    days_in_use: int
    counts: dict[str, int] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return {"ts": self.ts, "month": self.month, "days_in_use": self.days_in_use, "counts": dict(self.counts)}

    @classmethod
    def from_payload(cls, payload: Any) -> "UsageSummary":
        f = Fields(payload, "kiosk usage summary")
        counts = f.payload.get("counts")
        if not isinstance(counts, dict) or len(counts) > MAX_KEYS or not all(
                isinstance(k, str) and is_whole(v) and v >= 0 for k, v in counts.items()):
            raise BadMessage(f"kiosk usage summary: 'counts' must be an object of at most {MAX_KEYS} "
                             "names with whole numbers ≥ 0")
        return cls(ts=f.time("ts"), month=f.text("month"), days_in_use=f.count("days_in_use"),
                   counts={k: int(v) for k, v in counts.items()})
