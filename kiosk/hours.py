"""The office's opening hours, like "Mo-Fr 09:00-17:00; Sa 10:00-13:00".

Station data (`ui.opening_hours` in station.toml): read once, with the configuration,
into an `OpeningHours`; whoever needs them asks it whether the office is open.

Days: Mo Tu We Th Fr Sa Su (German Mo Di Mi Do Fr Sa So work too), single days or
ranges, comma-separated; several time ranges per rule with commas; rules with ";".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = {"mo": 0, "tu": 1, "di": 1, "we": 2, "mi": 2, "th": 3, "do": 3, "fr": 4, "sa": 5, "su": 6, "so": 6}
_RULE = re.compile(r"^\s*(?P<days>[A-Za-z ,\-]+?)\s+(?P<times>[\d:, \-]+)\s*$")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class OpeningHours:
    """When the office is open: (weekday, start, end) rules; no rules means always open."""

    text: str
    rules: tuple[tuple[int, time, time], ...]

    @classmethod
    def from_setting(cls, text: str) -> "OpeningHours":
        """Read the station.toml form; raises ValueError saying what is wrong and how to write it."""
        return cls(text, tuple(_parse(text)))

    def is_open(self, local: datetime) -> bool:
        """True inside the opening hours (`local` in the station's time zone)."""
        if not self.rules:
            return True
        now = local.time()
        return any(day == local.weekday() and start <= now < end for day, start, end in self.rules)

    def __str__(self) -> str:
        return self.text


def _parse(text: str) -> list[tuple[int, time, time]]:
    out: list[tuple[int, time, time]] = []
    for rule in text.split(";"):
        if not rule.strip():
            continue
        match = _RULE.match(rule)
        if not match:
            raise ValueError(f"cannot read {rule.strip()!r}; write it like 'Mo-Fr 09:00-17:00; Sa 10:00-13:00'")
        days: list[int] = []
        for part in match["days"].replace(" ", "").split(","):
            first, _, last = part.lower().partition("-")
            if first not in DAYS or (last and last not in DAYS):
                raise ValueError(f"unknown day in {part!r}; use Mo Tu We Th Fr Sa Su")
            a, b = DAYS[first], DAYS[last or first]
            days += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
        for span in match["times"].split(","):
            m = _RANGE.match(span)
            if not m:
                raise ValueError(f"cannot read the time range {span.strip()!r}; write it like 09:00-17:00")
            h1, m1, h2, m2 = map(int, m.groups())
            if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
                raise ValueError(f"impossible time in {span.strip()!r}")
            start = time(min(h1, 23), m1) if h1 < 24 else time(23, 59)
            end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
            out += [(day, start, end) for day in days]
    return out
