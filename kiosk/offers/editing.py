"""Changing offers.toml one offer at a time: comments kept, never over a newer file, every step undoable.

offers.toml stays the one source of the offers: the kiosk reads it, staff may edit it by
hand, and the staff console writes it back through `OffersFile`. A write names the
SHA-256 of the text it was based on (the form carries it from when it was opened); when
the file has changed since — a hand edit, another staff member — the write is refused
with FileChanged and nothing is written. The edited offer's table is updated key by key
with tomlkit, so comments and every other offer stay as they were. The new text is
checked whole by the same reader the kiosk uses before it replaces the file atomically
(temporary file, fsync, rename), so a power cut leaves the old or the new file.

Each change keeps the offer's table before and after (`OfferHistory`, in
DATA_DIR/offers-history.sqlite); `undo` puts the before back as a new change, and only
while the offer still looks as that change left it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import tomlkit

from kiosk.clock import iso_from_epoch
from kiosk.errors import ConfigError, KioskError, NotFoundError
from kiosk.offers.catalogue import DAY_NAMES, check_entry, parse_offers
from kiosk.offers.model import DEFAULT_TIMEZONE, TEXT_FIELDS, Offer
from kiosk.store import Connection, Database, Migration

PLAIN_KEYS = ("provider", "place", "contact", "url", "icon")
TIME_KEYS = ("weekly", "dates", "skip")
FLAG_KEYS = ("free", "always_open", "example", "retired")
LIST_KEYS = ("audiences", "topics")
HISTORY_SHOWN = 30

MIGRATIONS = [
    Migration(1, """
CREATE TABLE versions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ts        TEXT NOT NULL,
    who       TEXT NOT NULL,
    offer_id  TEXT NOT NULL,
    what      TEXT NOT NULL,
    before    TEXT,            -- the offer's [[offer]] table as TOML, NULL: it did not exist
    after     TEXT,            -- NULL: it was removed
    undoes    INTEGER,         -- the version this one took back
    undone    INTEGER NOT NULL DEFAULT 0
);
"""),
]


class FileChanged(KioskError):
    """offers.toml changed since the form was opened; nothing was written."""


@dataclass(frozen=True)
class Snapshot:
    """offers.toml as read now: its text, the text's SHA-256, and every offer (retired ones too)."""

    text: str
    digest: str
    offers: tuple[Offer, ...]

    def offer(self, offer_id: str) -> Offer:
        for offer in self.offers:
            if offer.id == offer_id:
                return offer
        raise NotFoundError(f"there is no offer {offer_id!r}")

    def entry(self, offer_id: str) -> dict[str, Any]:
        """The offer's table as plain values (tomllib's), to fill a form."""
        for entry in tomllib.loads(self.text).get("offer", []):
            if isinstance(entry, dict) and entry.get("id") == offer_id:
                return entry
        raise NotFoundError(f"there is no offer {offer_id!r}")


@dataclass(frozen=True)
class Version:
    """One change of one offer, for the list of what can be undone."""

    id: int
    ts: str
    who: str
    offer_id: str
    what: str
    undone: bool
    undoes: int | None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_id(title: str, taken: set[str]) -> str:
    """A short id from the German title ("Müttercafé am Montag" → "muettercafe-am-montag"), unused so far."""
    text = title.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].strip("-") or "angebot"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def prepare(entry: dict[str, Any], timezone: str = DEFAULT_TIMEZONE) -> tuple[Offer, dict[str, Any]]:
    """Check an offer (texts as a form sends them are fine) and give it back as TOML values.

    Raises ConfigError whose key names the field (catalogue.check_entry). Empty texts,
    false flags and empty lists are left out of the returned table.
    """
    offer = check_entry(entry, timezone)
    table: dict[str, Any] = {"id": offer.id}
    for key in PLAIN_KEYS:
        value = entry.get(key, "")
        if isinstance(value, str) and value.strip():
            table[key] = value.strip()
    for key in FLAG_KEYS:
        if entry.get(key) is True:
            table[key] = True
    for key in LIST_KEYS:
        if entry.get(key):
            table[key] = list(getattr(offer, key))
    if offer.weekly:
        table["weekly"] = [{"day": DAY_NAMES[s.weekday][0], "start": s.start.strftime("%H:%M"),
                            "end": s.end.strftime("%H:%M")} for s in offer.weekly]
    if offer.skip:
        table["skip"] = sorted(set(offer.skip))
    if offer.dates:
        table["dates"] = [{"start": a.replace(tzinfo=None), "end": b.replace(tzinfo=None)} for a, b in offer.dates]
    for key in TEXT_FIELDS:
        texts = entry.get(key) or {}
        if isinstance(texts, str):
            texts = {"de": texts}
        texts = {lang: text.strip() for lang, text in texts.items() if isinstance(text, str) and text.strip()}
        if texts:
            table[key] = texts
    return offer, table


