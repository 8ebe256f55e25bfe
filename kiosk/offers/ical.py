"""Offers from the bytes of one iCalendar file, within the feed limits.

Runs inside the feed worker process (kiosk/offers/feed_worker.py), whose main
thread lets `budget()` interrupt the calendar libraries: parsing and rule
expansion are pure Python, and a rule like FREQ=SECONDLY since 2020 would
otherwise run for hours. What does not fit the limits is left out and said in
`CalendarReading.cut`; a file that cannot be read at all raises FeedProblem.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import time as clock
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import icalendar
import recurring_ical_events

from kiosk.offers.budget import Overtime, budget
from kiosk.offers.catalogue import FREE_TEXT
from kiosk.offers.feeds import FeedLimits, FeedProblem
from kiosk.offers.model import Offer

MAX_SUMMARY_CHARS = 300
FIRST_STEPS = (timedelta(days=1), timedelta(weeks=1))    # then up to the horizon
EXAMPLES_IN_A_NOTE = 3

# CATEGORIES words (English or German, any case) that place an event.
AUDIENCE_WORDS = {
    "children": "children", "kinder": "children", "kind": "children",
    "youth": "youth", "jugend": "youth", "jugendliche": "youth",
    "families": "families", "family": "families", "familie": "families", "familien": "families",
    "single_parents": "single_parents", "single parents": "single_parents", "alleinerziehende": "single_parents",
    "everyone": "everyone", "alle": "everyone",
}
TOPIC_WORDS = {
    "education": "education", "bildung": "education",
    "health": "health", "gesundheit": "health",
    "culture": "culture", "kultur": "culture",
    "participation": "participation", "beteiligung": "participation", "teilhabe": "participation",
    "demokratie": "participation",
    "everyday": "everyday", "alltag": "everyday",
}
FREE_WORDS = {"free", "kostenlos", "gratis", "umsonst"}

# A folded line continues after CRLF (or LF) and one space or tab (RFC 5545 3.1).
_FOLD = re.compile(rb"\r?\n[ \t]")
_EVENT_LINE = re.compile(rb"^BEGIN:VEVENT\r?$", re.IGNORECASE | re.MULTILINE)


class _SkipBadEvents(recurring_ical_events.CalendarQuery):
    """Leaves out an event the library cannot read, not the whole calendar.

    `skip_bad_series` alone skips only the library's own error kinds; an event
    without DTSTART raises KeyError (recurring-ical-events 3.8), a broken value
    others. The library offers `suppressed_errors` for this.
    """

    suppressed_errors = [*recurring_ical_events.CalendarQuery.suppressed_errors, Exception]


class Content(NamedTuple):
    """What a passer-by sees of an event besides its dates; occurrences that share it form one offer."""

    title: str
    description: str
    place: str
    url: str
    categories: tuple[str, ...]
    contact: str


@dataclass(frozen=True)
class CalendarReading:
    """The offers read from one calendar file, and why some of it was left out (one sentence each)."""

    offers: tuple[Offer, ...]
    cut: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedCalendar:
    """A calendar file read by icalendar and set up for expansion by recurring_ical_events."""

    source: str
    calendar: Any
    query: Any
    masters: dict[str, Any]         # each event's own entry, by UID


def read_calendar(raw: bytes, source: str, tz: str, now: datetime, limits: FeedLimits) -> CalendarReading:
    """Offers from iCalendar bytes: `parse_calendar`, then `expand_calendar`."""
    return expand_calendar(parse_calendar(raw, source, limits), tz, now, limits)


def parse_calendar(raw: bytes, source: str, limits: FeedLimits) -> ParsedCalendar:
    """Read the bytes of `source`; raises FeedProblem naming it when they are not a usable
    calendar, have more than `limits.max_events` events or take longer than `limits.read_s`."""
    events = len(_EVENT_LINE.findall(_FOLD.sub(b"", raw)))
    if events > limits.max_events:
        raise FeedProblem(f"calendar feed {source} has {events:,} events, more than the {limits.max_events:,} "
                          "the kiosk reads; ask the partner for a feed of coming events only")
    try:
        with budget(limits.read_s):
            calendar = icalendar.Calendar.from_ical(raw)
            if calendar.name != "VCALENDAR":
                raise ValueError(f"it starts with {calendar.name}, not VCALENDAR")
            query = recurring_ical_events.of(calendar, skip_bad_series=True, calendar_query=_SkipBadEvents)
            return ParsedCalendar(source, calendar, query, _masters(calendar))
    except Overtime:
        raise FeedProblem(f"calendar feed {source} could not be read within {limits.read_s:g} s") from None
    except Exception as exc:  # icalendar and dateutil raise many kinds; all mean "broken file"
        if _out_of_memory(exc):
            raise FeedProblem(f"calendar feed {source} needs more than {limits.memory_mb} MB to read") from None
        first_line = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise FeedProblem(f"calendar feed {source} is not a valid iCalendar file ({first_line})") from None


def expand_calendar(parsed: ParsedCalendar, tz: str, now: datetime, limits: FeedLimits) -> CalendarReading:
    """Offers: one per event and what it shows, with its dates from today on.

    Dates run from the start of today (local), so an event that ended this morning
    still counts as today, as a date in offers.toml does, up to `limits.weeks_ahead`;
    at most `limits.dates_per_event` per event and `limits.max_dates` in all, the
    soonest. Cancelled occurrences are no dates. An occurrence edited to show
    something else (its own SUMMARY, place …) becomes an offer of its own. An
    event the libraries cannot read or expand within `limits.event_s`, and what
    is left after `limits.expand_s`, is left out. Never raises for what is in the file.
    """
    source, masters = parsed.source, parsed.masters
    zone = zoneinfo.ZoneInfo(tz)
    deadline = clock.monotonic() + limits.expand_s
    today = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    horizon = today + timedelta(weeks=limits.weeks_ahead)
    soonest = _Soonest(limits.max_dates)
    left_out: dict[str, list[str]] = {}
    unreadable = _skipped_by_library(parsed.calendar, parsed.query, masters)
    if unreadable:
        left_out["unreadable"] = unreadable
    unexpanded = 0
    for series in parsed.query.series:
        remaining = deadline - clock.monotonic()
        if remaining <= 0:
            unexpanded += 1
            continue
        label = _label(masters.get(_str(series.uid)))
        try:
            with budget(min(limits.event_s, remaining)):
                dates, complete = _dates_of(series, today, horizon, zone, limits.dates_per_event)
        except Overtime:
            if deadline - clock.monotonic() <= 0:
                unexpanded += 1
            else:
                left_out.setdefault("slow", []).append(label)
            continue
        except MemoryError:
            left_out.setdefault("memory", []).append(label)
            continue
        except Exception:       # one broken rule leaves out its event, not the whole feed
            left_out.setdefault("unreadable", []).append(label)
            continue
        if not complete:
            left_out.setdefault("many", []).append(label)
        soonest.add(dates)
    cut = _notes(source, left_out, limits, unexpanded)
    if soonest.overflowed:
        cut.append(f"calendar feed {source} has more than {limits.max_dates:,} dates in the next "
                   f"{limits.weeks_ahead} weeks; only those up to {soonest.latest():%Y-%m-%d %H:%M} are shown")
    provider = _str(parsed.calendar.get("X-WR-CALNAME")) or Path(source.rstrip("/")).name
    offers = [_offer(uid, content, pairs, source, provider, tz, masters)
              for (uid, content), pairs in soonest.groups().items()]
    offers.sort(key=lambda o: o.dates[0][0].timestamp())
    return CalendarReading(tuple(offers), tuple(cut))


Dated = tuple[datetime, datetime, str, Content]      # start, end, UID, what it shows


def _dates_of(series, today: datetime, horizon: datetime, zone: zoneinfo.ZoneInfo,
              most: int) -> tuple[list[Dated], bool]:
    """The series' occurrences from today to the horizon that are not cancelled, soonest first,
    at most `most` of them; and whether that is all of them.

    The library lists a rule's dates in a span all at once, so the span is asked
    for in growing steps: a rule that repeats every minute stops costing after a day.
    """
    found: dict[Dated, None] = {}
    bounds = [today, *(min(today + step, horizon) for step in FIRST_STEPS), horizon]
    for step_start, step_end in zip(bounds, bounds[1:]):
        if step_start >= step_end:
            continue
        for occurrence in series.between(step_start, step_end):
            start = _moment(occurrence.start, zone)
            end = max(start, _moment(occurrence.end, zone))
            if end <= today and start < today:
                continue                                   # ended before today
            component = occurrence.as_component(False)
            if _str(component.get("STATUS")).upper() == "CANCELLED":
                continue
            uid = _str(component.get("UID")) or _str(component.get("SUMMARY"))
            dated = (start, end, uid, _content(component))
            if dated in found:
                continue                                   # it overlaps two steps
            if len(found) >= most:
                return sorted(found, key=_when), False
            found[dated] = None
    return sorted(found, key=_when), True


def _when(dated: Dated) -> tuple[float, float]:
    return dated[0].timestamp(), dated[1].timestamp()


class _Soonest:
    """The soonest `most` dates of all series, grouped into offers by event and what they show."""

    def __init__(self, most: int):
        self._most = most
        self._heap: list[tuple[float, int, Dated]] = []      # (-start, n, date): the latest on top
        self._added = 0
        self.overflowed = False

    def add(self, dates: list[Dated]) -> None:
        for dated in dates:                                  # soonest first
            self._added += 1
            entry = (-dated[0].timestamp(), self._added, dated)
            if len(self._heap) < self._most:
                heapq.heappush(self._heap, entry)
                continue
            self.overflowed = True
            if entry[0] <= self._heap[0][0]:
                break                                        # later than all kept: so is the rest
            heapq.heapreplace(self._heap, entry)

    def latest(self) -> datetime:
        return max(dated[0] for _, _, dated in self._heap)

    def groups(self) -> dict[tuple[str, Content], list[tuple[datetime, datetime]]]:
        grouped: dict[tuple[str, Content], set] = {}
        for _, _, (start, end, uid, content) in self._heap:
            grouped.setdefault((uid, content), set()).add((start, end))
        return {key: sorted(pairs, key=lambda p: (p[0].timestamp(), p[1].timestamp()))
                for key, pairs in grouped.items()}


def _notes(source: str, left_out: dict[str, list[str]], limits: FeedLimits, unexpanded: int) -> list[str]:
    why = {
        "unreadable": "cannot be read (no start, or a broken rule)",
        "slow": f"repeat too often to work out within {limits.event_s:g} s",
        "memory": f"repeat too often to work out within {limits.memory_mb} MB",
        "many": f"have more than {limits.dates_per_event:,} dates in {limits.weeks_ahead} weeks, "
                f"only their first {limits.dates_per_event:,} are shown",
    }
    notes = []
    for kind, labels in left_out.items():
        shown = ", ".join(labels[:EXAMPLES_IN_A_NOTE]) + (" …" if len(labels) > EXAMPLES_IN_A_NOTE else "")
        what = "cut short" if kind == "many" else "left out"
        notes.append(f"calendar feed {source}: {len(labels)} event(s) {what}, they {why[kind]}: {shown}")
    if unexpanded:
        notes.append(f"calendar feed {source}: {unexpanded} event(s) left out, "
                     f"the feed took longer than {limits.expand_s:g} s to work out")
    return notes


def _out_of_memory(exc: BaseException | None) -> bool:
    """True when the worker's memory limit was hit, also where a library turned that into its own error."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MemoryError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _masters(calendar) -> dict[str, Any]:
    """Each event's own entry (the one without RECURRENCE-ID), by UID; events without UID by title."""
    masters: dict[str, Any] = {}
    for event in calendar.walk("VEVENT"):
        uid = _str(event.get("UID")) or _str(event.get("SUMMARY"))
        if event.get("RECURRENCE-ID") is None:
            masters[uid] = event
        else:
            masters.setdefault(uid, event)     # only edited occurrences: the first stands in
    return masters


