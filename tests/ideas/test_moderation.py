"""Staff operations on ideas, called as every face calls them, on real SQLite files."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.errors import IdeaRejected, ModerationError, NotFoundError
from kiosk.ideas import moderation
from kiosk.ideas.store import MAX_ANSWER_CHARS, MIGRATIONS, STATUSES, IdeaStore
from kiosk.store import Database


def test_every_status_has_words():
    assert tuple(moderation.STATUS_WORDS) == STATUSES


def test_an_answered_idea_shows_its_answer_and_status_on_the_wall(store):
    idea = store.submit("Ein Trinkbrunnen am Markt", "green")
    moderation.approve(store, idea.id)
    moderation.set_status(store, idea.id, "not_possible")
    answered = moderation.answer(store, idea.id, "  Die Stadt erlaubt dort keinen Brunnen.\x1b[31m  ")
    assert answered.idea.answer == "Die Stadt erlaubt dort keinen Brunnen."
    assert not answered.tell_author             # anonymous: nobody to tell
    [shown] = store.wall()
    assert (shown.id, shown.status, shown.answer) == (idea.id, "not_possible", "Die Stadt erlaubt dort keinen Brunnen.")
    assert shown.answered


def test_an_author_with_contact_is_to_be_told_in_their_language(store):
    idea = store.submit("Mehr Bänke", "meeting", contact="ayse@example.org", consent=True, lang="tr")
    answered = moderation.answer(store, idea.id, "Kommen im Frühjahr.")
    assert (answered.tell_author, answered.contact, answered.lang) == (True, "ayse@example.org", "tr")
    # Taking the answer back tells nobody.
    taken_back = moderation.answer(store, idea.id, "   ")
    assert (taken_back.idea.answer, taken_back.tell_author, taken_back.contact) == ("", False, "")


def test_bad_staff_input_changes_nothing(store):
    idea = store.submit("Ein Bücherschrank", "other")
    with pytest.raises(ModerationError):
        moderation.set_status(store, idea.id, "approved")
    with pytest.raises(IdeaRejected) as too_long:
        moderation.answer(store, idea.id, "x" * (MAX_ANSWER_CHARS + 1))
    assert too_long.value.reason == "answer_too_long"
    with pytest.raises(NotFoundError):
        moderation.answer(store, idea.id + 1, "Gern!")
    with pytest.raises(NotFoundError):
        moderation.approve(store, idea.id + 1)
    assert store.get(idea.id) == idea


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(exclude_categories=()), max_size=MAX_ANSWER_CHARS * 5),
       status=st.text(max_size=20) | st.sampled_from(STATUSES))
def test_any_answer_and_status_is_stored_clean_or_refused_with_one_reason(store, text, status):
    idea = store.submit("Idee", "other") if not store.count_wall() else store.wall()[0]
    moderation.approve(store, idea.id)
    before = store.get(idea.id)
    try:
        after = moderation.answer(store, idea.id, text).idea
    except IdeaRejected as rejected:
        assert rejected.reason == "answer_too_long" and store.get(idea.id) == before
    else:
        assert len(after.answer) <= MAX_ANSWER_CHARS and after.answer == after.answer.strip()
        assert not any(c in after.answer for c in "\x1b\x00\u202e\u200b")
    before = store.get(idea.id)
    try:
        assert moderation.set_status(store, idea.id, status).status == status
    except ModerationError:
        assert status not in STATUSES and store.get(idea.id) == before


def test_a_database_of_schema_1_keeps_its_ideas_and_plus_ones(tmp_path, clock):
    path = tmp_path / "ideas.sqlite"
    old = Database(path, MIGRATIONS[:1])
    # What the software of schema 1 wrote: an approved idea with a contact and a +1.
    old.write(lambda conn: (conn.execute(
        "INSERT INTO ideas (id, text, category, created, created_s, state, plus_ones, contact, consent_at)"
        " VALUES (1, 'Ein Grillplatz', 'meeting', '2026-11-12T10:00:00Z', 1795000000, 'approved', 1,"
        " '0176 123', '2026-11-12T10:00:00Z')"), conn.execute("INSERT INTO plus_ones VALUES (1, 'visit-1', ?)",
                                                               (clock.now,))))
    old.close()
    with IdeaStore(Database(path, MIGRATIONS), clock=clock) as new:
        idea = new.get(1)
        moved = new.get(idea.id)
        assert (moved.text, moved.state, moved.plus_ones, moved.answer) == ("Ein Grillplatz", "approved", 1, "")
        assert new.contact_of(idea.id) == "0176 123"
        assert not new.plus_one(idea.id, "visit-1")     # the +1 of that visit is still remembered
        assert moderation.set_status(new, idea.id, "not_possible").status == "not_possible"
        later = new.submit("Noch eine", "other")
        assert later.id == idea.id + 1
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1].version