class OffersFile:
    """The offers file as the console changes it. Raises ConfigError (a broken file, a bad
    offer), FileChanged, NotFoundError, and OSError when the file cannot be written."""

    def __init__(self, path: str | Path, timezone: str = DEFAULT_TIMEZONE):
        self.path = Path(path)
        self.timezone = timezone
        self._lock = threading.Lock()

    def read(self) -> Snapshot:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError("ui.offers_file", f"{self.path} not found",
                              "copy config/offers.toml there or point ui.offers_file at it") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError("ui.offers_file", f"cannot read {self.path}: {exc}") from None
        return Snapshot(text, digest(text), tuple(parse_offers(text, str(self.path), self.timezone)))

    def save(self, entry: dict[str, Any], based_on: str, replaces: str | None) -> tuple[Offer, str | None, str]:
        """Write one offer: a new one (`replaces` None) or over offer `replaces`.

        Returns the offer and its table before and after, as TOML text (None: there was none).
        """
        offer, table = prepare(entry, self.timezone)

        def change(doc: tomlkit.TOMLDocument) -> None:
            tables = _tables(doc)
            if replaces is None:
                if _find(tables, offer.id) is not None:
                    raise ConfigError("id", f"{offer.id!r} is used already", "give the offer another name")
                fresh = tomlkit.table()
                fresh.trivia.indent = "\n"
                _update(fresh, table)
                tables.append(fresh)
                return
            found = _find(tables, replaces)
            if found is None:
                raise NotFoundError(f"there is no offer {replaces!r}")
            if offer.id != replaces and _find(tables, offer.id) is not None:
                raise ConfigError("id", f"{offer.id!r} is used already", "give the offer another name")
            _update(found, table)
        before, after = self._write(based_on, change, replaces if replaces is not None else offer.id, offer.id)
        return offer, before, after

    def restore(self, offer_id: str, expected: str | None, table_text: str | None) -> None:
        """Put offer `offer_id` back as `table_text` (None: remove it), but only while its table
        still equals `expected` (None: while it does not exist). Raises FileChanged otherwise."""
        def change(doc: tomlkit.TOMLDocument) -> None:
            tables = _tables(doc)
            found = _find(tables, offer_id)
            now = None if found is None else _plain(found)
            if now != (None if expected is None else _plain_text(expected)):
                raise FileChanged(f"offer {offer_id} was changed again since")
            if table_text is None:
                tables.remove(found)
                return
            old = tomlkit.parse(table_text)["offer"][0]
            if found is None:
                old.trivia.indent = "\n"
                tables.append(old)
            else:
                tables[tables.index(found)] = old
        self._write(None, change, offer_id, offer_id)

    def _write(self, based_on: str | None, change: Callable[[tomlkit.TOMLDocument], None],
               old_id: str, new_id: str) -> tuple[str | None, str]:
        with self._lock:
            snapshot = self.read()
            if based_on is not None and snapshot.digest != based_on:
                raise FileChanged(f"{self.path} changed since the form was opened")
            doc = tomlkit.parse(snapshot.text)
            before = _table_text(doc, old_id)
            change(doc)
            text = tomlkit.dumps(doc)
            parse_offers(text, str(self.path), self.timezone)     # the whole file as the kiosk will read it
            _replace(self.path, text)
            return before, _table_text(tomlkit.parse(text), new_id)


