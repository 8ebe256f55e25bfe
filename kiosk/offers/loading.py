"""Reading the offers: offers.toml plus the partners' calendar feeds."""

from __future__ import annotations

import logging
import os
import time
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
# How often the kiosk looks whether offers.toml changed (one stat(); the staff console promises
# a change shows within a minute).
CHECK_EVERY_S = 30


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


class OffersWatch:
    """Tells cheaply whether the offers file changed since the last look (size, time, inode).

    `changed()` looks at most every `every_s` seconds, so it may be called on every tick of a
    UI loop; a file replaced by the staff console (a new inode) or edited by hand is noticed
    alike. Made just before the offers are read, so an edit during the read counts as a change.
    """

    def __init__(self, path: Path, every_s: float = CHECK_EVERY_S, clock=time.monotonic):
        self.path = path
        self.every_s = every_s
        self.clock = clock
        self._next = clock() + every_s
        self._seen = self._look()

    def _look(self) -> tuple[int, int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size, found.st_ino

    def changed(self) -> bool:
        if self.clock() < self._next:
            return False
        self._next = self.clock() + self.every_s
        now = self._look()
        if now == self._seen:
            return False
        self._seen = now
        return True


def watch_offers(config) -> OffersWatch:
    """An OffersWatch on ui.offers_file, looking every CHECK_EVERY_S."""
    return OffersWatch(offers_path(config), CHECK_EVERY_S)


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
