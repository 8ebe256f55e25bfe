"""What a booth tap does to the kiosk in the window, whatever the kiosk is showing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.ui.booth_taps import booth_action

LOAN = {"type": "checkout", "card": "Lesefuchs 17", "book": {"id": "b-3", "title": "Das Sams"}}


@pytest.mark.parametrize("current, at_rest, action", [
    ("home", False, "booth"),          # the home screen gives way to the loan
    ("booth", False, "booth"),
    ("offers", True, "booth"),         # nobody is using it
    ("idea_text", False, "toast"),     # someone is typing: a message, not a new screen
])
def test_a_loan_shows_on_the_booth_screen_unless_someone_is_busy(current, at_rest, action):
    assert booth_action(LOAN, staff=False, current=current, at_rest=at_rest) == action


def test_in_staff_mode_a_loan_only_wakes_the_screen():
    assert booth_action(LOAN, staff=True, current="staff", at_rest=False) == "wake"


def test_events_nobody_needs_to_see_change_nothing():
    assert booth_action({"type": "session_end"}, staff=False, current="home", at_rest=True) is None


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.text(max_size=8), st.integers(),
                                                      st.booleans())),
       st.booleans(), st.sampled_from(["home", "booth", "wall", "staff"]), st.booleans())
def test_any_event_gets_an_answer_not_an_exception(event, staff, current, at_rest):
    assert booth_action(event, staff=staff, current=current, at_rest=at_rest) in (None, "staff", "wake", "booth", "toast")


def test_a_staff_card_opens_staff_mode_once():
    tap = {"type": "register", "card": "Team 1", "mode": "books"}
    assert booth_action(tap, staff=False, current="home", at_rest=True) == "staff"
    assert booth_action(tap, staff=True, current="staff", at_rest=False) is None
