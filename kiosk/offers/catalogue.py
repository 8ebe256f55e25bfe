"""Reading config/offers.toml, the list staff keep of the district's offers.

The format is documented at the top of config/offers.toml. Every problem stops
with one ConfigError naming the file, the offer and the key, and how to fix it.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError
from kiosk.languages import CODES as LANGS
from kiosk.offers.model import AUDIENCES, DEFAULT_TIMEZONE, TOPICS, Offer, Slot

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
URL_PATTERN = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")

# The longest texts the kiosk lays out well (and that keep an offer's QR code scannable,
# kiosk/offers/qr.py); per language for the tables of texts.
MAX_CHARS = {"title": 80, "summary": 300, "cost": 60, "provider": 100, "place": 100, "contact": 120,
             "url": 200, "icon": 30}
MAX_SLOTS = 21          # weekly slots, one-off dates and skipped dates, each

# What staff may write for a weekday: German or English, short or long.
DAY_NAMES = {
    0: ("mo", "mon", "montag", "monday"),
    1: ("di", "tue", "dienstag", "tuesday"),
    2: ("mi", "wed", "mittwoch", "wednesday"),
    3: ("do", "thu", "donnerstag", "thursday"),
    4: ("fr", "fri", "freitag", "friday"),
    5: ("sa", "sat", "samstag", "saturday"),
    6: ("so", "sun", "sonntag", "sunday"),
}
WEEKDAY_BY_NAME = {name: day for day, names in DAY_NAMES.items() for name in names}

# Used when an offer says free = true and gives no cost text.
FREE_TEXT = {"de": "kostenlos", "en": "free", "tr": "ücretsiz", "ar": "مجاني", "uk": "безкоштовно"}

OFFER_KEYS = {
    "id": "a short name: a-z, 0-9 and '-'",
    "title": "a table of texts per language; de is required",
    "summary": "a table of texts per language",
    "cost": "a table of texts per language (default for free = true: \"kostenlos\")",
    "free": "true or false",
    "provider": "who offers it",
    "place": "where it takes place",
    "audiences": "list from " + ", ".join(AUDIENCES),
    "topics": "list from " + ", ".join(TOPICS),
    "contact": "how to reach the provider",
    "url": "a web link",
    "icon": "a picture keyword: coffee, yoga, book, herb, wifi, cart, calendar, education, culture, …",
    "always_open": "true for things that are there any time",
    "weekly": "list of { day = \"di\", start = \"09:30\", end = \"11:30\" }",
    "dates": "list of { start = 2025-11-29T14:00:00, end = 2025-11-29T18:00:00 }",
    "skip": "list of dates without the weekly slots, e.g. [2025-12-23]",
    "example": "true while it is a placeholder staff should replace",
    "retired": "true: kept in the file, not shown on the kiosk",
}


def read_offers_file(path: str | Path, timezone: str = DEFAULT_TIMEZONE) -> list[Offer]:
    """Read and check an offers.toml; raises ConfigError naming file, offer and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("ui.offers_file", f"{path} not found",
                          "copy config/offers.toml there or point ui.offers_file at it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("ui.offers_file", f"cannot read {path}: {exc}") from None
    return [offer for offer in parse_offers(text, str(path), timezone) if not offer.retired]


def parse_offers(text: str, source: str = "offers.toml", timezone: str = DEFAULT_TIMEZONE) -> list[Offer]:
    """Check the text of an offers.toml; raises ConfigError. Retired offers are included."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"{source} is not valid TOML ({exc})",
                          "fix the line named; texts need double quotes") from None
    unknown = [key for key in table if key != "offer"]
    if unknown:
        raise ConfigError(f"{source}: {unknown[0]}", "unknown key",
                          "every offer starts with a line [[offer]]")
    entries = table.get("offer", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: offer", "must be a list of tables", "start each offer with [[offer]]")
    offers, seen = [], set()
    for index, entry in enumerate(entries):
        offer = _offer(entry, _Where(source, index, entry), timezone)
        if offer.id in seen:
            raise ConfigError(_Where(source, index, entry).key("id"), f"{offer.id!r} is used twice",
                              "give every offer its own id")
        seen.add(offer.id)
        offers.append(offer)
    return offers


def check_entry(entry: Any, timezone: str = DEFAULT_TIMEZONE) -> Offer:
    """Check one offer given as a table (as in offers.toml, values may also be text).

    Raises ConfigError whose `key` is the key inside the offer (e.g. "weekly[0].start"),
    for a form to show its message next to the field.
    """
    return _offer(entry, _Where("", 0, entry, bare=True), timezone)


class _Where:
    """Names a key for error messages: `offers.toml: offer #3 (yoga) → weekly[0].day`."""

    def __init__(self, source: str, index: int, entry: Any, bare: bool = False):
        self.source = source
        self.bare = bare
        name = entry.get("id") if isinstance(entry, dict) else None
        self.offer = f"offer #{index + 1}" + (f" ({name})" if isinstance(name, str) else "")

    def key(self, key: str) -> str:
        return key if self.bare else f"{self.source}: {self.offer} → {key}"


def _offer(entry: Any, where: _Where, timezone: str) -> Offer:
    if not isinstance(entry, dict):
        raise ConfigError(where.key("[[offer]]"), "must be a table", "start each offer with [[offer]]")
    for key in entry:
        if key not in OFFER_KEYS:
            raise ConfigError(where.key(key), "unknown key",
                              "remove it or check the spelling; known keys: " + ", ".join(OFFER_KEYS))
    if "id" not in entry:
        raise ConfigError(where.key("id"), "is missing", "add id = \"a-short-name\"")
    offer_id = _text(entry, "id", where)
    if not ID_PATTERN.match(offer_id):
        raise ConfigError(where.key("id"), f"{offer_id!r} is not a valid id", OFFER_KEYS["id"])
    title = _texts(entry, "title", where, required=True)
    free = _bool(entry, "free", where, False)
    cost = _texts(entry, "cost", where) or (dict(FREE_TEXT) if free else {})
    always_open = _bool(entry, "always_open", where, False)
    for key in ("weekly", "dates", "skip"):
        if len(_list(entry, key, where)) > MAX_SLOTS:
            raise _bad(where.key(key), f"has more than {MAX_SLOTS} entries", "keep the list short",
                   f"Höchstens {MAX_SLOTS} Zeilen.")
    weekly = tuple(_slot(item, where.key(f"weekly[{i}]")) for i, item in enumerate(_list(entry, "weekly", where)))
    dates = tuple(_date_pair(item, where.key(f"dates[{i}]"), timezone)
                  for i, item in enumerate(_list(entry, "dates", where)))
    skip = tuple(_day(item, where.key(f"skip[{i}]")) for i, item in enumerate(_list(entry, "skip", where)))
    if not (always_open or weekly or dates):
        raise _bad(where.key("weekly"), "the offer has no time",
                   "add weekly = [...] or dates = [...], or always_open = true",
                   "Wann ist es? Trag eine Zeit jede Woche oder einen Termin ein – oder „Immer da“.")
    return Offer(
        id=offer_id, title=title, summary=_texts(entry, "summary", where), provider=_text(entry, "provider", where),
        place=_text(entry, "place", where), cost=cost, free=free,
        audiences=_choices(entry, "audiences", AUDIENCES, where) or ("everyone",),
        topics=_choices(entry, "topics", TOPICS, where), contact=_text(entry, "contact", where),
        url=_text(entry, "url", where), weekly=weekly, dates=dates, always_open=always_open,
        icon=_text(entry, "icon", where) or "calendar", timezone=timezone, skip=skip,
        example=_bool(entry, "example", where, False), source=where.source,
        retired=_bool(entry, "retired", where, False),
    )


def _text(entry: dict, key: str, where: _Where) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(where.key(key), f"{_show(value)} must be text", "put it in double quotes")
    _fits(value, key, where.key(key))
    if key == "url" and value.strip() and not URL_PATTERN.match(value.strip()):
        raise _bad(where.key(key), f"{_show(value)} is not a web address",
                   "write it as https://… (the QR code takes it to phones), or leave it empty",
                   "Das ist keine Webseite. Schreib sie mit https:// am Anfang, oder lass das Feld leer.")
    return value.strip()


def _fits(value: str, field: str, key: str) -> None:
    limit = MAX_CHARS.get(field)
    if limit is not None and len(value.strip()) > limit:
        raise _bad(key, f"is {len(value.strip())} characters long", f"shorten it to at most {limit}",
                   f"Zu lang: {len(value.strip())} Zeichen, höchstens {limit} passen.")
    if any(ord(c) < 32 and c not in "\n\t" for c in value) or "\x7f" in value:
        raise _bad(key, "contains control characters", "write plain text", "Bitte nur normalen Text.")


def _bool(entry: dict, key: str, where: _Where, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(where.key(key), f"{_show(value)} must be true or false", "write true or false without quotes")
    return value


def _list(entry: dict, key: str, where: _Where) -> list:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(where.key(key), f"{_show(value)} must be a list", "write it as [ … ]")
    return value


def _texts(entry: dict, key: str, where: _Where, required: bool = False) -> dict[str, str]:
    value = entry.get(key)
    if value is None:
        if required:
            raise ConfigError(where.key(key), "is missing", f"add a table [offer.{key}] with at least de = \"…\"")
        return {}
    if isinstance(value, str):
        value = {"de": value}
    if not isinstance(value, dict):
        raise ConfigError(where.key(key), f"{_show(value)} must be a table of texts per language",
                          f"write [offer.{key}] with lines like de = \"…\"")
    texts = {}
    for lang, text in value.items():
        if lang not in LANGS:
            raise ConfigError(where.key(f"{key}.{lang}"), "is not a kiosk language",
                              "use " + ", ".join(LANGS))
        if not isinstance(text, str):
            raise ConfigError(where.key(f"{key}.{lang}"), f"{_show(text)} must be text", "put it in double quotes")
        _fits(text, key, where.key(f"{key}.{lang}"))
        if text.strip():
            texts[lang] = text.strip()
    if "de" not in texts:
        raise _bad(where.key(f"{key}.de"), "is missing", "German is the fallback for every language; add de = \"…\"",
                   "Deutsch fehlt: Der Kiosk zeigt es in jeder Sprache, wo die Übersetzung fehlt.")
    return texts


def _choices(entry: dict, key: str, allowed: tuple[str, ...], where: _Where) -> tuple[str, ...]:
    values = _list(entry, key, where)
    for i, value in enumerate(values):
        if value not in allowed:
            raise ConfigError(where.key(f"{key}[{i}]"), f"{_show(value)} is not known",
                              "choose from " + ", ".join(allowed))
    return tuple(dict.fromkeys(values))


def _slot(item: Any, key: str) -> Slot:
    if not isinstance(item, dict) or set(item) != {"day", "start", "end"}:
        raise ConfigError(key, f"{_show(item)} must be {{ day = \"di\", start = \"09:30\", end = \"11:30\" }}")
    day = item["day"]
    if not isinstance(day, str) or day.strip().lower().rstrip(".") not in WEEKDAY_BY_NAME:
        raise _bad(f"{key}.day", f"{_show(day)} is not a weekday", "write mo, di, mi, do, fr, sa or so",
                   "Welcher Wochentag?")
    start, end = _clock(item["start"], f"{key}.start"), _clock(item["end"], f"{key}.end")
    if end <= start:
        raise _bad(f"{key}.end", f"{item['end']} is not after start {item['start']}",
                   "offers end on the day they begin", "Das Ende muss nach dem Anfang liegen, am selben Tag.")
    return Slot(WEEKDAY_BY_NAME[day.strip().lower().rstrip(".")], start, end)


def _clock(value: Any, key: str) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if not isinstance(value, str) or not TIME_PATTERN.match(value.strip()):
        raise _bad(key, f"{_show(value)} is not a time", "write it as \"09:30\"", "Bitte eine Uhrzeit wählen.")
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def _date_pair(item: Any, key: str, timezone: str) -> tuple[datetime, datetime]:
    if not isinstance(item, dict) or set(item) != {"start", "end"}:
        raise ConfigError(key, f"{_show(item)} must be {{ start = 2025-11-29T14:00:00, end = 2025-11-29T18:00:00 }}")
    start, end = _moment(item["start"], f"{key}.start", timezone), _moment(item["end"], f"{key}.end", timezone)
    if end <= start:
        raise _bad(f"{key}.end", "is not after start", "check the date and time",
                   "Das Ende muss nach dem Anfang liegen.")
    return start, end


def _moment(value: Any, key: str, timezone: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise _bad(key, f"{_show(value)} is not a date and time", "write it as 2025-11-29T14:00:00 (local time)",
                   "Bitte Datum und Uhrzeit wählen.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return value.astimezone(zoneinfo.ZoneInfo(timezone))


def _day(value: Any, key: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _bad(key, f"{_show(value)} is not a date", "write it as 2025-12-23", "Bitte ein Datum wählen.")
    return value


def _bad(key: str, problem: str, fix: str, staff: str) -> ConfigError:
    """A ConfigError that also says the problem in plain German (`staff`), for the console's form."""
    error = ConfigError(key, problem, fix)
    error.staff = staff
    return error


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
