"""offers.toml written back by the console: comments kept, never over a newer file, undo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from kiosk.offers.catalogue import check_entry, read_offers_file
from kiosk.offers.editing import FileChanged, OfferHistory, OffersFile, new_id
from kiosk.offers.loading import OffersWatch
from kiosk.store import Database
from kiosk.offers.editing import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
NEW = {"id": "naehcafe", "title": {"de": "Nähcafé", "tr": "Dikiş kafesi"},
       "weekly": [{"day": "mo", "start": "10:00", "end": "12:00"}], "skip": ["2026-12-28"]}


@pytest.fixture
def offers(tmp_path):
    path = tmp_path / "offers.toml"
    shutil.copy(ROOT / "config" / "offers.toml", path)
    return OffersFile(path)


def test_a_new_offer_is_added_and_everything_else_stays_byte_for_byte(offers):
    before = offers.path.read_text(encoding="utf-8")
    offer, old, new = offers.save(NEW, offers.read().digest, None)
    after = offers.path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert old is None and 'id = "naehcafe"' in new
    assert [o.id for o in read_offers_file(offers.path)][-1] == "naehcafe"


def test_an_edit_changes_only_what_changed_and_keeps_the_comment_on_the_line(offers):
    snapshot = offers.read()
    entry = snapshot.entry("muettercafe")
    entry["weekly"] = [{"day": "di", "start": "10:00", "end": "11:30"}]
    offers.save(entry, snapshot.digest, "muettercafe")
    text = offers.path.read_text(encoding="utf-8")
    assert 'weekly = [{day = "di", start = "10:00", end = "11:30"}]   # TODO Team: Zeit prüfen' in text
    assert text.count("\n") == snapshot.text.count("\n")


def test_a_write_based_on_an_older_file_is_refused_and_writes_nothing(offers):
    snapshot = offers.read()
    offers.path.write_text(snapshot.text + "\n# von Hand\n", encoding="utf-8")
    with pytest.raises(FileChanged):
        offers.save(NEW, snapshot.digest, None)
    assert offers.path.read_text(encoding="utf-8").endswith("# von Hand\n")


def test_a_bad_offer_is_refused_with_the_field_named(offers):
    snapshot = offers.read()
    with pytest.raises(ConfigError) as caught:
        offers.save({**NEW, "url": "javascript:alert(1)"}, snapshot.digest, None)
    assert caught.value.key == "url"
    with pytest.raises(ConfigError) as caught:
        offers.save({**NEW, "title": {"de": "x" * 81}}, snapshot.digest, None)
    assert caught.value.key == "title.de"
    assert offers.path.read_text(encoding="utf-8") == snapshot.text


def test_undo_restores_the_previous_version_as_a_new_change_and_only_while_untouched(offers, tmp_path):
    history = OfferHistory(Database(tmp_path / "history.sqlite", MIGRATIONS))
    snapshot = offers.read()
    entry = snapshot.entry("yoga")
    entry["title"] = {**entry["title"], "de": "Yoga am Abend"}
    offer, before, after = offers.save(entry, snapshot.digest, "yoga")
    first = history.record("anna", "yoga", "Angebot geändert", before, after)
    history.undo(first, offers, "ben")
    assert offers.read().offer("yoga").text("title", "de") == "Kostenloses Yoga"
    assert [(v.who, v.undoes) for v in history.recent()] == [("ben", first), ("anna", None)]
    with pytest.raises(Exception):
        history.undo(first, offers, "ben")                       # once only

    snapshot = offers.read()
    offer, before, after = offers.save({**snapshot.entry("yoga"), "place": "Turnhalle"}, snapshot.digest, "yoga")
    second = history.record("anna", "yoga", "Ort geändert", before, after)
    snapshot = offers.read()
    offers.save({**snapshot.entry("yoga"), "place": "Park"}, snapshot.digest, "yoga")     # changed again since
    with pytest.raises(FileChanged):
        history.undo(second, offers, "ben")
    assert offers.read().offer("yoga").place == "Park"
    history.close()


def test_new_ids_come_from_the_german_title_and_are_unused():
    assert new_id("Müttercafé am Montag!", set()) == "muettercafe-am-montag"
    assert new_id("Yoga", {"yoga", "yoga-2"}) == "yoga-3"
    assert new_id("١٢", set()) == "angebot"
    check_entry({"id": new_id("x" * 200, set()), "title": {"de": "x"}, "always_open": True})


def test_the_watch_notices_a_replaced_or_edited_file_only_when_it_looks(offers):
    ticks = [0.0]
    watch = OffersWatch(offers.path, every_s=30, clock=lambda: ticks[0])
    ticks[0] = 31
    assert not watch.changed()
    offers.save(NEW, offers.read().digest, None)
    ticks[0] = 40
    assert not watch.changed()                  # not yet time to look
    ticks[0] = 62
    assert watch.changed() and not watch.changed()
