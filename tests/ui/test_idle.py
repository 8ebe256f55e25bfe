"""When the kiosk goes home and when it dims — the policy alone, on a clock moved by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk import config
from kiosk.ui.idle import Idle
from tests.ui.conftest import FakeClock

WEDNESDAY_NOON = datetime(2026, 11, 25, 12, 0)
WEDNESDAY_NIGHT = datetime(2026, 11, 25, 22, 0)


def idle_for(clock, hours="Mo-Fr 09:00-17:00"):
    ui = config.loads(f'[ui]\nidle_reset_s = 60\ndim_after_s = 300\nopening_hours = "{hours}"\n').ui
    return Idle(ui, clock)


@pytest.fixture
def touched():
    """An idle clock just after a touch, and the clock that moves it."""
    clock = FakeClock()
    idle = idle_for(clock)
    idle.touched()
    return clock, idle


def test_an_untouched_kiosk_has_nothing_to_forget():
    clock = FakeClock()
    idle = idle_for(clock)
    clock.advance(3600)
    assert not idle.reset_due()


def test_a_minute_after_the_last_touch_the_kiosk_goes_home_once(touched):
    clock, idle = touched
    clock.advance(59)
    assert not idle.reset_due()
    clock.advance(1)
    assert idle.reset_due()
    idle.rested()
    assert not idle.reset_due()


def test_the_screen_dims_later_while_the_office_is_open(touched):
    clock, idle = touched
    clock.advance(60)
    assert idle.dim_due(WEDNESDAY_NIGHT) and not idle.dim_due(WEDNESDAY_NOON)
    clock.advance(240)
    assert idle.dim_due(WEDNESDAY_NOON)


def test_motion_keeps_the_screen_bright_but_still_lets_the_kiosk_go_home(touched):
    clock, idle = touched
    clock.advance(290)
    idle.moved()
    clock.advance(20)
    assert not idle.dim_due(WEDNESDAY_NOON)
    assert idle.reset_due()


def test_the_last_fifteen_seconds_warn_with_a_countdown_and_a_touch_starts_the_minute_again(touched):
    clock, idle = touched
    clock.advance(44)
    assert idle.warning_left(losing=True) is None
    clock.advance(1.5)
    assert idle.warning_left(losing=True) == 15
    clock.advance(14)
    assert idle.warning_left(losing=True) == 1
    idle.touched()
    assert idle.warning_left(losing=True) is None and not idle.reset_due()
    clock.advance(59)
    assert not idle.reset_due()


def test_no_warning_when_a_reset_would_lose_nothing(touched):
    clock, idle = touched
    clock.advance(50)
    assert idle.warning_left(losing=False) is None
    idle.rested()
    assert idle.warning_left(losing=True) is None


def test_a_short_idle_time_warns_for_its_last_half():
    clock = FakeClock()
    ui = config.loads('[ui]\nidle_reset_s = 20\ndim_after_s = 300\nopening_hours = ""\n').ui
    idle = Idle(ui, clock)
    idle.touched()
    clock.advance(9)
    assert idle.warning_left(losing=True) is None
    clock.advance(2)
    assert idle.warning_left(losing=True) == 9
