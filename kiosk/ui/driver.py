"""Drive a KioskApp frame by frame without `App.run()`: for screenshot mode, tests and benchmarks.

`Driver` builds the app into Kivy's window, advances frames with
`EventLoop.idle()`, taps widgets with real touch events (Kivy's
`UnitTestTouch`, dispatched through the window like a finger), and renders
screens to PNG files at exactly the app's size.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from kivy.base import EventLoop
from kivy.uix.widget import Widget

from kiosk.ui.app import SCREENSHOT_SCREENS, KioskApp
from kiosk.ui.widgets import KLabel, Tap

log = logging.getLogger(__name__)


class Driver:
    """Runs one KioskApp under manual control (see module doc)."""

    def __init__(self, app: KioskApp, cleanup: Callable[[], None] | None = None):
        self.app = app
        self._cleanup = cleanup
        self.started = False

    @classmethod
    def for_config(cls, config, *, size, lang=None, sample=False, connect=True) -> "Driver":
        from kiosk.ui import sample as sample_data

        cleanup = None
        ideas = None
        if sample:
            folder = Path(tempfile.mkdtemp(prefix="kiosk-ui-sample-"))
            config = sample_data.config_in(config, folder)
            ideas = sample_data.ideas(config)
            sample_data.cover(config)
            cleanup = lambda: (ideas.close(), shutil.rmtree(folder, ignore_errors=True))  # noqa: E731
        app = KioskApp(config, size=size, lang=lang, connect=connect, ideas=ideas,
                       offers=sample_data.offers(config))
        driver = cls(app, cleanup)
        driver.start()
        if sample:
            sample_data.live(app)
            driver.pump(2)
        return driver

    # --- life cycle -----------------------------------------------------------------------------
    def start(self) -> "Driver":
        EventLoop.ensure_window()
        self.app._run_prepare()        # build, add to the window, on_start — what App.run() does first
        if self.app.forced_size:
            self.app.set_size(*self.app.forced_size)
        self.started = True
        self.pump(3)
        return self

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        app = self.app
        app.on_stop()
        from kivy.core.window import Window
        from kivy.clock import Clock
        Window.remove_widget(app.root)
        Window.unbind(on_flip=app._first_flip)     # stopped before its first frame
        for event in Clock.get_events():
            if getattr(event.callback, "__self__", None) is app:
                event.cancel()
        Clock.unschedule(app._tick)
        if app._ideas is not None and self._cleanup is None and app._ideas_arg is None:
            app._ideas.close()             # only if it was opened
        if app.store is not None and app._store_arg is None:
            app.store.close()
        if self._cleanup:
            self._cleanup()

    def __enter__(self) -> "Driver":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- frames ------------------------------------------------------------------------------------
    def pump(self, frames: int = 2) -> None:
        for _ in range(frames):
            EventLoop.idle()

    def until(self, predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(1)
            if predicate():
                return True
        return predicate()

    def catch_up(self, timeout: float) -> None:
        """Give the bus a bounded moment to connect and deliver retained values."""
        bus = self.app.bus
        if bus is None:
            return
        if self.until(lambda: bus.connected.is_set(), timeout):
            self.until(lambda: False, 0.6)
            self.app.live.poll_connection()

    # --- finding and touching ------------------------------------------------------------------------
    def walk(self, root: Widget | None = None) -> Iterator[Widget]:
        stack = [root or self.app.root_box]
        while stack:
            widget = stack.pop()
            yield widget
            stack.extend(widget.children)

    def visible(self) -> Iterator[Widget]:
        """Widgets of the bar, the current screen, the booth note and any open popup."""
        from kivy.core.window import Window
        app = self.app
        for child in Window.children:          # popups first: they lie on top
            if child is not app.root_box:
                yield from self.walk(child)
        yield from self.walk(app.bar)
        yield from self.walk(app.sm.current_screen)
        if app.toast.parent is not None:
            yield from self.walk(app.toast)

    def find(self, tag: str) -> Tap:
        found = [w for w in self.visible() if isinstance(w, Tap) and w.tag == tag]
        if not found:
            tags = sorted({w.tag for w in self.visible() if isinstance(w, Tap) and w.tag})
            raise LookupError(f"no button {tag!r} on {self.app.current}; there are {tags}")
        return found[0]

    def tap(self, target: Widget | str, frames: int = 3) -> None:
        from kivy.tests.common import UnitTestTouch

        self.pump(1)                       # let a rebuilt screen settle before aiming
        widget = self.find(target) if isinstance(target, str) else target
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.pump(1)
        touch.touch_up()
        self.pump(frames)

    def type_text(self, text: str) -> None:
        """Press the on-screen keys for `text` (shift for capitals, the symbols page for digits)."""
        screen = self.app.sm.current_screen
        keyboard = screen.keyboard
        for char in text:
            if char in keyboard.keys:
                self.tap(keyboard.keys[char], frames=1)
                continue
            lower = char.lower()
            if lower in keyboard.keys and char != lower:
                self.tap(keyboard.keys["shift"], frames=1)
                self.tap(keyboard.keys[char], frames=1)
                continue
            self.tap(keyboard.keys["symbols"], frames=1)
            self.tap(keyboard.keys[char], frames=1)
            self.tap(keyboard.keys["symbols"], frames=1)

    # --- checks ---------------------------------------------------------------------------------------
    def labels(self) -> list[KLabel]:
        return [w for w in self.visible() if isinstance(w, KLabel) and w.raw and w.opacity > 0]

    def overflowing(self) -> list[str]:
        """Labels on the current screen whose text does not fit their box, even at the smallest size."""
        out = []
        for label in self.labels():
            label.fit_now()
            if label.width < 4 or label.height < 4:
                out.append(f"{label.raw[:40]!r} has no room ({label.width:.0f}×{label.height:.0f})")
            elif label.overflow:
                need = label.needed()
                out.append(f"{label.raw[:40]!r} needs {need[0]}×{need[1]} in {label.width:.0f}×{label.height:.0f}")
        return out

    # --- screenshots -------------------------------------------------------------------------------------
    def show(self, name: str) -> str:
        """Put the app on main screen `name` (see SCREENSHOT_SCREENS) with state that shows it well."""
        from kiosk.ui.i18n import _
        app = self.app
        app.idle.at_rest = False
        app.staff = name.startswith("staff_") and name != "staff_pin"
        if name == "offer_list":
            app.query.clear()
        elif name == "offer":
            app.query.offer_id = next((o.id for o in app.offers if o.text("summary", app.lang)),
                                      app.offers[0].id if app.offers else None)
        elif name == "idea_text":
            app.draft.category = app.draft.category or "play"
            app.draft.text = app.draft.text or _("More benches at the playground, please!")
        elif name == "idea_contact":
            app.draft.category = app.draft.category or "play"
        elif name == "idea_thanks":
            thanks = app.screens.build("idea_thanks")
            thanks.number = thanks.number or 42
        if app.staff:
            staff = app.screens.build("staff")
            staff.tab = name.split("_", 1)[1]
            screen = "staff"
        else:
            screen = name
        app.history.clear()
        app.go(screen, remember=False)
        app.screens.build(screen).rebuild()
        app.bar.rebuild()
        self.pump(3)
        return screen

    def render(self, name: str, path: Path) -> Path:
        self.show(name)
        self.app.save_png(path)
        return path

    def render_all(self, folder: Path, names=SCREENSHOT_SCREENS) -> list[Path]:
        folder = Path(folder)
        paths = [self.render(name, folder / f"{name}.png") for name in names]
        self.app.staff = False
        self.app.draft.clear()
        self.app.go("home", remember=False)
        self.pump(1)
        return paths
