"""Opening hours: read once from station.toml, asked whether the office is open."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import config
from kiosk.hours import OpeningHours


def test_the_office_is_open_inside_its_hours_only():
    hours = OpeningHours.from_setting("Mo-Fr 09:00-17:00; Sa 10:00-13:00")
    assert hours.is_open(datetime(2026, 11, 25, 10, 0))        # a Wednesday
    assert not hours.is_open(datetime(2026, 11, 25, 18, 0))
    assert hours.is_open(datetime(2026, 11, 28, 12, 0))        # Saturday
    assert not hours.is_open(datetime(2026, 11, 29, 12, 0))    # Sunday


def test_german_day_names_and_a_range_over_the_weekend():
    hours = OpeningHours.from_setting("Sa-Di 08:00-24:00")
    assert hours.is_open(datetime(2026, 11, 30, 23, 30))       # Monday night
    assert not hours.is_open(datetime(2026, 11, 25, 12, 0))    # Wednesday


def test_no_hours_means_always_open():
    assert OpeningHours.from_setting("").is_open(datetime(2026, 11, 29, 3, 0))


def test_station_toml_gives_typed_hours_that_show_as_written():
    loaded = config.loads('[ui]\nopening_hours = "Mo 10:00-12:00"\n')
    assert loaded.ui.opening_hours.is_open(datetime(2026, 11, 30, 11, 0))
    assert str(loaded.ui.opening_hours) == "Mo 10:00-12:00"
    assert str(config.loads("").ui.opening_hours) == "Mo-Fr 09:00-17:00"


@given(st.text(max_size=60))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        OpeningHours.from_setting(text)
    except ValueError as exc:
        assert str(exc)


@pytest.mark.parametrize("text", ["Mo-Fr 9", "Xy 09:00-10:00", "Mo 25:00-26:00"])
def test_unreadable_hours_say_how_to_write_them(text):
    with pytest.raises(ValueError, match="write it like|use Mo Tu|impossible"):
        OpeningHours.from_setting(text)