def _skipped_by_library(calendar, query, masters: dict[str, Any]) -> list[str]:
    """Labels of the events `skip_bad_series` dropped: the library makes one series per UID
    and one per event without UID, and leaves out a series it cannot read."""
    uids = {_str(e.get("UID")) for e in calendar.walk("VEVENT") if _str(e.get("UID"))}
    without_uid = sum(1 for e in calendar.walk("VEVENT") if not _str(e.get("UID")))
    found = {_str(series.uid) for series in query.series}
    labels = [_label(masters.get(uid)) for uid in sorted(uids - found)]
    labels += ["(an event without UID)"] * max(0, without_uid - len(found - uids))
    return labels


def _label(event: Any) -> str:
    summary = _str(event.get("SUMMARY")) if event is not None else ""
    return repr(summary[:60]) if summary else "(no title)"


def _content(event: Any) -> Content:
    organizer = event.get("ORGANIZER")
    contact = ""
    if organizer is not None:
        contact = _str(getattr(organizer, "params", {}).get("CN")) or _str(organizer).removeprefix("mailto:")
    return Content(
        title=_str(event.get("SUMMARY")), description=_str(event.get("DESCRIPTION")),
        place=_str(event.get("LOCATION")), url=_str(event.get("URL")),
        categories=tuple(_categories(event)), contact=contact,
    )