class OfferHistory:
    """Every change of an offer made through the console, with who and when, for undo."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock

    @classmethod
    def open(cls, config) -> "OfferHistory":
        return cls(Database(Path(config.data_dir) / "offers-history.sqlite", MIGRATIONS))

    def close(self) -> None:
        self.db.close()

    def record(self, who: str, offer_id: str, what: str, before: str | None, after: str | None,
               undoes: int | None = None) -> int:
        def insert(conn: Connection) -> int:
            if undoes is not None:
                conn.execute("UPDATE versions SET undone = 1 WHERE id = ?", (undoes,))
            return conn.execute("INSERT INTO versions (ts, who, offer_id, what, before, after, undoes)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                (iso_from_epoch(self.clock()), who, offer_id, what, before, after, undoes)).fetchone()[0]
        return self.db.write(insert)

    def recent(self, limit: int = HISTORY_SHOWN) -> list[Version]:
        return [Version(r["id"], r["ts"], r["who"], r["offer_id"], r["what"], bool(r["undone"]), r["undoes"])
                for r in self.db.rows("SELECT * FROM versions ORDER BY id DESC LIMIT ?", (limit,))]

    def undo(self, version_id: int, offers: OffersFile, who: str) -> Version:
        """Take change `version_id` back, as a new change. Raises NotFoundError, FileChanged."""
        row = self.db.first("SELECT * FROM versions WHERE id = ?", (version_id,))
        if row is None or row["undone"]:
            raise NotFoundError(f"there is no change {version_id} to undo")
        offers.restore(row["offer_id"], row["after"], row["before"])
        what = f"Rückgängig: {row['what']}"
        new = self.record(who, row["offer_id"], what, row["after"], row["before"], undoes=version_id)
        return Version(new, iso_from_epoch(self.clock()), who, row["offer_id"], what, False, version_id)


# --- tomlkit helpers ---------------------------------------------------------------------------

def _tables(doc: tomlkit.TOMLDocument):
    if "offer" not in doc:
        doc.append("offer", tomlkit.aot())
    return doc["offer"]


def _find(tables, offer_id: str):
    return next((t for t in tables if t.get("id") == offer_id), None)


def _plain(table) -> dict:
    return table.unwrap()           # (dumping a live table would move its blank lines)


def _plain_text(text: str) -> dict:
    return tomllib.loads(text)["offer"][0]


def _table_text(doc, offer_id: str) -> str | None:
    found = _find(_tables(doc), offer_id)
    if found is None:
        return None
    return "[[offer]]\n" + found.as_string().rstrip("\n") + "\n"


def _update(table, values: dict[str, Any]) -> None:
    """Set `table` to `values`, touching only keys whose meaning changed (their comments stay)."""
    old = _plain(table) if len(table) else {}
    for key in list(table.keys()):
        if key not in values and _present(old.get(key)):
            del table[key]
    for key, value in values.items():
        if key in TEXT_FIELDS:
            texts = table.get(key)
            if texts is None or not isinstance(old.get(key), dict):
                fresh = tomlkit.table()
                fresh.update(value)
                table[key] = fresh
                continue
            for lang in list(texts.keys()):
                if lang not in value:
                    del texts[lang]
            for lang, text in value.items():
                if old[key].get(lang) != text:
                    texts[lang] = text
        elif key in TIME_KEYS:
            if not _same_times(key, old, values):
                table[key] = _toml_list(value)
        elif old.get(key) != value:
            table[key] = _toml_list(value) if isinstance(value, list) else value


def _same_times(key: str, old: dict, new: dict) -> bool:
    try:
        before = getattr(check_entry({"id": "x", "title": {"de": "x"}, "always_open": True, key: old.get(key, [])}), key)
    except ConfigError:
        return False
    after = getattr(check_entry({"id": "x", "title": {"de": "x"}, "always_open": True, key: new[key]}), key)
    return before == after


def _toml_list(values: list):
    array = tomlkit.array()
    for value in values:
        if isinstance(value, dict):
            inline = tomlkit.inline_table()
            inline.update(value)
            array.append(inline)
        else:
            array.append(value)
    if len(values) > 1 and isinstance(values[0], dict):
        array.multiline(True)
    return array


def _present(value: Any) -> bool:
    return value not in (None, "", False, [], {})


def _replace(path: Path, text: str) -> None:
    """Write `text` over `path` atomically, keeping its mode; through a symlink to its target."""
    target = path.resolve()
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o640
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".offers-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
