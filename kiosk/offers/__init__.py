"""The district's offers: who offers what, for whom, when and where.

Offers come from config/offers.toml (kept by staff) and from the partners'
iCalendar files and feeds (`ui.calendar_feeds`). "Today" and "next date" are
answered in the station's time zone. Domain code only: no Kivy here.
"""

from __future__ import annotations

import importlib

# Where each public name lives. They are imported on first use (PEP 562), so that
# `kiosk --help` and the services that never show offers (bridge, garden, booth)
# don't load the calendar and QR libraries just because the command line
# registers `kiosk admin offers`.
_EXPORTS = {
    "AUDIENCES": "model", "TOPICS": "model", "Offer": "model", "Slot": "model",
    "find": "model", "today": "model",
    "parse_offers": "catalogue", "read_offers_file": "catalogue",
    "FeedLimits": "feeds", "FeedResult": "feeds",
    "MAX_QR_CHARS": "qr", "offer_qr_text": "qr", "qr_matrix": "qr", "wifi_qr_text": "qr",
    "describe_when": "when", "format_date": "when",
    "Catalogue": "loading", "load_catalogue": "loading", "load_offers": "loading", "offers_path": "loading",
    "OffersWatch": "loading", "watch_offers": "loading",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kiosk.offers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kiosk.offers.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
