"""The report's figures, read from the stores on this Pi: what the money did in one period.

Only counts, titles of books, names of offers and the text of approved ideas leave here: never a
pseudonym, a contact, a card or an idea staff have not approved. A store whose file is not on this
Pi (its service runs on another one) gives None, and the report says so; the booth's counts then
come from its retained summary on the bus (kiosk/report/remote.py).
"""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import iso
from kiosk.errors import KioskError
from kiosk.report.period import Period
from kiosk.usage import keys

log = logging.getLogger(__name__)

TOP_TITLES = 10
TOP_OFFERS = 10
TOP_IDEAS = 5


@dataclass
class BoothFigures:
    loans: int = 0
    returns: int = 0
    readers: int = 0
    new_books: int = 0
    returned: int = 0                       # brought back (not moved to another card) in the period
    late: int = 0
    top_titles: list[tuple[str, int]] = field(default_factory=list)
    loans_per_week: list[tuple[str, int]] = field(default_factory=list)
    source: str = "local"                   # "local" (booth.sqlite here) or "bus" (its summary)

    @property
    def late_share(self) -> float | None:
        return self.late / self.returned if self.returned else None


@dataclass
class IdeaFigures:
    received: int = 0
    at_kiosk: int = 0
    at_counter: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    approved: int = 0
    rejected: int = 0
    answered: int = 0
    by_status: dict[str, int] = field(default_factory=dict)     # of the approved ones
    median_days_to_answer: float | None = None
    top_approved: list[dict] = field(default_factory=list)      # number, text, plus_ones, status

    @property
    def implemented(self) -> int:
        return self.by_status.get("implemented", 0)


@dataclass
class KioskFigures:
    days_in_use: int = 0
    days: int = 0
    screens: int = 0
    offers_opened: int = 0
    top_offers: list[tuple[str, int]] = field(default_factory=list)
    finder: list[tuple[str, str, int]] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)
    read_aloud: int = 0
    large_text: int = 0
    ideas: int = 0
    plus_ones: int = 0
    idle_resets: int = 0


@dataclass
class GardenFigures:
    sensors: int = 0
    dry_days: int = 0
    alerts: int = 0
    median_hours_to_watered: float | None = None
    silent_days: int = 0
    days: int = 0
    daily: list[tuple[date, float | None]] = field(default_factory=list)   # lowest moisture per day
    alert_days: list[date] = field(default_factory=list)


@dataclass
class Report:
    station: str
    period: Period
    made: datetime
    booth: BoothFigures | None
    ideas: IdeaFigures | None
    kiosk: KioskFigures | None
    garden: GardenFigures | None
    availability: dict[str, float] | None = None      # not kept yet: the report says "no data"


def collect(config, period: Period, now: datetime | None = None, *, booth_summary=None) -> Report:
    """All figures of `period` from this Pi's stores (see module doc); raises StoreError.

    `booth_summary` (kiosk.booth.messages.Summary) stands in for booth.sqlite when that file
    is not on this Pi.
    """
    zone = ZoneInfo(config.station.timezone)
    now = now or datetime.now(timezone.utc)
    data = Path(config.data_dir)
    # Days after today are not counted as "silent" or "unused": the report may be made mid-month.
    days = [d for d in period.days() if d <= now.astimezone(zone).date()]
    booth = _booth(config, period, zone) if (data / "booth.sqlite").exists() else _booth_from(booth_summary, period)
    usage = _usage_totals(config, period) if (data / "usage.sqlite").exists() else None
    return Report(
        station=config.station.id,
        period=period, made=now.astimezone(zone), booth=booth,
        ideas=_ideas(config, period, zone, usage) if (data / "ideas.sqlite").exists() else None,
        kiosk=_kiosk(config, usage, len(days)) if usage is not None else None,
        garden=_garden(config, period, zone, days) if (data / "garden.sqlite").exists() else None)


# --- Bücherzelle ----------------------------------------------------------------------------------

