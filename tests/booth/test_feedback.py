"""LEDs and buzzer through gpiozero's own MockFactory: each moment has its own pattern.

What a child sees and hears is the sequence of on and off on each pin; how long each lasts
is gpiozero's timing and is measured, if at all, in bench/ — not here.
"""

import pytest

from kiosk.hardware.feedback import PATTERNS, Feedback, pin_factory_for

# The table in kiosk/hardware/feedback.py, counted: how often green, red and buzzer come on.
TIMES_ON = {
    "session": (1, 0, 1),
    "reminder": (1, 2, 1),
    "checkout": (2, 0, 2),
    "return": (1, 0, 1),
    "session_end": (1, 0, 0),
    "nothing": (1, 0, 0),
    "denied": (0, 3, 1),
    "register": (2, 2, 3),
}


@pytest.fixture
def feedback(mock_factory):
    with Feedback(17, 27, 22) as made:
        yield made


def played(feedback, factory, kind) -> tuple[list[bool], ...]:
    """Show `kind`, wait until it has finished, and return what each pin (green, red, buzzer) did."""
    pins = factory.pin(17), factory.pin(27), factory.pin(22)
    for pin in pins:
        pin.clear_states()
    feedback.show(kind)
    for device in (feedback.green, feedback.red, feedback.buzzer):
        # gpiozero plays a finite blink in the device's background thread, which then ends.
        thread = device._blink_thread
        if thread is not None:
            thread.join(10)
            assert not thread.is_alive(), f"{kind} is still playing after 10 s"
    return tuple([state.state for state in pin.states] for pin in pins)


def on_off(times: int) -> list[bool]:
    """A pin that starts off, comes on `times` times and ends off."""
    return [False] + [True, False] * times


def test_the_table_covers_every_pattern():
    assert TIMES_ON.keys() == PATTERNS.keys()


@pytest.mark.parametrize("kind", sorted(TIMES_ON))
def test_each_pattern_plays_its_blinks_and_ends_dark_and_quiet(feedback, mock_factory, kind):
    green, red, buzzer = TIMES_ON[kind]
    assert played(feedback, mock_factory, kind) == (on_off(green), on_off(red), on_off(buzzer))


def test_a_pattern_after_another_starts_from_dark(feedback, mock_factory):
    played(feedback, mock_factory, "denied")
    assert played(feedback, mock_factory, "checkout") == (on_off(2), on_off(0), on_off(2))


def test_an_unknown_pattern_is_refused_and_shows_nothing(feedback, mock_factory):
    with pytest.raises(KeyError):
        feedback.show("party")
    assert [pin.state for pin in (mock_factory.pin(17), mock_factory.pin(27), mock_factory.pin(22))] == [0, 0, 0]


def test_every_pattern_is_distinct():
    shapes = {(p.green, p.red, p.buzzer) for k, p in PATTERNS.items() if k != "nothing"}
    assert len(shapes) == len(PATTERNS) - 1


def test_emulated_reader_uses_mock_pins_unless_a_factory_is_named(monkeypatch):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    assert type(pin_factory_for("emulated")).__name__ == "MockFactory"
    assert pin_factory_for("mfrc522") is None
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    assert pin_factory_for("emulated") is None


def test_closed_feedback_says_so(mock_factory):
    feedback = Feedback(17, 27, 22)
    feedback.close()
    assert repr(feedback) == "<Feedback closed>"
