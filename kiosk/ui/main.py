"""`kiosk ui`: configure Kivy for a kiosk (before Kivy is imported), then run or take screenshots.

Kivy reads its settings when it is first imported, so nothing here imports Kivy
at module level. The kiosk runs full screen without a frame; Escape and the
window's close request are ignored; staff close it from staff mode.
"""

from __future__ import annotations

import logging
import os
import re
import signal
from pathlib import Path

from kiosk import logs
from kiosk.errors import ConfigError, DeviceNotReady

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (800, 480)
BROKER_WAIT_S = 1.5        # screenshot mode: at most this long for the broker's retained values


def parse_size(text: str) -> tuple[int, int]:
    """"800x480" -> (800, 480); raises ConfigError naming --size."""
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not match:
        raise ConfigError("--size", f"{text!r} is not a size", "write it as WIDTHxHEIGHT, e.g. 800x480")
    width, height = int(match[1]), int(match[2])
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise ConfigError("--size", f"{width}x{height} is out of range", "use 200 to 8000 pixels per side")
    return width, height


def prepare_kivy(*, fullscreen: bool, size: tuple[int, int] | None, screenshot: bool = False,
                 rotation: int = 0) -> None:
    """Set Kivy's environment and Config for a kiosk; call before anything imports kivy."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")       # never read or write ~/.kivy/config.ini
    os.environ.setdefault("KIVY_NO_FILELOG", "1")      # journald keeps the log, not the SD card
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # SDL2 only: where it finds no display, Kivy would try its old x11 window, which ends the process
    # (exit code 102) with nothing but "Couldn't connect to X server".
    os.environ.setdefault("KIVY_WINDOW", "sdl2")
    if not screenshot:
        # Real displays only: without one SDL falls back to an invisible "offscreen" window, and the
        # kiosk would run with the shop window dark. open_window then says what is missing.
        os.environ.setdefault("SDL_VIDEODRIVER", "x11,wayland,kmsdrm")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "resizable", "0" if fullscreen or screenshot else "1")
    Config.set("graphics", "rotation", str(rotation))
    Config.set("graphics", "maxfps", "0" if screenshot else "30")
    if size:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))


def open_window():
    """Kivy's window (made on first import); raises DeviceNotReady naming the cause when no window
    provider can open one — no display, or the wrong video driver for this machine.

    Kivy itself only logs a multi-line report with tracebacks and leaves `Window` None, and the app
    would then end on an AttributeError far from the cause. Call after prepare_kivy.
    """
    kivy_log = logging.getLogger("kivy")
    failure = _WindowFailure()
    kivy_log.addFilter(failure)
    try:
        from kivy.core.window import Window
    finally:
        kivy_log.removeFilter(failure)
    if Window is None:
        cause = "; ".join(failure.causes) or "no window provider works here"
        raise DeviceNotReady("display", f"no window can be opened ({cause})",
                             "check that the display is connected (cable) and switched on, DISPLAY on a desktop, "
                             "KIVY_WINDOW and SDL_VIDEODRIVER without one (see docs/ui.md)")
    return Window


class _WindowFailure(logging.Filter):
    """Holds back Kivy's report that no window provider worked, keeping the cause it names per provider."""

    def __init__(self):
        super().__init__()
        self.causes: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno < logging.CRITICAL or "Unable to find any valuable Window provider" not in message:
            return True
        for line in message.splitlines()[1:]:
            # "sdl2 - RuntimeError: b'kmsdrm not available'" (SDL's error comes as bytes)
            found = re.fullmatch(r"(\w+) - \w+: (?:b(['\"])(.*)\2|(.*))", line.strip())
            if found:
                self.causes.append(f"{found[1]}: {found[3] if found[3] is not None else found[4]}")
        log.debug("%s", message)
        return False


def run(config, args) -> int:
    """Entry point of `kiosk ui`."""
    size = parse_size(args.size) if args.size else None
    lang = args.lang
    if lang and lang not in config.station.languages:
        raise ConfigError("--lang", f"{lang!r} is not one of this station's languages",
                          "use one of " + ", ".join(config.station.languages))
    logs.setup("ui")
    if args.screenshot:
        return screenshot(config, Path(args.screenshot), size or SCREENSHOT_SIZE, lang, sample=args.sample)
    fullscreen = config.ui.fullscreen and size is None
    prepare_kivy(fullscreen=fullscreen, size=size or (None if fullscreen else SCREENSHOT_SIZE),
                 rotation=config.ui.rotation)
    open_window()
    from kivy.clock import Clock

    from kiosk.ui.app import KioskApp

    app = KioskApp(config, lang=lang)

    def stop(signum, frame):
        # SDL turns SIGTERM into a close request, which the kiosk refuses (passers-by must not close it):
        # `systemctl stop` would wait out its time-out and kill the kiosk before it wrote what it holds.
        log.info("stopping on %s", signal.Signals(signum).name)
        Clock.schedule_once(lambda dt: app.stop(), 0)

    signal.signal(signal.SIGTERM, stop)
    app.run()
    return 0


def screenshot(config, folder: Path, size: tuple[int, int], lang: str | None, sample: bool = False) -> int:
    """Render every main screen to folder/<screen>.png at exactly `size`, then exit."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("--screenshot", f"cannot create {folder}: {exc}", "choose a folder you can write to") from None
    prepare_kivy(fullscreen=False, size=size, screenshot=True)
    open_window()
    from kiosk.ui.driver import Driver

    with Driver.for_config(config, size=size, lang=lang, sample=sample, connect=not sample) as driver:
        if not sample:
            driver.catch_up(BROKER_WAIT_S)
        paths = driver.render_all(folder)
    for path in paths:
        print(path)
    return 0
