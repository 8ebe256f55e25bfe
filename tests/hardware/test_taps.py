import pytest

from kiosk.hardware.rfid import GONE, TAP, TagEvent, TapTracker

A, B = b"\x01\x02\x03\x04", b"\x05\x06\x07\x08"


def test_first_sighting_is_a_tap_and_lying_card_is_not_tapped_again():
    tracker = TapTracker(miss_limit=3)
    assert tracker.update([A]) == [TagEvent(TAP, A)]
    for _ in range(10):
        assert tracker.update([A]) == []
    assert tracker.present == {A}


def test_gone_after_miss_limit_consecutive_misses_only():
    tracker = TapTracker(miss_limit=3)
    tracker.update([A])
    assert tracker.update([]) == []
    assert tracker.update([]) == []
    assert tracker.update([A]) == []  # a flicker resets the count
    assert tracker.update([]) == []
    assert tracker.update([]) == []
    assert tracker.update([]) == [TagEvent(GONE, A)]
    assert tracker.update([A]) == [TagEvent(TAP, A)]


def test_two_tags_independently():
    tracker = TapTracker(miss_limit=1)
    assert tracker.update([A, B]) == [TagEvent(TAP, A), TagEvent(TAP, B)]
    assert tracker.update([B]) == [TagEvent(GONE, A)]
    assert tracker.forget() == [TagEvent(GONE, B)]


def test_miss_limit_must_be_positive():
    with pytest.raises(ValueError):
        TapTracker(miss_limit=0)
