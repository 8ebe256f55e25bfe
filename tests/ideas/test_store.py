import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.errors import KioskError, NotFoundError
from kiosk.ideas import CATEGORIES, MAX_CONTACT_CHARS, MAX_TEXT_CHARS, IdeaRejected, IdeaStore, ModerationError


def submit_spaced(store, clock, n, **kw):
    ideas = []
    for i in range(n):
        ideas.append(store.submit(kw.get("text", f"Idee {i}"), kw.get("category", "green")))
        clock.advance(180)
    return ideas


def test_submit_moderate_and_wall(store, clock):
    idea = store.submit("  Mehr Bänke am Spielplatz!  \n", "play")
    assert idea.text == "Mehr Bänke am Spielplatz!"
    assert (idea.state, idea.status, idea.plus_ones, idea.has_contact) == ("pending", "new", 0, False)
    assert idea.created.endswith("Z")
    assert store.wall() == [] and store.count_wall() == 0
    assert store.pending() == [idea]

    approved = store.moderate(idea.id, "approve")
    assert approved.state == "approved"
    assert store.wall() == [approved] and store.count_wall() == 1
    assert store.pending() == []

    done = store.moderate(idea.id, "implemented")
    assert (done.state, done.status) == ("approved", "implemented")
    assert store.wall(status="implemented") == [done]
    assert store.wall(status="in_progress") == []
    assert store.moderate(idea.id, "reject").state == "rejected"
    assert store.wall() == []


def test_pending_and_rejected_never_reach_the_wall(store, clock):
    ideas = submit_spaced(store, clock, 4)
    store.moderate(ideas[0].id, "approve")
    store.moderate(ideas[1].id, "reject")
    store.moderate(ideas[3].id, "approve")
    assert [i.id for i in store.wall()] == [ideas[3].id, ideas[0].id]     # newest first
    assert [i.id for i in store.pending()] == [ideas[2].id]
    assert [i.id for i in store.wall(limit=1, offset=1)] == [ideas[0].id]


def test_contact_needs_consent(store):
    with pytest.raises(IdeaRejected) as caught:
        store.submit("Ein Grillplatz", "meeting", contact="anna@example.org")
    assert caught.value.reason == "contact_without_consent"
    assert store.pending() == []
    idea = store.submit("Ein Grillplatz", "meeting", contact=" anna@example.org ", consent=True)
    assert idea.has_contact
    assert store.contact_of(idea.id) == "anna@example.org"
    assert "anna" not in str(store.export_rows())            # contacts stay out of exports
    assert not store.forget_contact(idea.id).has_contact
    assert store.contact_of(idea.id) is None
    # Consent without a contact stores nothing extra.
    assert not store.submit("Noch eine Idee", "other", consent=True).has_contact


@pytest.mark.parametrize("text, category, contact, reason", [
    ("   \n\t ", "green", "", "empty"),
    ("x" * (MAX_TEXT_CHARS + 1), "green", "", "too_long"),
    ("Idee", "parking", "", "unknown_category"),
    ("Idee", "green", "x" * (MAX_CONTACT_CHARS + 1), "contact_too_long"),
])
def test_rejections_have_reasons_and_store_nothing(store, text, category, contact, reason):
    with pytest.raises(IdeaRejected) as caught:
        store.submit(text, category, contact=contact, consent=True)
    assert caught.value.reason == reason
    assert isinstance(caught.value, KioskError) and isinstance(caught.value, ValueError)
    assert store.export_rows() == []


def test_exactly_max_chars_is_fine_and_control_characters_are_removed(store):
    assert len(store.submit("é" * MAX_TEXT_CHARS, "green").text) == MAX_TEXT_CHARS
    idea = store.submit("Bänke\x00 am\u202e Teich\n\n\n\nbitte", "green")
    assert idea.text == "Bänke am Teich\n\nbitte"


def test_ten_megabyte_text_is_rejected_quickly_and_nothing_stored(store, tmp_path):
    huge = "Spielplatz " * 1_000_000
    started = time.perf_counter()
    with pytest.raises(IdeaRejected) as caught:
        store.submit(huge, "play")
    assert caught.value.reason == "too_long"
    assert time.perf_counter() - started < 0.05
    assert store.export_rows() == []
    assert (tmp_path / "ideas.sqlite").stat().st_size < 100_000


def test_ideas_stamped_while_the_clock_ran_ahead_do_not_block_new_ones(store, clock):
    # A Pi without a real-time clock may start with a time in the future, then be set right.
    clock.advance(3 * 3600)
    for i in range(3):
        store.submit(f"Idee {i}", "clean")
        clock.advance(1)
    clock.advance(-3 * 3600)                  # the network time arrives
    store.submit("Idee nach der Uhrzeit-Korrektur", "clean")
    assert len(store.export_rows()) == 4


