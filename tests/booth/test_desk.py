"""The library desk at the booth: a book staff described becomes the next new tag tapped, or
pairs with a UID staff typed; a tag already used is refused whole; the last one is undone;
books sharing an ISBN are found. Real booth loop, real broker, real SQLite, emulated reader."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.booth.details import BookDetails
from kiosk.booth.rules import REGISTER_IDLE_S
from kiosk.booth.store import BoothStore
from tests.booth.conftest import ANNA, BOOK2, EVENTS, SUMMARY
from tests.booth.test_booth_bus import driver

SAMS = {"title": "Das Sams", "author": "Paul Maar", "age_group": "8-10", "isbn": "9783789142017",
        "publisher": "Oetinger", "year": 2015}
NEW_TAG, OTHER_TAG = "b0000077", "b0000078"


@pytest.fixture
def desk(stocked, run_booth):
    """(config, the running booth, a staff client); a hypothesis test keeps one for every example."""
    config = stocked()
    booth = run_booth(config)
    staff = driver(config)
    yield config, booth, staff
    staff.stop()


def until(ask, done, timeout: float = 5.0):
    """Ask again until the answer is `done` (the booth's loop notices time passing at its next round)."""
    deadline = time.monotonic() + timeout
    answer = ask()
    while not done(answer) and time.monotonic() < deadline:
        time.sleep(0.05)
        answer = ask()
    return answer


def books_in(config) -> list[dict]:
    with BoothStore.open(config) as store:
        return store.db.dicts("SELECT id, title, author, age_group, isbn, publisher, year, retired FROM books "
                              "ORDER BY id")


def test_the_next_new_tag_becomes_the_book_staff_described(desk, watch):
    config, booth, staff = desk
    watcher = watch(config, EVENTS)
    asked = staff.request("booth", "add_book", {"book": SAMS})
    assert asked["ok"] is True and asked["ticket"]
    waiting = staff.request("booth", "pending", {"ticket": asked["ticket"]})
    assert (waiting["state"], waiting["title"]) == ("waiting", "Das Sams")
    made = booth.tap(NEW_TAG)
    assert made[0]["type"] == "registered"
    assert made[0]["book"] == {"id": 5, "title": "Das Sams", "isbn": "9783789142017"}
    assert staff.request("booth", "pending", {"ticket": asked["ticket"]})["book"] == made[0]["book"]
    assert books_in(config)[-1] == {"id": 5, **SAMS, "retired": None}
    # One tag per book: the next unknown tag is not registered.
    assert booth.tap(OTHER_TAG)[0]["reason"] == "unknown_tag"
    assert len(books_in(config)) == 5
    # Borrowed, it carries its ISBN, so the kiosk can show the cover.
    booth.tap(ANNA)
    checkout = booth.tap(NEW_TAG)[0]
    assert (checkout["type"], checkout["book"]["isbn"]) == ("checkout", "9783789142017")
    assert watcher.wait_for(EVENTS, lambda p: p["type"] == "checkout")["book"]["isbn"] == "9783789142017"


def test_a_tag_already_on_a_book_is_refused_and_the_book_still_waits(desk):
    config, booth, staff = desk
    ticket = staff.request("booth", "add_book", {"book": SAMS})["ticket"]
    assert booth.tap(BOOK2)[0]["reason"] == "already_registered"
    status = staff.request("booth", "pending", {"ticket": ticket})
    assert status["state"] == "waiting" and status["taken"] == {"id": 2, "title": "Das Sams"}
    assert len(books_in(config)) == 4
    assert booth.tap(NEW_TAG)[0]["book"]["id"] == 5
    assert staff.request("booth", "pending", {"ticket": ticket})["state"] == "done"


def test_a_typed_uid_pairs_at_once_is_never_echoed_and_a_used_one_is_refused_whole(desk, watch, caplog):
    config, booth, staff = desk
    watcher = watch(config, "#")
    with caplog.at_level(logging.DEBUG):
        added = staff.request("booth", "add_book", {"book": SAMS, "tag": NEW_TAG})
        used = staff.request("booth", "add_book", {"book": {**SAMS, "title": "Noch eins"}, "tag": BOOK2})
        bad = staff.request("booth", "add_book", {"book": SAMS, "tag": "04zz"})
    assert added == {"ok": True, "book": {"id": 5, "title": "Das Sams"}}
    assert used["ok"] is False and "already registered" in used["error"]
    assert bad["ok"] is False and "hexadecimal" in bad["error"]
    assert [b["title"] for b in books_in(config)][-2:] == ["Pippi Langstrumpf", "Das Sams"]
    watcher.wait_for(EVENTS, lambda p: p["type"] == "registered")
    for uid in (NEW_TAG, BOOK2, "04zz"):
        assert uid not in caplog.text
        for reply in (added, used, bad):
            assert uid not in json.dumps(reply)
    # Only the request itself carried it: nothing the booth sent does.
    sent = [m.payload for m in watcher.drain() if "/cmd/" not in m.topic]
    assert sent and not [p for p in sent if NEW_TAG.encode() in p or BOOK2.encode() in p]


def test_a_pending_book_ends_with_register_mode_or_when_cancelled(desk):
    config, booth, staff = desk
    first = staff.request("booth", "add_book", {"book": SAMS})["ticket"]
    second = staff.request("booth", "add_book", {"book": {"title": "Der Grüffelo"}})["ticket"]
    assert staff.request("booth", "pending", {"ticket": first})["reason"] == "replaced"
    booth.clock.advance(REGISTER_IDLE_S + 1)
    status = until(lambda: staff.request("booth", "pending", {"ticket": second}), lambda s: s["state"] != "waiting")
    assert (status["state"], status["reason"]) == ("ended", "timeout")
    assert booth.tap(NEW_TAG)[0]["reason"] == "unknown_tag"
    third = staff.request("booth", "add_book", {"book": SAMS})["ticket"]
    cancelled = staff.request("booth", "pending", {"ticket": third, "cancel": True})
    assert (cancelled["state"], cancelled["reason"]) == ("ended", "cancelled")
    assert booth.tap(NEW_TAG)[0]["reason"] == "unknown_tag"
    assert len(books_in(config)) == 4


def test_undo_removes_a_book_never_lent_and_retires_one_that_was(desk):
    config, booth, staff = desk
    staff.request("booth", "add_book", {"book": SAMS, "tag": NEW_TAG})
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    with BoothStore.open(config) as store:
        before = store.month_counts(month).new_books
    assert staff.request("booth", "undo", {"book": 5}) == {"ok": True, "book": {"id": 5, "title": "Das Sams"},
                                                           "undone": "removed"}
    assert len(books_in(config)) == 4
    with BoothStore.open(config) as store:
        assert store.month_counts(month).new_books == before - 1
    # The same tag may be used again at once.
    assert staff.request("booth", "add_book", {"book": SAMS, "tag": NEW_TAG})["book"]["id"] == 5
    booth.tap(ANNA)
    booth.tap(BOOK2)
    assert staff.request("booth", "undo", {"book": 2})["undone"] == "retired"
    assert books_in(config)[1]["retired"] is not None
    assert staff.request("booth", "undo", {"book": 99})["ok"] is False


def test_books_sharing_an_isbn_are_found_and_listed_in_the_summary(desk, watch):
    config, booth, staff = desk
    watcher = watch(config, SUMMARY)
    assert staff.request("booth", "same_isbn", {"isbn": SAMS["isbn"]}) == {"ok": True, "books": []}
    staff.request("booth", "add_book", {"book": SAMS, "tag": NEW_TAG})
    staff.request("booth", "add_book", {"book": SAMS, "tag": OTHER_TAG})
    found = staff.request("booth", "same_isbn", {"isbn": SAMS["isbn"]})["books"]
    assert [b["id"] for b in found] == [5, 6]
    summary = watcher.wait_for(SUMMARY, lambda p: p.get("same_isbn"))
    assert summary["same_isbn"] == [{"isbn": SAMS["isbn"], "books": [5, 6]}]
    assert booth.thread.is_alive()


# --- any payload to the desk's commands -------------------------------------------------------


FIELDS = ["book", "tag", "ticket", "cancel", "isbn", "title", "author", "age_group", "publisher", "year"]
values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
                      | st.sampled_from([NEW_TAG, BOOK2, "9783789142017", "Das Sams", 1, 5, 2015, "x" * 900]),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner,
                                                                                    max_size=6), max_leaves=10)
