"""The offer form: what the browser sends, turned into an offer's table for the offers domain, and back.

Only the form's shape lives here (field names, empty rows, which field an error belongs
to); every rule about offers is kiosk/offers/catalogue.py's, reached through
kiosk.offers.editing.prepare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kiosk.console.i18n import N_
from kiosk.errors import ConfigError
from kiosk.offers.catalogue import DAY_NAMES, check_entry
from kiosk.offers.editing import new_id
from kiosk.languages import CODES as LANGS
from kiosk.languages import NAMES as LANGUAGE_NAMES
from kiosk.offers.model import AUDIENCES, TEXT_FIELDS, TOPICS

EMPTY_ROWS = 1              # blank rows offered under the filled ones (no script: „Mehr Zeilen“ adds more)
MAX_ROWS = 21
MAX_FIELD_CHARS = 2000      # longer than any rule allows, so the domain names the field
KEY = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<row>\d+)\])?(?:\.(?P<part>[a-z_]+))?$")
ROW_FIELDS = {"weekly": "slot", "dates": "date", "skip": "skip"}
WEEKDAYS = tuple(names[0] for _, names in sorted(DAY_NAMES.items()))
# The words for the offers' vocabulary (kiosk/offers/model.py has the keys; a new key shows as itself).
AUDIENCE_NAMES = {"children": N_("Kinder"), "youth": N_("Jugendliche"), "families": N_("Familien"),
                  "single_parents": N_("Alleinerziehende"), "everyone": N_("Alle")}
TOPIC_NAMES = {"education": N_("Bildung"), "health": N_("Gesundheit"), "culture": N_("Kultur"),
               "participation": N_("Mitmachen"), "everyday": N_("Alltag")}


@dataclass
class OfferForm:
    """What the form shows: the values, how many rows, and the domain's message per field."""

    values: dict[str, Any]
    slots: list[dict[str, str]]
    dates: list[dict[str, str]]
    skip: list[str]
    errors: dict[str, str] = field(default_factory=dict)

    def missing(self, name: str) -> list[str]:
        """The languages without a text for `name` (title, summary, cost), when German has one."""
        if not self.values.get(f"{name}_de", "").strip():
            return []
        return [lang for lang in LANGS if lang != "de" and not self.values.get(f"{name}_{lang}", "").strip()]

    def translation_errors(self, name: str) -> bool:
        return any(f"{name}_{lang}" in self.errors for lang in LANGS if lang != "de")


def blank_form() -> OfferForm:
    return OfferForm({"audiences": [], "topics": []}, _pad([], "slot"), _pad([], "date"), _pad([], "skip"))


def form_from_entry(entry: dict[str, Any]) -> OfferForm:
    """An offer's table (tomllib's values, as in offers.toml) as the form shows it."""
    values: dict[str, Any] = {key: entry.get(key, "") for key in ("provider", "place", "contact", "url", "icon")}
    for key in TEXT_FIELDS:
        texts = entry.get(key) or {}
        texts = {"de": texts} if isinstance(texts, str) else texts
        for lang in LANGS:
            values[f"{key}_{lang}"] = texts.get(lang, "") if isinstance(texts, dict) else ""
    for key in ("free", "always_open", "example", "retired"):
        values[key] = entry.get(key) is True
    values["audiences"] = list(entry.get("audiences", []))
    values["topics"] = list(entry.get("topics", []))
    offer = check_entry(entry)
    slots = [{"day": WEEKDAYS[s.weekday], "start": s.start.strftime("%H:%M"), "end": s.end.strftime("%H:%M")}
             for s in offer.weekly]
    dates = [{"day": a.date().isoformat(), "start": a.strftime("%H:%M"), "end": b.strftime("%H:%M")}
             for a, b in offer.dates]
    skip = [day.isoformat() for day in offer.skip]
    return OfferForm(values, _pad(slots, "slot"), _pad(dates, "date"), _pad(skip, "skip"))


