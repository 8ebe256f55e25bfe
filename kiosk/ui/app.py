"""The touch kiosk: `KioskApp` wires its rooms together — the screens (kiosk.ui.screens), the bar
on top (bar), idle reset and dimming (idle, dimmer, kiosk.hardware.backlight and .motion), the
offers (offer_loader), the bus (live), booth taps (booth_taps), toasts and the language choice.

Kivy must be configured before it is imported; `kiosk.ui.main.run` does that and
then imports this module. Tests set the same environment in their conftest.
"""

from __future__ import annotations

import logging
import os
import time
import zoneinfo
from datetime import datetime, timezone
from typing import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.errors import KioskError
from kiosk.hardware.backlight import Backlight
from kiosk.hardware.motion import open_motion_sensor
from kiosk.ui import i18n, text, theme
from kiosk.ui.background import Background
from kiosk.ui.bar import TopBar
from kiosk.ui.booth_taps import booth_action
from kiosk.ui.dimmer import Dimmer
from kiosk.ui.idle import Idle
from kiosk.ui.idle_warning import IdleWarning
from kiosk.ui.language_choice import open_language_choice
from kiosk.ui.offer_loader import OfferLoader
from kiosk.ui.speech import Speaker
from kiosk.usage import Counting, UsageStore
from kiosk.ui.staff import PinGuard
from kiosk.ui.theme import Metrics, rgb
from kiosk.ui.toast import Toast
from kiosk.ui.visit import Draft, new_visit
from kiosk.ui.widgets import drop_stencil

log = logging.getLogger(__name__)

LARGE_TEXT = 1.25
# Main screens in the order the screenshot mode renders them (file names DIR/<name>.png).
SCREENSHOT_SCREENS = ("home", "offers", "offer_list", "offer", "idea", "idea_text", "idea_contact", "idea_thanks",
                      "wall", "booth", "herbs", "staff_pin", "staff_alerts", "staff_plot", "staff_ideas",
                      "staff_loans", "staff_sensors")


