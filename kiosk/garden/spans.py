"""The herb bed's history spans: how far back a plot looks and how wide each of its points is.

The one definition for everyone: the garden stores and publishes a series per span
(`{p}/{s}/garden/{node}/history/{span}`), `kiosk admin readings --span` and the staff
screen offer the same names, the screenshots draw the same buckets. Each span comes
to 96–168 points, enough for a plot a finger can read, few enough for one message.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import ProtocolError


@dataclass(frozen=True)
class Span:
    """One plot range: its name in topics and commands, how far back it reaches, its bucket width."""

    name: str
    back_s: int
    bucket_s: int

    @property
    def points(self) -> int:
        return self.back_s // self.bucket_s


HOUR = 3600
# In the order the staff screen offers them.
SPANS: dict[str, Span] = {span.name: span for span in (
    Span("24h", 24 * HOUR, 15 * 60),
    Span("7d", 7 * 24 * HOUR, HOUR),
    Span("30d", 30 * 24 * HOUR, 6 * HOUR),
)}
NAMES = tuple(SPANS)
DEFAULT = "24h"
LONGEST_S = max(span.back_s for span in SPANS.values())


def named(name: object) -> Span:
    """The span called `name`; raises ProtocolError (a ValueError) for anything else."""
    if not isinstance(name, str) or name not in SPANS:
        raise ProtocolError(f"span must be one of {', '.join(NAMES)}")
    return SPANS[name]
