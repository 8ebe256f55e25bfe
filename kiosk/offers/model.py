"""What an offer is, and when it happens, in the station's local time.

Weekly slots are wall-clock times in the station's time zone (Europe/Berlin):
"Tuesday 09:30" stays 09:30 across a DST change. One-off dates are aware
datetimes. Every question ("next date", "today") is answered in local time,
whatever zone `now` comes in.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

AUDIENCES = ("children", "youth", "families", "single_parents", "everyone")
TOPICS = ("education", "health", "culture", "participation", "everyday")
DEFAULT_TIMEZONE = "Europe/Berlin"
TEXT_FIELDS = ("title", "summary", "cost")


@dataclass(frozen=True)
class Slot:
    """A weekly time slot: weekday 0 = Monday, start and end in local wall-clock time."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Offer:
    """One offer of the district's network: what, by whom, for whom, where and when.

    `title`, `summary` and `cost` map language codes to text; German ("de") is
    always there and is the fallback. `timezone` is the zone the weekly slots
    are meant in; `skip` lists local dates a weekly offer does not take place
    (holidays); `example` marks a placeholder staff should replace.
    """

    id: str
    title: dict[str, str]
    summary: dict[str, str] = field(default_factory=dict)
    provider: str = ""
    place: str = ""
    cost: dict[str, str] = field(default_factory=dict)
    free: bool = False
    audiences: tuple[str, ...] = ("everyone",)
    topics: tuple[str, ...] = ()
    contact: str = ""
    url: str = ""
    weekly: tuple[Slot, ...] = ()
    dates: tuple[tuple[datetime, datetime], ...] = ()
    always_open: bool = False
    icon: str = "calendar"
    # --- additions to the agreed API ---
    timezone: str = DEFAULT_TIMEZONE
    skip: tuple[date, ...] = ()
    example: bool = False
    source: str = ""          # the file or feed the offer came from
    retired: bool = False     # kept in offers.toml for later, not shown

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def text(self, field: str, lang: str) -> str:
        """title, summary or cost in `lang`, falling back to German, then to any text there is."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"text field must be one of {', '.join(TEXT_FIELDS)}, not {field!r}")
        texts: dict[str, str] = getattr(self, field)
        return texts.get(lang) or texts.get("de") or next(iter(texts.values()), "")

    def local(self, now: datetime) -> datetime:
        """`now` in the offer's time zone; a naive `now` counts as local time already."""
        if now.tzinfo is None:
            return now.replace(tzinfo=self.zone)
        return now.astimezone(self.zone)

    def next_date(self, now: datetime) -> tuple[datetime, datetime] | None:
        """The next (start, end) at or after `now`, an ongoing one included.

        Returned in local time. None for always-open offers and when no date is left.
        """
        if self.always_open:
            return None
        now = _utc(self.local(now))
        best: tuple[datetime, datetime] | None = None
        for start, end in self._occurrences_from(now):
            if _utc(end) > now and (best is None or _utc(start) < _utc(best[0])):
                best = (start, end)
        return best

    def is_today(self, now: datetime) -> bool:
        """True when the offer has a slot or date on today's local date, or is always open."""
        if self.always_open:
            return True
        return bool(self.today_times(now))

    def today_times(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """Today's (start, end) pairs in local time, in order (finished ones included)."""
        local = self.local(now)
        day = local.date()
        midnight = datetime.combine(day, time(0), tzinfo=self.zone)
        tomorrow = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        found = []
        if day not in self.skip:
            for slot in self.weekly:
                if slot.weekday == day.weekday():
                    found.append(self._slot_on(day, slot))
        for start, end in self.dates:
            # Overlaps today; a moment (start == end) at midnight belongs to the day it starts.
            if _utc(start) < _utc(tomorrow) and (_utc(end) > _utc(midnight) or _utc(start) >= _utc(midnight)):
                found.append((start.astimezone(self.zone), end.astimezone(self.zone)))
        return sorted(found, key=lambda pair: _utc(pair[0]))

    # --- internals -----------------------------------------------------------------

    def _slot_on(self, day: date, slot: Slot) -> tuple[datetime, datetime]:
        # Wall-clock times in the zone: zoneinfo applies the offset valid on that day.
        start = datetime.combine(day, slot.start, tzinfo=self.zone)
        end = datetime.combine(day, slot.end, tzinfo=self.zone)
        return start, end

    def _occurrences_from(self, now_utc: datetime):
        local_day = now_utc.astimezone(self.zone).date()
        for slot in self.weekly:
            # Skipped dates (holidays) may push the next one further out; a year is plenty.
            for offset in range(0, 372):
                day = local_day + timedelta(days=offset)
                if day.weekday() != slot.weekday or day in self.skip:
                    continue
                start, end = self._slot_on(day, slot)
                if _utc(end) > now_utc:
                    yield start, end
                    break
        for start, end in self.dates:
            yield start.astimezone(self.zone), end.astimezone(self.zone)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def sort_key(offer: Offer, now: datetime):
    """Timed offers by their next start; always-open ones after them; then by German title."""
    upcoming = offer.next_date(now)
    if offer.always_open:
        return (1, 0.0, offer.text("title", "de").casefold())
    if upcoming is None:
        return (2, 0.0, offer.text("title", "de").casefold())
    return (0, upcoming[0].timestamp(), offer.text("title", "de").casefold())


def find(offers, audience: str | None = None, topic: str | None = None,
         now: datetime | None = None) -> list[Offer]:
    """Offers for `audience` and/or about `topic`, soonest first, always-open ones last.

    Offers for "everyone" match every audience; asking for "everyone" gives just
    those open to all. Offers with no date left are left
    out. Raises ValueError for an audience or topic that is not in AUDIENCES/TOPICS.
    """
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    now = now or datetime.now(timezone.utc)
    chosen = []
    for offer in offers:
        if audience is not None and audience not in offer.audiences and "everyone" not in offer.audiences:
            continue
        if topic is not None and topic not in offer.topics:
            continue
        if not offer.always_open and offer.next_date(now) is None:
            continue
        chosen.append(offer)
    return sorted(chosen, key=lambda o: sort_key(o, now))


def today(offers, now: datetime) -> list[Offer]:
    """Offers that happen on today's local date, by today's start time; always-open ones last."""
    def key(offer: Offer):
        times = offer.today_times(now)
        if not times:
            return (1, 0.0, offer.text("title", "de").casefold())
        return (0, times[0][0].timestamp(), offer.text("title", "de").casefold())
    return sorted((o for o in offers if o.is_today(now)), key=key)
