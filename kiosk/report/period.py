"""The span a report covers: a month, the quarter or the year around it, in local dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.errors import BadValue

MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")
KINDS = ("month", "quarter", "year")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass(frozen=True)
class Period:
    """first..last (inclusive local dates); `kind` is month, quarter or year."""

    kind: str
    first: date
    last: date

    @property
    def label(self) -> str:
        """The period in plain German words: "November 2026", "4. Quartal 2026", "Jahr 2026"."""
        if self.kind == "month":
            return f"{MONTHS[self.first.month - 1]} {self.first.year}"
        if self.kind == "quarter":
            return (f"{(self.first.month - 1) // 3 + 1}. Quartal {self.first.year} "
                    f"({MONTHS[self.first.month - 1]} – {MONTHS[self.last.month - 1]})")
        return f"Jahr {self.first.year}"

    @property
    def slug(self) -> str:
        """For file names: 2026-11, 2026-Q4, 2026."""
        if self.kind == "month":
            return self.first.strftime("%Y-%m")
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return str(self.first.year)

    @property
    def months(self) -> tuple[str, str]:
        return self.first.strftime("%Y-%m"), self.last.strftime("%Y-%m")

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnight of the first day and of the day after the last."""
        return (datetime.combine(self.first, time(), zone),
                datetime.combine(self.last + timedelta(days=1), time(), zone))


def parse_month(text: object) -> tuple[int, int]:
    """(year, month) from "YYYY-MM"; raises BadValue with the fix for anything else."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise BadValue(f"the month must look like 2026-11 (year-month), not {str(text)[:40]!r}")
    return int(match[1]), int(match[2])


def period_of(month: object, kind: str = "month") -> Period:
    """The month "YYYY-MM", or the quarter or year it lies in; raises BadValue."""
    if kind not in KINDS:
        raise BadValue(f"the period must be one of {', '.join(KINDS)}, not {str(kind)[:20]!r}")
    year, number = parse_month(month)
    if kind == "year":
        return Period(kind, date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        number = (number - 1) // 3 * 3 + 1
        first = date(year, number, 1)
        return Period(kind, first, _last_day(year, number + 2))
    return Period(kind, date(year, number, 1), _last_day(year, number))


def last_month(today: date) -> str:
    """The month before `today`'s, as YYYY-MM: what staff usually want on the first of a month."""
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.strftime("%Y-%m")


def _last_day(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)