def read_form(form, more: bool = False) -> OfferForm:
    """The form as sent (any input), ready to show again; `more` adds blank rows."""
    def text(name: str) -> str:
        return form.get(name, "")[:MAX_FIELD_CHARS]

    values: dict[str, Any] = {key: text(key) for key in ("provider", "place", "contact", "url", "icon")}
    for key in TEXT_FIELDS:
        for lang in LANGS:
            values[f"{key}_{lang}"] = text(f"{key}_{lang}")
    for key in ("free", "always_open", "example", "retired"):
        values[key] = form.get(key) == "1"
    values["audiences"] = [a for a in form.getlist("audiences") if a in AUDIENCES]
    values["topics"] = [t for t in form.getlist("topics") if t in TOPICS]
    slots = _rows(form, "slot", ("day", "start", "end"))
    dates = _rows(form, "date", ("day", "start", "end"))
    skip = [value[:MAX_FIELD_CHARS] for value in form.getlist("skip")[:MAX_ROWS * 2]]
    made = OfferForm(values, slots, dates, skip)
    if more:
        made.slots, made.dates, made.skip = _pad(slots, "slot"), _pad(dates, "date"), _pad(skip, "skip")
    return made


def entry_of(made: OfferForm, offer_id: str | None, taken: set[str]) -> tuple[dict[str, Any], dict[str, tuple]]:
    """The offer's table from the form, and where each of its rows came from (for messages).

    A new offer (`offer_id` None) gets an id made from its German title.
    """
    v = made.values
    entry: dict[str, Any] = {key: v[key] for key in ("provider", "place", "contact", "url", "icon")}
    entry["id"] = offer_id or new_id(v.get("title_de", ""), taken)
    for key in TEXT_FIELDS:
        texts = {lang: v[f"{key}_{lang}"] for lang in LANGS if v[f"{key}_{lang}"].strip()}
        if texts or key == "title":         # the domain names a missing German title
            entry[key] = texts
    for key in ("free", "always_open", "example", "retired"):
        entry[key] = v[key]
    entry["audiences"], entry["topics"] = list(v["audiences"]), list(v["topics"])
    rows: dict[str, tuple] = {}
    entry["weekly"], entry["dates"], entry["skip"] = [], [], []
    for index, slot in enumerate(made.slots):
        if any(slot.values()):
            rows[f"weekly[{len(entry['weekly'])}]"] = ("slot", index)
            entry["weekly"].append(dict(slot))
    for index, one in enumerate(made.dates):
        if any(one.values()):
            rows[f"dates[{len(entry['dates'])}]"] = ("date", index)
            entry["dates"].append({"start": f"{one['day']}T{one['start']}",
                                   "end": f"{one['day']}T{one['end'] or one['start']}"})
    for index, day in enumerate(made.skip):
        if day.strip():
            rows[f"skip[{len(entry['skip'])}]"] = ("skip", index)
            entry["skip"].append(day)
    return entry, rows


def field_of(error: ConfigError, rows: dict[str, tuple]) -> str:
    """The form field an error of the offers domain belongs to, e.g. "slot-0-end" or "title_de"."""
    match = KEY.match(error.key or "")
    if not match:
        return "top"
    name, row, part = match.group("name", "row", "part")
    if row is not None and f"{name}[{row}]" in rows:
        kind, index = rows[f"{name}[{row}]"]
        return f"{kind}-{index}" + (f"-{part}" if part else "")
    if name in TEXT_FIELDS and part:
        return f"{name}_{part}"
    if name in ROW_FIELDS or name == "always_open":
        return "when"
    if name == "id":
        return "title_de"
    return name


def _rows(form, kind: str, parts: tuple[str, ...]) -> list[dict[str, str]]:
    columns = [form.getlist(f"{kind}_{part}")[:MAX_ROWS * 2] for part in parts]
    count = max((len(c) for c in columns), default=0)
    return [{part: (column[i][:MAX_FIELD_CHARS] if i < len(column) else "") for part, column in zip(parts, columns)}
            for i in range(count)]


def _pad(rows: list, kind: str) -> list:
    blank: Any = "" if kind == "skip" else {"day": "", "start": "", "end": ""}
    filled = [row for row in rows if (row.strip() if kind == "skip" else any(row.values()))]
    return filled + [blank if kind == "skip" else dict(blank) for _ in range(EMPTY_ROWS)]


__all__ = ["AUDIENCES", "AUDIENCE_NAMES", "LANGS", "LANGUAGE_NAMES", "TOPICS", "TOPIC_NAMES", "WEEKDAYS", "OfferForm", "blank_form",
           "entry_of", "field_of", "form_from_entry", "read_form"]
