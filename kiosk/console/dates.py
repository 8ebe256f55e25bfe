"""Times on the console's pages: the station's local time, short."""

from __future__ import annotations

import zoneinfo

from kiosk.clock import parse_iso


def local_time(ts: object, timezone: str) -> str:
    """'02.12. 14:05' in the station's time zone; '–' for nothing or what is no time."""
    if not isinstance(ts, str) or not ts:
        return "–"
    try:
        return parse_iso(ts).astimezone(zoneinfo.ZoneInfo(timezone)).strftime("%d.%m. %H:%M")
    except (ValueError, OverflowError):
        return "–"