def _booth(config, period: Period, zone: ZoneInfo) -> BoothFigures:
    from kiosk.booth.store import BoothStore

    start, end = (iso(b) for b in period.bounds(zone))
    with BoothStore.open(config) as store:
        counts = store.counts_between(*period.months)
        loans = store.loans_between(start, end)
        returned, late = store.returns_between(start, end)
    titles = Counter(row["title"] for row in loans)
    weeks = Counter(_week_of(_local_date(row["out_ts"], zone)) for row in loans)
    return BoothFigures(loans=counts.loans, returns=counts.returns, readers=counts.readers,
                        new_books=counts.new_books, returned=returned, late=late,
                        top_titles=_top(titles, TOP_TITLES),
                        loans_per_week=[(week, weeks.get(week, 0)) for week in _weeks(period)])


def _booth_from(summary, period: Period) -> BoothFigures | None:
    # The retained summary carries only the current month's counts: good for last month's
    # report only while it is still current, so it is used for a one-month period that matches.
    if summary is None or period.kind != "month" or not summary.ts.startswith(period.months[0]):
        return None
    m = summary.month
    return BoothFigures(loans=m.loans, returns=m.returns, readers=m.readers, new_books=m.new_books, source="bus")


# --- ideas -----------------------------------------------------------------------------------------

def _ideas(config, period: Period, zone: ZoneInfo, usage: dict[str, int] | None) -> IdeaFigures:
    from kiosk.ideas.store import CATEGORIES, IdeaStore

    start, end = (b.timestamp() for b in period.bounds(zone))
    with IdeaStore.open(config) as store:
        rows = store.report_rows(start, end)
    approved = [r for r in rows if r["state"] == "approved"]
    answer_days = [r["days_to_answer"] for r in rows if r["days_to_answer"] is not None]
    at_kiosk = min(len(rows), (usage or {}).get(keys.IDEA, 0))
    categories = Counter(r["category"] for r in rows)
    top = sorted(approved, key=lambda r: (-r["plus_ones"], r["id"]))[:TOP_IDEAS]
    return IdeaFigures(
        received=len(rows), at_kiosk=at_kiosk, at_counter=len(rows) - at_kiosk,
        by_category={c: categories.get(c, 0) for c in CATEGORIES},
        approved=len(approved), rejected=sum(r["state"] == "rejected" for r in rows),
        answered=len(answer_days), by_status=dict(Counter(r["status"] for r in approved)),
        median_days_to_answer=statistics.median(answer_days) if answer_days else None,
        top_approved=[{"number": r["id"], "text": r["text"], "plus_ones": r["plus_ones"], "status": r["status"],
                       "answer": r["answer"] or ""} for r in top])


# --- kiosk -----------------------------------------------------------------------------------------

def _usage_totals(config, period: Period) -> dict[str, int]:
    from kiosk.usage import UsageStore

    with UsageStore.open(config) as store:
        totals = store.totals(period.first.isoformat(), period.last.isoformat())
        totals["__days__"] = store.days_in_use(period.first.isoformat(), period.last.isoformat())
    return totals


def _kiosk(config, totals: dict[str, int], days: int) -> KioskFigures:
    offers = keys.split(totals, keys.OFFER)
    names = _offer_titles(config)
    finder = [(*k.split(":", 1), n) for k, n in keys.split(totals, keys.FINDER).items() if ":" in k]
    return KioskFigures(
        days_in_use=totals.get("__days__", 0), days=days,
        screens=sum(keys.split(totals, keys.SCREEN).values()), offers_opened=sum(offers.values()),
        top_offers=_top(_by_title(offers, names), TOP_OFFERS),
        finder=sorted(finder, key=lambda row: (-row[2], row[0], row[1])),
        languages=dict(sorted(keys.split(totals, keys.LANGUAGE).items(), key=lambda kv: -kv[1])),
        read_aloud=totals.get(keys.READ_ALOUD, 0), large_text=totals.get(keys.LARGE_TEXT, 0),
        ideas=totals.get(keys.IDEA, 0), plus_ones=totals.get(keys.PLUS_ONE, 0),
        idle_resets=totals.get(keys.IDLE_RESET, 0))