class ScreenBox(ScreenManager):
    """The screen manager without Kivy's stencil clip: with no transition a screen never draws
    outside the box, and the clip cost two extra full-screen passes every frame."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        drop_stencil(self.canvas.before)
        drop_stencil(self.canvas.after)


class KioskRoot(FloatLayout):
    """Bar + screens, the booth toast and the dimming veil, in one box the size of the screen."""


class KioskApp(App):
    """The shop-window kiosk (see the module doc of kiosk.ui)."""

    title = "Batenbrock – Du bist gefragt!"

    def __init__(self, config, *, size: tuple[int, int] | None = None, lang: str | None = None,
                 connect: bool = True, clock: Callable[[], float] = time.time,
                 now: Callable[[], datetime] | None = None, ideas=None, offers=None, speaker=None,
                 pin_factory=None, store=None, **kwargs):
        super().__init__(**kwargs)
        self.station = config
        self.forced_size = size
        self.connect = connect
        self.clock = clock
        self.zone = zoneinfo.ZoneInfo(config.station.timezone)
        self._now = now
        self.i18n = i18n.current
        self.i18n.languages = tuple(config.station.languages)
        self.i18n.default = self.i18n.languages[0]
        self.i18n.lang = lang or self.i18n.default
        self.large_text = config.ui.large_text
        self.metrics = Metrics(*(size or (800, 480)), text=LARGE_TEXT if self.large_text else 1.0)
        self.draft = Draft()
        self.visit = new_visit()
        self.voice_used = False           # this visitor asked for read-aloud: the idle warning speaks too
        self.staff = False
        self.history: list[str] = []
        self.idle = Idle(config.ui, clock)
        self._ideas_arg, self._offers_arg, self._store_arg = ideas, offers, store
        self.speaker = speaker or Speaker()
        self._pin_factory = pin_factory
        self.bus = None
        self.pir = None
        self.offers: list = []
        self.offers_ready = False
        self.offer_loader = OfferLoader(config, self.on_ui_thread, self._offers_loaded)
        self.sm: ScreenBox | None = None
        self.screens = None               # kiosk.ui.screens.Screens, made in build()
        self.language_view = None
        self._quitting = False
        self._ideas = self._live = None
        self._ideas_tried = False
        self._first_frame_done = False
        self._deferred: list[Callable[[], None]] = []
        # Writes to ui.sqlite and the PIN's scrypt: never on the UI thread (see kiosk.ui.background).
        self.background = Background(self.on_ui_thread)
        self.usage = Counting(lambda: UsageStore.open(config), config.station.timezone, clock=clock)

    # --- time and language -------------------------------------------------------------------
    def now(self) -> datetime:
        return self._now() if self._now else datetime.now(timezone.utc)

    def local(self, moment: datetime | None = None) -> datetime:
        return (moment or self.now()).astimezone(self.zone)

    @staticmethod
    def on_ui_thread(fn: Callable[[], None]) -> None:
        """Run fn() on Kivy's main thread at the next frame (from any thread)."""
        Clock.schedule_once(lambda dt: fn(), 0)

    @property
    def lang(self) -> str:
        return self.i18n.lang

    @property
    def current(self) -> str:
        return self.sm.current if self.sm is not None else "home"

    # --- building ---------------------------------------------------------------------------------
    def build(self):
        # Only what the home screen needs is made here. The other screens, the ideas store and the
        # bus data (Live, which imports paho) are made when first used, after the first frame.
        from kiosk.ui.screens import Query, Screens
        from kiosk.ui.store import UiStore

        self.query = Query()
        self.fonts = text.Fonts.find()
        self.fonts.register()
        self.store = self._store_arg
        if self.store is None:
            try:
                self.store = UiStore.open(self.station)
            except KioskError as exc:
                log.warning("kiosk settings unavailable (%s); running without them", exc)
        self.guard = PinGuard(self.store, self.station.ui.staff_pin_hash,
                              lockout_s=self.station.ui.pin_lockout_s, clock=self.clock) \
            if self.store is not None else None
        if self._offers_arg is not None:
            self.offers, self.offers_ready = list(self._offers_arg), True

        Window.clearcolor = rgb(theme.PAPER)     # every screen's background (see KScreen)
        root = KioskRoot()
        if self.forced_size:
            root.size_hint = (None, None)
            root.size = self.forced_size
        self.frame = BoxLayout(orientation="vertical", size_hint=(1, 1), pos_hint={"x": 0, "y": 0})
        self.bar = TopBar(self)
        self.sm = ScreenBox(transition=NoTransition())
        self.screens = Screens(self, self.sm)
        self.screens.build("home")    # the first screen added is the one shown
        self.frame.add_widget(self.bar)
        self.frame.add_widget(self.sm)
        root.add_widget(self.frame)
        self.toast = Toast()
        self.idle_warning = IdleWarning()
        self.dimmer = Dimmer(Backlight.find(), size_hint=(1, 1), pos_hint={"x": 0, "y": 0})
        root.add_widget(self.dimmer)
        root.bind(size=self._resized)
        self.root_box = root
        # Measured, not laid out: on_start lays out once, for the size the window really has.
        self.metrics = Metrics(*map(int, self.forced_size or Window.size),
                               text=LARGE_TEXT if self.large_text else 1.0)
        self.i18n.on_change(lambda lang: self.relayout())
        return root

    @property
    def ideas(self):
        """The ideas store (kiosk.ideas.IdeaStore), opened on first use; None if it cannot be opened."""
        if self._ideas is None and not self._ideas_tried:
            self._ideas_tried = True
            self._ideas = self._ideas_arg if self._ideas_arg is not None else self._open_ideas()
        return self._ideas

    def _open_ideas(self):
        try:
            from kiosk.ideas import IdeaStore
            return IdeaStore.open(self.station)
        except (ImportError, KioskError) as exc:
            log.warning("ideas unavailable (%s); the idea screens say so", exc)
            return None

    @property
    def live(self):
        """What the kiosk knows from the bus (kiosk.ui.live.Live), made on first use."""
        if self._live is None:
            from kiosk.ui.live import Live

            self._live = Live(self.station, self.store, handoff=self.on_ui_thread, clock=self.clock,
                              background=self.background)
            self._live.listen(self._on_live)
        return self._live

    def on_start(self):
        Window.bind(on_touch_down=self._touched, on_request_close=self._close_requested,
                    on_keyboard=self._key, on_flip=self._first_flip)
        Clock.schedule_interval(self._tick, 1.0)
        self._start_pir()
        self.relayout()

    def _first_flip(self, *_):
        # The home screen needs neither offers nor the bus: draw it first, then load them. (A Clock
        # delay from on_start would not do: the Clock has not ticked since before the window was
        # made, so a delay counted from its last tick is often over before the first frame.)
        Window.unbind(on_flip=self._first_flip)
        Clock.schedule_once(self._after_first_frame, 0)

    def after_first_frame(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the first frame is on screen (now, if it already is): for finishing touches
        a passer-by cannot tell from the first frame, such as the Wi-Fi QR code."""
        if self._first_frame_done:
            fn()
        else:
            self._deferred.append(fn)

    def _after_first_frame(self, dt: float = 0.0) -> None:
        from kiosk.service import notify

        notify("READY=1")                 # systemd (Type=notify): the window is up
        self._first_frame_done = True
        for fn in self._deferred:
            fn()
        self._deferred.clear()
        self.screens.build_all()          # so the first tap on a tile finds its screen ready
        snapshot = os.environ.get("KIOSK_UI_SNAPSHOT")
        if snapshot:                      # `kiosk demo`'s test looks at what a passer-by sees first
            Clock.schedule_once(lambda dt: self.save_png(snapshot), 1.0)
        if not self.offers_ready:
            self.reload_offers()
        if self.connect and self.bus is None:
            self._start_bus()

    def on_stop(self):
        self.speaker.stop()
        self.usage.close()
        if self.bus is not None:
            self.bus.stop()
        if self._live is not None:
            self._live.flush()
        self.background.close()           # what was handed over is written before the store closes
        if self.pir is not None:
            self.pir.close()

    def save_png(self, path) -> None:
        """What the screen shows now, as a PNG file."""
        from kiosk.ui.snapshot import save_png

        save_png(self.root_box, path, rgb(theme.PAPER))

    # --- size and rebuilding -------------------------------------------------------------------------
    def _resized(self, root, size):
        if self.forced_size or (int(size[0]), int(size[1])) == (self.metrics.width, self.metrics.height):
            return
        self._apply_size(*size)

    def _apply_size(self, width: int, height: int) -> None:
        self.metrics = Metrics(int(width), int(height), text=LARGE_TEXT if self.large_text else 1.0)
        self.relayout()

    def set_size(self, width: int, height: int) -> None:
        """Show the kiosk at exactly width × height (screenshots, tests)."""
        self.forced_size = (width, height)
        self.root_box.size_hint = (None, None)
        self.root_box.size = (width, height)
        try:
            Window.size = (width, height)
        except Exception:  # noqa: BLE001 — some window providers refuse; the root box still has the size
            pass
        self._apply_size(width, height)

    def relayout(self) -> None:
        """Rebuild bar and screens for the current size, language and text size."""
        if self.sm is None:
            return
        for screen in self.screens.built():
            screen.dirty = True
        self.bar.rebuild()
        self.sm.current_screen.rebuild()
        self.toast.place(self.metrics, self.keyboard_open())
        self.idle_warning.place(self.metrics)

    def screen_title(self) -> str:
        screen = self.sm.current_screen if self.sm is not None else None
        return screen.title() if screen is not None else ""

    # --- navigation ---------------------------------------------------------------------------------
    def go(self, name: str, remember: bool = True) -> None:
        screen = self.screens.build(name)         # KeyError for an unknown name
        if name == self.sm.current:
            screen.rebuild()
            return
        if remember and (not self.history or self.history[-1] != self.sm.current):
            self.history.append(self.sm.current)
        self.speaker.stop()
        self.sm.current = name
        self.usage.screen(name)
        screen.rebuild()               # every visit shows fresh data in the current language
        self.bar.rebuild()
        self.toast.place(self.metrics, self.keyboard_open())

    def back(self) -> None:
        target = self.history.pop() if self.history else "home"
        if target == self.sm.current:
            target = "home"
        self.go(target, remember=False)

    def go_home(self) -> None:
        self.history.clear()
        if self.staff:
            self.leave_staff()
        self.go("home", remember=False)

    # --- language, text size, read aloud ------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.speaker.stop()
        self.i18n.set_language(lang)
        self.usage.language(lang)

    def choose_language(self) -> None:
        self.language_view = open_language_choice(self.metrics, self.i18n.languages, self.lang, self.set_language)

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self.usage.large_text(self.large_text)
        self._apply_size(self.metrics.width, self.metrics.height)

    def can_read_aloud(self) -> bool:
        """Whether the current screen can be read aloud in the current language (Arabic: no free text)."""
        from kiosk.languages import reads_free_text

        screen = self.sm.current_screen if self.sm is not None else None
        return screen is None or not screen.free_text or reads_free_text(self.lang)

    def spoken_text(self) -> str:
        """What read-aloud says on the current screen: its texts as they are said (kiosk.ui.i18n)."""
        with self.i18n.speaking():
            return self.sm.current_screen.speech_text()

    def read_aloud(self) -> None:
        if self.speaker.speaking():
            self.speaker.stop()
            return
        if not self.can_read_aloud():
            return
        self.voice_used = True
        self.speaker.say(self.spoken_text(), self.lang)
        self.usage.read_aloud()

    # --- idle, dimming, staff ----------------------------------------------------------------------------
    def _touched(self, window, touch):
        self.idle.touched()
        if self.dimmer.active:
            self.dimmer.set(False)
            return True          # the first touch only wakes the screen
        if self.idle_warning.shown:
            self.idle_warning.hide()
            self.speaker.stop()
            return True          # "still there": everything stays, and the finger types nothing
        return False

    def wake(self) -> None:
        """Motion in front of the window (PIR) or a booth tap: brighten, keep the current screen."""
        self.dimmer.set(False)
        self.idle.moved()

    def _tick(self, dt: float = 0.0) -> None:
        from kiosk.service import notify

        notify("WATCHDOG=1")              # the main loop turns: tell systemd's watchdog
        if self.offers_ready:
            self.offer_loader.tick()
        if self.idle.reset_due():
            self.idle_reset()
        self._warn_idle()
        if not self.dimmer.active and self.idle.dim_due(self.local()):
            self.dimmer.set(True)
        if self._live is not None:
            self._live.poll_connection()
        self.sm.current_screen.tick()

    def _warn_idle(self) -> None:
        left = self.idle.warning_left(losing=self._something_to_lose())
        if left is None:
            if self.idle_warning.shown:
                self.speaker.stop()
            self.idle_warning.hide()
            return
        first = not self.idle_warning.shown
        self.idle_warning.show(left, self.lang, self.metrics, self.root_box, index=1)   # under the veil
        if first and self.voice_used:
            # Someone who listens may not be looking: say it once. Nobody who never asked is spoken to.
            with self.i18n.speaking():
                self.speaker.say(self.idle_warning.speech_text(), self.lang)

    def _something_to_lose(self) -> bool:
        """Would an idle reset now throw away anything the visitor chose or typed?"""
        return (self.current != "home" or self.staff or self.lang != self.i18n.default
                or self.large_text != self.station.ui.large_text or bool(self.draft.text or self.draft.contact))

    def idle_reset(self) -> None:
        """Back to the start for the next passer-by: home, default language, nothing half-typed kept."""
        self.idle.rested()
        self.usage.idle_reset()
        self.idle_warning.hide()
        self.draft.clear()
        self.query.clear()
        self.visit = new_visit()
        self.voice_used = False
        self.speaker.stop()
        if self.language_view is not None:
            self.language_view.dismiss()
        self.staff = False
        for screen in self.screens.built():
            screen.reset()
        self.history.clear()
        if self.large_text != self.station.ui.large_text:
            self.large_text = not self.large_text
            self.metrics = Metrics(self.metrics.width, self.metrics.height,
                                   text=LARGE_TEXT if self.large_text else 1.0)
        if self.lang != self.i18n.default:
            self.i18n.set_language(self.i18n.default)     # relayouts
        else:
            self.relayout()
        self.go("home", remember=False)

    def open_staff(self) -> None:
        self.staff = True
        self.idle.touched()
        self.wake()
        self.history.clear()
        self.screens.build("staff").tab = "alerts"
        self.go("staff", remember=False)

    def leave_staff(self) -> None:
        self.staff = False
        if self.current.startswith("staff"):
            self.go("home", remember=False)

    def quit_kiosk(self) -> None:
        """Only from staff mode: close the kiosk (systemd or the autostart brings it back)."""
        if self.staff:
            self._quitting = True
            self.stop()

    def _close_requested(self, *args, **kwargs):
        return not self._quitting     # True blocks closing

    def _key(self, window, key, *args):
        return key == 27       # swallow Escape (and Android back)

    # --- data --------------------------------------------------------------------------------------------
    def reload_offers(self) -> None:
        """Read offers.toml and the calendar feeds again (see kiosk.ui.offer_loader)."""
        self.offer_loader.reload()

    def _offers_loaded(self, offers: list | None) -> None:
        if offers is None:                # a broken reload keeps what the screen shows
            if self.offers_ready:
                return
            offers = []
        self.offers, self.offers_ready = offers, True
        for name in ("home", "offers", "offer_list", "offer"):
            screen = self.screens.if_built(name)
            if screen is not None:
                screen.dirty = True
                if self.current == name:
                    screen.rebuild()

    def _start_bus(self) -> None:
        from kiosk.bus import Bus

        try:
            self.bus = Bus(self.station, "ui")
            self.live.attach(self.bus)
            self.usage.publish_to(lambda payload: self.bus.publish(self.bus.topics.ui_usage(), payload, retain=True))
            self.bus.start()
        except KioskError as exc:
            log.warning("bus unavailable (%s); showing what the kiosk last knew", exc)

    def _start_pir(self) -> None:
        self.pir = open_motion_sensor(self.station.ui.pir_pin, lambda: self.on_ui_thread(self.wake),
                                      pin_factory=self._pin_factory)

    def _on_live(self, kind: str, key) -> None:
        if kind == "booth_event":
            self._booth_event(key)
        for screen in self.screens.built():
            screen.live_changed(kind, key)

    def _booth_event(self, event) -> None:
        action = booth_action(event, staff=self.staff, current=self.current, at_rest=self.idle.at_rest)
        if action == "staff":
            self.open_staff()
            return
        if action is None:
            return
        self.wake()
        if action == "booth":
            self.idle.touched()
            self.go("booth", remember=self.current != "booth")
        elif action == "toast":
            self.show_toast(self.screens.build("booth").event_text(event))

    def show_toast(self, message: str) -> None:
        self.toast.show(message, self.lang, self.metrics, self.root_box, index=1,   # under the dimming veil
                        over_bar=self.keyboard_open())

    def keyboard_open(self) -> bool:
        """True while the current screen shows the on-screen keyboard (someone may be typing)."""
        screen = self.sm.current_screen if self.sm is not None else None
        keyboard = getattr(screen, "keyboard", None)
        return keyboard is not None and keyboard.parent is not None
