"""LEDs and buzzer through gpiozero's own MockFactory: distinct patterns, timed."""

import time

import pytest

from kiosk.hardware.feedback import PATTERNS, Feedback, pin_factory_for


@pytest.fixture
def feedback(mock_factory):
    with Feedback(17, 27, 22) as made:
        yield made


def pins(factory):
    return factory.pin(17), factory.pin(27), factory.pin(22)


def run(feedback, factory, kind, seconds):
    for pin in pins(factory):
        pin.clear_states()
    feedback.show(kind)
    time.sleep(seconds)
    return pins(factory)


def test_checkout_blinks_green_twice_and_pips_twice(feedback, mock_factory):
    green, red, buzzer = run(feedback, mock_factory, "checkout", 0.7)
    green.assert_states_and_times([(0.0, False), (0.0, True), (0.15, False), (0.1, True), (0.15, False)])
    assert [s.state for s in green.states] == [False, True, False, True, False]
    assert [s.state for s in buzzer.states] == [False, True, False, True, False]
    assert [s.state for s in red.states] == [False]


def test_denied_is_red_with_a_long_buzz(feedback, mock_factory):
    green, red, buzzer = run(feedback, mock_factory, "denied", 1.3)
    red.assert_states_and_times([(0.0, False), (0.0, True), (0.2, False), (0.15, True), (0.2, False),
                                 (0.15, True), (0.2, False)])
    buzzer.assert_states_and_times([(0.0, False), (0.0, True), (0.6, False)])
    assert [s.state for s in green.states] == [False]


def test_return_and_session_differ(feedback, mock_factory):
    green, _, buzzer = run(feedback, mock_factory, "return", 1.0)
    green.assert_states_and_times([(0.0, False), (0.0, True), (0.8, False)])
    buzzer.assert_states_and_times([(0.0, False), (0.0, True), (0.25, False)])
    green, _, buzzer = run(feedback, mock_factory, "session", 0.6)
    green.assert_states_and_times([(0.0, False), (0.0, True), (0.4, False)])
    buzzer.assert_states_and_times([(0.0, False), (0.0, True), (0.08, False)])


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