def _by_title(offers: dict[str, int], names: dict[str, str]) -> Counter:
    counts: Counter = Counter()
    for offer_id, n in offers.items():
        counts[names.get(offer_id, offer_id)] += n
    return counts


def _offer_titles(config) -> dict[str, str]:
    # An offer since removed from offers.toml keeps its id in the counters: shown by its id then.
    try:
        from kiosk.offers import offers_path
        from kiosk.offers.catalogue import read_offers_file

        return {o.id: o.text("title", "de") for o in read_offers_file(offers_path(config), config.station.timezone)}
    except (KioskError, OSError) as exc:
        log.info("offer titles not available for the report: %s", exc)
        return {}


# --- herb bed --------------------------------------------------------------------------------------

def _garden(config, period: Period, zone: ZoneInfo, days: list[date]) -> GardenFigures:
    from kiosk.garden.store import GardenStore
    from kiosk.garden.thresholds import in_force

    start, end = period.bounds(zone)
    every = period.days()
    edges = [int(datetime.combine(d, datetime.min.time(), zone).timestamp() * 1000) for d in every] + \
        [int(end.timestamp() * 1000)]
    with GardenStore.open(config) as store:
        lows = store.daily_lows(list(zip(edges, edges[1:])))
        notices = store.notices_between(iso(start), iso(end))
        overrides = store.threshold_overrides()
    # A dry day by the threshold the garden alerts by: station.toml's, or as staff set it in the
    # console (kiosk/garden/thresholds.py). A node station.toml does not name has no threshold.
    dry_below = {s.node: in_force(s, overrides.get(s.node)).dry_below for s in config.garden.sensors}
    low: dict[date, float] = {}
    dry: set[date] = set()
    heard: set[date] = set()
    for node, per_day in lows.items():
        for day, (lowest, count) in zip(every, per_day):
            if count:
                heard.add(day)
            if lowest is not None:
                low[day] = min(low.get(day, lowest), lowest)
                if node in dry_below and lowest < dry_below[node]:
                    dry.add(day)
    nodes = set(lows)
    raised = [n for n in notices if n["kind"] == "dry" and n["event"] == "raised"]
    waits = _hours_to_watered(notices)
    return GardenFigures(
        sensors=len(nodes | set(dry_below)), dry_days=len(dry), alerts=len(raised),
        median_hours_to_watered=statistics.median(waits) if waits else None,
        silent_days=sum(d not in heard for d in days), days=len(days),
        daily=[(d, low.get(d)) for d in period.days()],
        alert_days=sorted({_local_date(n["created"], zone) for n in raised}))


def _hours_to_watered(notices: list[dict]) -> list[float]:
    """Hours from each dry alert to the notice that it cleared (the bed was watered)."""
    open_since: dict[str, datetime] = {}
    waits = []
    for n in notices:
        if n["kind"] != "dry":
            continue
        moment = _parse(n["created"])
        if n["event"] == "raised":
            open_since.setdefault(n["node"], moment)
        elif n["event"] == "cleared" and n["node"] in open_since:
            waits.append((moment - open_since.pop(n["node"])).total_seconds() / 3600)
    return waits


# --- helpers ---------------------------------------------------------------------------------------

def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _local_date(stamp: str, zone: ZoneInfo) -> date:
    return _parse(stamp).astimezone(zone).date()


def _week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(period: Period) -> list[str]:
    seen: list[str] = []
    for day in period.days():
        week = _week_of(day)
        if not seen or seen[-1] != week:
            seen.append(week)
    return seen


def _top(counts: Counter, n: int) -> list[tuple[str, int]]:
    return sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0]))[:n]
