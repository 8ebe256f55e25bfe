"""Every main screen at 800×480, 1280×800 and 720×1280 in every language: exact PNG size, no text overflow."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from kiosk.ui.app import SCREENSHOT_SCREENS
from kiosk.ui.driver import Driver

from tests.ui.conftest import ROOT, write_config

SIZES = ((800, 480), (1280, 800), (720, 1280))
LANGS = ("de", "en", "tr", "ar", "uk")


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_every_screen_in_every_size_and_language(module_dir):
    config = write_config(module_dir)
    problems = []
    with Driver.for_config(config, size=SIZES[0], sample=True, connect=False) as driver:
        for width, height in SIZES:
            driver.app.set_size(width, height)
            for lang in LANGS:
                driver.app.set_language(lang)
                folder = module_dir / f"{width}x{height}" / lang
                folder.mkdir(parents=True)
                for name in SCREENSHOT_SCREENS:
                    path = driver.render(name, folder / f"{name}.png")
                    assert png_size(path) == (width, height), path
                    problems += [f"{width}x{height} {lang} {name}: {p}" for p in driver.overflowing()]
    assert problems == [], "\n".join(problems[:40])


def run_cli(*args, timeout=90):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("with_broker", [False, True])
def test_screenshot_command_with_and_without_broker(tmp_path, with_broker, request):
    if with_broker:
        broker = request.getfixturevalue("broker")
        port = broker.port
    else:
        from kiosk.bus.broker import free_port
        port = free_port()                      # nobody listens there
    config = write_config(tmp_path, port=port)
    result = run_cli("--config", config.source, "ui", "--screenshot", str(tmp_path / "shots"), "--size", "720x1280",
                     "--lang", "ar")
    assert result.returncode == 0, result.stderr[-2000:]
    for name in SCREENSHOT_SCREENS:
        assert png_size(tmp_path / "shots" / f"{name}.png") == (720, 1280)


def test_screenshot_command_refuses_bad_size(tmp_path):
    config = write_config(tmp_path)
    result = run_cli("--config", config.source, "ui", "--screenshot", str(tmp_path), "--size", "big")
    assert result.returncode == 2 and "--size" in result.stderr and "Traceback" not in result.stderr