requests = st.dictionaries(st.sampled_from(FIELDS), values, max_size=4) | values


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(["add_book", "pending", "undo", "same_isbn"]), request=requests)
def test_any_payload_to_the_desk_commands_is_answered_and_stores_nothing_half(desk, name, request):
    config, booth, staff = desk
    before = books_in(config)
    reply = staff.request("booth", name, request)
    after = books_in(config)
    assert isinstance(reply.get("ok"), bool)
    if not reply["ok"]:
        assert reply["error"] and "internal error" not in reply["error"], reply
        assert after == before
    elif name == "add_book" and isinstance(request, dict) and "tag" in request:
        assert len(after) == len(before) + 1 and after[-1]["title"] == reply["book"]["title"]
        staff.request("booth", "undo", {"book": reply["book"]["id"]})
    elif name != "undo":
        assert after == before
    assert booth.thread.is_alive()


def test_a_pending_book_whose_time_ran_out_while_no_booth_ran_is_never_taken_up(desk):
    config, booth, staff = desk
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    with BoothStore.open(config) as store:                # `kiosk admin book add --isbn` killed long ago
        store.put_pending(BookDetails.checked("Veraltet"), past, past - timedelta(minutes=2))
    assert staff.request("booth", "register", {"mode": "books"})["ok"]
    assert booth.tap(NEW_TAG)[0]["book"]["title"] == "Buch 5"


def test_a_pending_book_still_waits_after_the_booth_restarts(stocked, run_booth):
    config = stocked()
    first = run_booth(config)
    staff = driver(config)
    ticket = staff.request("booth", "add_book", {"book": SAMS})["ticket"]
    first.stop()
    again = run_booth(config)
    assert again.tap(NEW_TAG)[0]["book"]["title"] == "Das Sams"
    assert staff.request("booth", "pending", {"ticket": ticket})["state"] == "done"
    staff.stop()