def _offer(uid: str, content: Content, pairs, source: str, provider: str, tz: str, masters: dict) -> Offer:
    words = [w.strip().lower() for w in content.categories]
    audiences = tuple(dict.fromkeys(AUDIENCE_WORDS[w] for w in words if w in AUDIENCE_WORDS)) or ("everyone",)
    topics = tuple(dict.fromkeys(TOPIC_WORDS[w] for w in words if w in TOPIC_WORDS))
    free = any(w in FREE_WORDS for w in words)
    summary = content.description
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS - 1].rstrip() + "…"
    # The event's own entry keeps the id it always had (the screen keeps its selection
    # across a reload); an edited occurrence that shows something else gets its own.
    key = f"{source}\0{uid}"
    master = masters.get(uid)
    if master is None or _content(master) != content:
        key += "\0" + repr(tuple(content))
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return Offer(
        id=f"cal-{digest}", title={"de": content.title or provider},
        summary={"de": summary} if summary else {}, provider=provider, place=content.place,
        cost=dict(FREE_TEXT) if free else {}, free=free, audiences=audiences, topics=topics,
        contact=content.contact, url=content.url, dates=tuple(pairs), icon="calendar",
        timezone=tz, source=source,
    )


def _moment(value: date | datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    if not isinstance(value, datetime):                       # all-day: local midnight
        return datetime.combine(value, time(0), tzinfo=zone)
    if value.tzinfo is None:                                  # floating time: local
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _categories(event: Any) -> list[str]:
    value = event.get("CATEGORIES")
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    words = []
    for item in items:
        cats = getattr(item, "cats", None)
        if cats is None:
            cats = str(item).split(",")
        words.extend(str(c) for c in cats)
    return words


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()
