"""Partner events from iCalendar files and feeds, with a copy on disk for offline days.

Each feed (a file path or an http(s)/webcal URL) is read, checked, expanded
(RRULE, EXDATE, moved occurrences — by `recurring_ical_events`) and, when
good, saved to DATA_DIR/calendar-cache/. When the feed is unreachable or
broken the saved copy is used instead and a throttled warning names the feed;
without a copy the feed adds nothing. A feed never raises and never blanks
the screen.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import urllib.error
import urllib.request
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from kiosk import __version__
from kiosk.logs import Throttled
from kiosk.offers.catalogue import FREE_TEXT
from kiosk.offers.model import Offer

log = logging.getLogger(__name__)
warn = Throttled(log, every_s=3600)

CACHE_FOLDER = "calendar-cache"
FETCH_TIMEOUT_S = 10
MAX_FEED_BYTES = 5_000_000
LOOK_BACK = timedelta(days=1)
HORIZON = timedelta(days=180)      # occurrences further out are not expanded
MAX_SUMMARY_CHARS = 300

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


class FeedProblem(Exception):
    """A feed could not be read or is not a usable iCalendar file (internal; never escapes)."""


@dataclass(frozen=True)
class FeedResult:
    """What one feed contributed: its offers, and a problem text when the live feed failed."""

    source: str
    offers: tuple[Offer, ...]
    problem: str = ""
    from_cache: bool = False


def cache_path(cache_dir: Path, source: str) -> Path:
    """Where the last good copy of `source` is kept."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]
    return Path(cache_dir) / f"{digest}.ics"


def load_feed(source: str, cache_dir: Path, base_dir: Path, tz: str, now: datetime) -> FeedResult:
    """The offers of one feed, live if possible, else from its cached copy. Never raises."""
    cached = cache_path(cache_dir, source)
    try:
        raw = fetch(source, base_dir)
        offers = parse_calendar(raw, source, tz, now)
    except FeedProblem as exc:
        problem = str(exc)
    else:
        try:
            _save(cached, raw)
        except OSError as exc:
            warn.warning(f"cache:{source}", "cannot save a copy of calendar feed %s in %s: %s", source, cached, exc)
        return FeedResult(source, tuple(offers))
    # The live feed failed: fall back to the last good copy.
    try:
        offers = parse_calendar(cached.read_bytes(), source, tz, now)
    except FileNotFoundError:
        warn.warning(f"feed:{source}", "%s; no saved copy yet, so it adds no offers", problem)
        return FeedResult(source, (), problem)
    except (OSError, FeedProblem) as exc:
        warn.warning(f"feed:{source}", "%s; its saved copy %s is unusable too (%s)", problem, cached, exc)
        return FeedResult(source, (), problem)
    saved = datetime.fromtimestamp(cached.stat().st_mtime, timezone.utc).astimezone(zoneinfo.ZoneInfo(tz))
    warn.warning(f"feed:{source}", "%s; showing the copy saved %s", problem, saved.strftime("%Y-%m-%d %H:%M"))
    return FeedResult(source, tuple(offers), problem, from_cache=True)


def fetch(source: str, base_dir: Path) -> bytes:
    """The bytes of a feed: an http(s)/webcal URL or a file (relative to base_dir)."""
    if source.startswith("webcal://"):
        source = "https://" + source[len("webcal://"):]
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": f"batenbrock-kiosk/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
                data = response.read(MAX_FEED_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise FeedProblem(f"calendar feed {source} answered HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FeedProblem(f"calendar feed {source} is unreachable ({reason})") from None
    else:
        path = Path(source).expanduser()
        if not path.is_absolute():
            path = base_dir / path
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise FeedProblem(f"calendar file {path} cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FEED_BYTES:
        raise FeedProblem(f"calendar feed {source} is larger than {MAX_FEED_BYTES // 1_000_000} MB")
    return data


def parse_calendar(raw: bytes, source: str, tz: str, now: datetime) -> list[Offer]:
    """Offers from iCalendar bytes: one per event UID, its occurrences from now on as dates.

    Raises FeedProblem naming `source` when the bytes are not a usable calendar.
    """
    zone = zoneinfo.ZoneInfo(tz)
    try:
        calendar = icalendar.Calendar.from_ical(raw)
        if calendar.name != "VCALENDAR":
            raise ValueError(f"it starts with {calendar.name}, not VCALENDAR")
        start = now.astimezone(zone) - LOOK_BACK
        occurrences = recurring_ical_events.of(calendar).between(start, start + LOOK_BACK + HORIZON)
    except Exception as exc:  # icalendar and dateutil raise many kinds; all mean "broken file"
        first_line = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise FeedProblem(f"calendar feed {source} is not a valid iCalendar file ({first_line})") from None
    provider = _str(calendar.get("X-WR-CALNAME")) or Path(source.rstrip("/")).name
    by_uid: dict[str, list[Any]] = {}
    for event in occurrences:
        uid = _str(event.get("UID")) or _str(event.get("SUMMARY"))
        by_uid.setdefault(uid, []).append(event)
    offers = []
    for uid, events in by_uid.items():
        pairs = sorted({_pair(e, zone) for e in events}, key=lambda p: p[0].timestamp())
        pairs = [p for p in pairs if p[1] > now or p[0] >= now]
        if not pairs:
            continue
        offers.append(_offer(uid, events[0], pairs, source, provider, tz))
    offers.sort(key=lambda o: o.dates[0][0].timestamp())
    return offers


def _offer(uid: str, event: Any, pairs, source: str, provider: str, tz: str) -> Offer:
    words = [w.strip().lower() for w in _categories(event)]
    audiences = tuple(dict.fromkeys(AUDIENCE_WORDS[w] for w in words if w in AUDIENCE_WORDS)) or ("everyone",)
    topics = tuple(dict.fromkeys(TOPIC_WORDS[w] for w in words if w in TOPIC_WORDS))
    free = any(w in FREE_WORDS for w in words)
    organizer = event.get("ORGANIZER")
    contact = ""
    if organizer is not None:
        contact = _str(getattr(organizer, "params", {}).get("CN")) or _str(organizer).removeprefix("mailto:")
    summary = _str(event.get("DESCRIPTION"))
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS - 1].rstrip() + "…"
    digest = hashlib.sha1(f"{source}\0{uid}".encode("utf-8")).hexdigest()[:10]
    return Offer(
        id=f"cal-{digest}", title={"de": _str(event.get("SUMMARY")) or provider},
        summary={"de": summary} if summary else {}, provider=provider, place=_str(event.get("LOCATION")),
        cost=dict(FREE_TEXT) if free else {}, free=free, audiences=audiences, topics=topics,
        contact=contact, url=_str(event.get("URL")), dates=tuple(pairs), icon="calendar",
        timezone=tz, source=source,
    )


def _pair(event: Any, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    start = _moment(event["DTSTART"].dt, zone)
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end = _moment(end_prop.dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    elif not isinstance(event["DTSTART"].dt, datetime):
        end = start + timedelta(days=1)
    else:
        end = start
    return start, max(start, end)


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


def _save(path: Path, data: bytes) -> None:
    """Replace the cached copy atomically, so a power cut leaves the old or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_bytes() == data:
            os.utime(path)     # unchanged: spare the SD card, just note when it was confirmed
            return
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".ics")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
