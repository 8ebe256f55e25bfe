"""The names of the kiosk's counters: the one place that writes and reads them.

A key says what was used, never who or in which order: "screen:offers", "offer:42",
"finder:kids:learn", "lang:tr", "read_aloud", "large_text", "idea", "plus_one", "idle_reset".
"""

from __future__ import annotations

SCREEN, OFFER, FINDER, LANGUAGE = "screen", "offer", "finder", "lang"
READ_ALOUD, LARGE_TEXT, IDEA, PLUS_ONE, IDLE_RESET = "read_aloud", "large_text", "idea", "plus_one", "idle_reset"
SINGLE = (READ_ALOUD, LARGE_TEXT, IDEA, PLUS_ONE, IDLE_RESET)
MAX_PART = 60        # an offer id or screen name longer than this is cut: a key stays small
ANY = "-"            # a finder choice without "for whom" or without "what"


def _part(value: object) -> str:
    text = str(value if value not in (None, "") else ANY)
    return "".join(c if c.isalnum() or c in "_-." else "_" for c in text)[:MAX_PART]


def screen(name: str) -> str:
    return f"{SCREEN}:{_part(name)}"


def offer(offer_id: object) -> str:
    return f"{OFFER}:{_part(offer_id)}"


def finder(audience: str | None, topic: str | None) -> str:
    return f"{FINDER}:{_part(audience)}:{_part(topic)}"


def language(lang: str) -> str:
    return f"{LANGUAGE}:{_part(lang)}"


def split(totals: dict[str, int], kind: str) -> dict[str, int]:
    """The counters of one kind, by what follows "kind:" ({"offer:7": 3} -> {"7": 3} for OFFER)."""
    prefix = kind + ":"
    return {key[len(prefix):]: n for key, n in totals.items() if key.startswith(prefix)}
