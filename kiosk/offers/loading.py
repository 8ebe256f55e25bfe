"""Reading the offers: offers.toml plus the partners' calendar feeds."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.offers.catalogue import read_offers_file
from kiosk.offers.feeds import CACHE_FOLDER, FeedLimits, FeedResult, load_feed
from kiosk.offers.model import Offer

log = logging.getLogger(__name__)

# Feeds read at once, each in its own worker process (about 30 MB each while it runs).
PARALLEL_FEEDS = 4


@dataclass(frozen=True)
class Catalogue:
    """Everything shown on the offers screen, and what went wrong with the feeds (for staff)."""

    offers: tuple[Offer, ...]
    feeds: tuple[FeedResult, ...]

    @property
    def problems(self) -> list[str]:
        """What staff should know: each feed not read live, and each feed cut short, and why."""
        found = []
        for feed in self.feeds:
            if feed.problem:
                found.append(feed.problem + (" (showing the saved copy)" if feed.from_cache else ""))
            found.extend(feed.cut)
        return found


def offers_path(config) -> Path:
    """ui.offers_file, relative to the folder of station.toml."""
    path = Path(config.ui.offers_file).expanduser()
    if not path.is_absolute() and config.source:
        path = Path(config.source).parent / path
    return path


def load_catalogue(config, now: datetime | None = None, limits: FeedLimits = FeedLimits()) -> Catalogue:
    """offers.toml plus every calendar feed; raises ConfigError only for a bad offers.toml.

    Feeds are read now, PARALLEL_FEEDS at a time, so call this off the UI thread:
    one slow or hostile feed holds neither the others nor this call for longer
    than its limits (live, then its saved copy: twice `limits.deadline_s(True)`
    at worst; a screen that must not wait shows `read_offers_file(offers_path(config))` first).
    Calendar dates are read for `limits.weeks_ahead` from today: reload at least daily.
    """
    now = now or datetime.now(timezone.utc)
    tz = config.station.timezone
    offers = read_offers_file(offers_path(config), tz)
    base_dir = Path(config.source).parent if config.source else Path.cwd()
    cache_dir = Path(config.data_dir) / CACHE_FOLDER
    sources = config.ui.calendar_feeds

    def one(source: str) -> FeedResult:
        try:
            return load_feed(source, cache_dir, base_dir, tz, now, limits)
        except Exception as exc:      # a bug: logged with its traceback, the other offers still shown
            log.exception("calendar feed %s: unexpected error", source)
            return FeedResult(source, (), f"calendar feed {source} could not be read ({type(exc).__name__})")

    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_FEEDS, len(sources))),
                            thread_name_prefix="offers-feed") as pool:
        feeds = tuple(pool.map(one, sources))
    seen = {offer.id for offer in offers}
    for feed in feeds:
        for offer in feed.offers:
            if offer.id not in seen:
                seen.add(offer.id)
                offers.append(offer)
    return Catalogue(tuple(offers), feeds)


def load_offers(config, now: datetime | None = None) -> list[Offer]:
    """All offers to show: offers.toml (ui.offers_file) and the calendar feeds.

    Raises ConfigError naming file and key when offers.toml is bad; a broken,
    unreachable or oversized feed only logs a warning and falls back to its saved copy.
    """
    return list(load_catalogue(config, now).offers)
