"""What a booth tap does to the kiosk in the window, whatever the kiosk is showing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.booth.messages import EVENT_TYPES, BoothEvent
from kiosk.errors import BadMessage
from kiosk.ui.booth_taps import booth_action

TS = "2026-12-02T10:00:00Z"


def event(**payload) -> BoothEvent:
    return BoothEvent.from_payload({"ts": TS, **payload})


LOAN = event(type="checkout", card="Lesefuchs 17", book={"id": 3, "title": "Das Sams"})


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
    assert booth_action(event(type="session_end"), staff=False, current="home", at_rest=True) is None


VALUES = st.one_of(st.none(), st.text(max_size=8), st.integers(), st.booleans())


@given(st.fixed_dictionaries({"type": st.sampled_from(EVENT_TYPES + ("nonsense",))},
                             optional={key: VALUES for key in ("card", "reason", "mode", "kind", "loans")}),
       st.booleans(), st.sampled_from(["home", "booth", "wall", "staff"]), st.booleans())
def test_any_event_gets_an_answer_not_an_exception(payload, staff, current, at_rest):
    """What comes off the bus is either refused as a bad message or gets one of the answers."""
    try:
        received = BoothEvent.from_payload({"ts": TS, **payload})
    except BadMessage:
        return
    assert booth_action(received, staff=staff, current=current, at_rest=at_rest) in (None, "staff", "wake", "booth", "toast")


def test_a_staff_card_opens_staff_mode_once():
    tap = event(type="register", card="Team 1", mode="books")
    assert booth_action(tap, staff=False, current="home", at_rest=True) == "staff"
    assert booth_action(tap, staff=True, current="staff", at_rest=False) is None
