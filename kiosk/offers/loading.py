"""Reading the offers: offers.toml plus the partners' calendar feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.offers.catalogue import read_offers_file
from kiosk.offers.feeds import CACHE_FOLDER, FeedResult, load_feed
from kiosk.offers.model import Offer


@dataclass(frozen=True)
class Catalogue:
    """Everything shown on the offers screen, and what went wrong with the feeds (for staff)."""

    offers: tuple[Offer, ...]
    feeds: tuple[FeedResult, ...]

    @property
    def problems(self) -> list[str]:
        return [f.problem + (" (showing the saved copy)" if f.from_cache else "")
                for f in self.feeds if f.problem]


def offers_path(config) -> Path:
    """ui.offers_file, relative to the folder of station.toml."""
    path = Path(config.ui.offers_file).expanduser()
    if not path.is_absolute() and config.source:
        path = Path(config.source).parent / path
    return path


def load_catalogue(config, now: datetime | None = None) -> Catalogue:
    """offers.toml plus every calendar feed; raises ConfigError only for a bad offers.toml.

    Feeds are fetched now (network: up to 10 s each), so call this off the UI thread.
    Calendar dates are expanded for the next half year from `now`: reload at least daily.
    """
    now = now or datetime.now(timezone.utc)
    tz = config.station.timezone
    offers = read_offers_file(offers_path(config), tz)
    base_dir = Path(config.source).parent if config.source else Path.cwd()
    cache_dir = Path(config.data_dir) / CACHE_FOLDER
    feeds = tuple(load_feed(source, cache_dir, base_dir, tz, now) for source in config.ui.calendar_feeds)
    seen = {offer.id for offer in offers}
    for feed in feeds:
        for offer in feed.offers:
            if offer.id not in seen:
                seen.add(offer.id)
                offers.append(offer)
    return Catalogue(tuple(offers), feeds)


def load_offers(config, now: datetime | None = None) -> list[Offer]:
    """All offers to show: offers.toml (ui.offers_file) and the calendar feeds.

    Raises ConfigError naming file and key when offers.toml is bad; a broken or
    unreachable feed only logs a warning and falls back to its saved copy.
    """
    return list(load_catalogue(config, now).offers)