def test_a_burst_is_slowed_down_not_stored(store, clock):
    for i in range(3):
        store.submit(f"Idee {i}", "clean")
        clock.advance(1)
    with pytest.raises(IdeaRejected) as caught:
        store.submit("Idee 4", "clean")
    assert caught.value.reason == "slow_down"
    assert 0 < caught.value.retry_after_s <= 60
    assert len(store.export_rows()) == 3
    clock.advance(60)
    store.submit("Idee 4, später", "clean")
    # Spread out over the hour: the hourly limit of 20 still holds.
    for i in range(16):
        clock.advance(25)
        store.submit(f"Idee {i + 5}", "clean")
    clock.advance(25)
    with pytest.raises(IdeaRejected, match="too many"):
        store.submit("Idee 21", "clean")
    clock.advance(3600)
    store.submit("Neue Stunde", "clean")
    assert len(store.export_rows()) == 21


def test_plus_one_once_per_visit_and_only_for_public_ideas(store, clock):
    hidden, public = submit_spaced(store, clock, 2)
    store.moderate(public.id, "approve")
    assert store.plus_one(public.id, "visit-1")
    assert not store.plus_one(public.id, "visit-1")
    assert store.plus_one(public.id, "visit-2")
    assert not store.plus_one(hidden.id, "visit-1")
    assert not store.plus_one(99999, "visit-1")
    assert store.wall()[0].plus_ones == 2
    assert store.get(hidden.id).plus_ones == 0
    with pytest.raises(ValueError):
        store.plus_one(public.id, "")


def test_moderation_errors(store):
    with pytest.raises(NotFoundError, match="#42"):
        store.moderate(42, "approve")
    idea = store.submit("Idee", "other")
    with pytest.raises(ModerationError, match="publish"):
        store.moderate(idea.id, "publish")
    with pytest.raises(NotFoundError):
        store.contact_of(42)


def test_a_new_store_on_the_same_file_sees_the_idea(tmp_path, make_config):
    config = make_config()
    with IdeaStore.open(config) as first:
        idea = first.submit("Ein Trinkbrunnen", "green", contact="0201 …", consent=True)
        first.moderate(idea.id, "approve")
    assert (config.data_dir / "ideas.sqlite").exists()
    with IdeaStore.open(config) as second:
        assert [i.text for i in second.wall()] == ["Ein Trinkbrunnen"]
        assert second.contact_of(idea.id) == "0201 …"


def test_wall_is_fast_with_ten_thousand_ideas(store):
    def fill(conn):
        conn.executemany(
            "INSERT INTO ideas (text, category, created, created_s, state) VALUES (?, ?, ?, ?, ?)",
            [(f"Idee {i}", CATEGORIES[i % 5], "2026-01-01T00:00:00.000Z", float(i),
              "approved" if i % 3 == 0 else "pending") for i in range(10_000)])
    store.db.write(fill)
    plan = " ".join(str(tuple(r)) for r in store.db.rows(
        "EXPLAIN QUERY PLAN SELECT id FROM ideas WHERE state = 'approved' ORDER BY id DESC LIMIT 50"))
    assert "USING" in plan and "INDEX" in plan and "TEMP B-TREE" not in plan
    started = time.perf_counter()
    for page in range(20):
        assert len(store.wall(limit=50, offset=page * 50)) == 50
    assert store.count_wall() == 3334
    assert time.perf_counter() - started < 0.5


def test_escapes_and_invisible_characters_go_as_in_book_titles(store, clock):
    idea = store.submit("\x1b[1;31mBänke\x1b[0m\u2060 am\ufeff \x9b2JTeich\u200b\r\nbitte\x85danke", "green",
                        contact="\x1b]0;x\x07mia@example.org\u202e", consent=True)
    assert idea.text == "Bänke am Teich\nbitte\ndanke"
    assert store.contact_of(idea.id) == "mia@example.org"
    clock.advance(180)
    # Scripts keep what they need: the Persian non-joiner, the emoji joiner, a right-to-left mark.
    assert store.submit("می\u200cخواهم 👩\u200d👧 \u200fنعم", "play").text == "می\u200cخواهم 👩\u200d👧 \u200fنعم"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(exclude_categories=()), max_size=60))
def test_any_idea_is_stored_without_hidden_characters(store, clock, text):
    clock.advance(3600)
    try:
        idea = store.submit(text, "other")
    except IdeaRejected as rejected:
        assert rejected.reason == "empty"
        return
    hidden = [c for c in idea.text if c != "\n" and (unicodedata.category(c) in ("Cc", "Cs") or (
        unicodedata.category(c) == "Cf" and c not in "\u200c\u200d\u200e\u200f\u061c"))]
    assert hidden == [] and idea.text == idea.text.strip() and "\n\n\n" not in idea.text
