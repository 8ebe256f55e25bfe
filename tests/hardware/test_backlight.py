"""The display's backlight: dimmed to a tenth and back, on a sysfs tree of real files."""

from __future__ import annotations

import logging

from kiosk.hardware.backlight import Backlight


def panel(root, name="10-0045", level="200", maximum="255"):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "brightness").write_text(level + "\n")
    if maximum is not None:
        (folder / "max_brightness").write_text(maximum + "\n")
    return folder


def test_dimming_turns_the_light_down_and_back_to_where_it_was(tmp_path):
    folder = panel(tmp_path)
    light = Backlight.find(tmp_path)
    light.set_dim(True)
    assert (folder / "brightness").read_text() == "25"
    light.set_dim(False)
    assert (folder / "brightness").read_text() == "200"


def test_a_dim_panel_never_goes_dark(tmp_path):
    folder = panel(tmp_path, level="3", maximum="5")
    Backlight.find(tmp_path).set_dim(True)
    assert (folder / "brightness").read_text() == "1"


def test_no_backlight_is_none(tmp_path):
    assert Backlight.find(tmp_path) is None


def test_a_panel_that_refuses_is_left_alone_after_one_log_line(tmp_path, caplog):
    folder = panel(tmp_path, maximum=None)          # a driver without max_brightness
    light = Backlight.find(tmp_path)
    with caplog.at_level(logging.INFO, logger="kiosk.hardware.backlight"):
        light.set_dim(True)
        (folder / "max_brightness").write_text("255\n")
        light.set_dim(True)
        light.set_dim(False)
    assert (folder / "brightness").read_text() == "200\n"
    assert len(caplog.records) == 1 and "not adjustable" in caplog.records[0].getMessage()
