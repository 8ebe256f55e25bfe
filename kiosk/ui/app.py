"""The touch kiosk: `KioskApp`, its screens, the bar on top, idle reset, dimming and the bus.

Kivy must be configured before it is imported; `kiosk.ui.main.run` does that and
then imports this module. Tests set the same environment in their conftest.
"""

from __future__ import annotations

import logging
import os
import time
import zoneinfo
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.widget import Widget

from kiosk.errors import KioskError
from kiosk.ui import hours, i18n, text, theme
from kiosk.ui.background import Background
from kiosk.ui.i18n import _, LANGUAGE_NAMES
from kiosk.ui.icons import Icon
from kiosk.ui.speech import Speaker
from kiosk.ui.staff import PinGuard, is_staff_card_tap
from kiosk.ui.theme import Metrics, rgb
from kiosk.ui.widgets import KLabel, Panel, Tap, button, drop_stencil

log = logging.getLogger(__name__)

TOAST_S = 8.0
OFFERS_RELOAD_S = 6 * 3600   # offers.toml and calendar feeds are read again this often
LARGE_TEXT = 1.25
# Main screens in the order the screenshot mode renders them (file names DIR/<name>.png).
SCREENSHOT_SCREENS = ("home", "offers", "offer_list", "offer", "idea", "idea_text", "idea_contact", "idea_thanks",
                      "wall", "booth", "herbs", "staff_pin", "staff_alerts", "staff_plot", "staff_ideas",
                      "staff_loans", "staff_sensors")


def new_visit() -> str:
    """A random id for one visitor's visit (+1s count once per visit). 128 random bits as hex, like
    uuid4().hex; the uuid module is not imported because it costs milliseconds before the first frame."""
    return os.urandom(16).hex()


class Draft:
    """The idea being written: forgotten on every idle reset."""

    def __init__(self) -> None:
        self.category = ""
        self.text = ""
        self.contact = ""
        self.consent = False
        self.error = ""

    def clear(self) -> None:
        self.__init__()


class TopBar(BoxLayout):
    """Home, back, the screen's title, large text, language and read aloud — on every screen."""

    def __init__(self, app: "KioskApp", **kwargs):
        super().__init__(orientation="horizontal", size_hint_y=None, **kwargs)
        self.app = app
        with self.canvas.before:
            Color(*rgb(theme.BAR))
            self._bg = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        self.buttons: dict[str, Tap] = {}
        self.title: KLabel | None = None

    def _paint(self, *_):
        self._bg.pos, self._bg.size = self.pos, self.size

    def rebuild(self) -> None:
        app, m = self.app, self.app.metrics
        self.clear_widgets()
        self.height = m.bar
        self.padding = m.px(5)
        self.spacing = m.px(6)
        lang, rtl = app.lang, text.is_rtl(app.lang)
        compact = m.width / m.scale < 700
        fg = rgb(theme.ON_DARK)
        font = m.font(19)
        on_home = app.current == "home"

        def bar_button(tag, icon, words, action, width_units, selected=False, data=False, icon_only=False):
            if compact or icon_only:
                b = Tap(bg=rgb(theme.BAR), radius=m.px(10), padding=m.px(9), action=action, tag=tag,
                        size_hint_x=None, width=m.touch + m.px(6), border=rgb("#3D6A8C"), selected=selected)
                b.add_widget(Icon(name=icon, colour=fg, mirror=rtl and icon == "back"))
            else:
                b = button(text=words, lang=lang, colour=rgb(theme.BAR), fg=fg, action=action, font=font,
                           icon=icon, rtl=rtl, tag=tag, size_hint_x=None, width=m.px(width_units),
                           border=rgb("#3D6A8C"), selected=selected, data=data)
            self.buttons[tag] = b
            return b

        left = [bar_button("home", "home", _("Start"), app.go_home, 118)]
        if not on_home:
            left.append(bar_button("back", "back", _("Back"), app.back, 64, icon_only=True))
        self.title = KLabel(raw=app.screen_title(), lang=lang, color=fg, max_font=m.font(24), min_font=m.font(14),
                            bold=True, align="center")
        right = [bar_button("textsize", "textsize", _("Bigger text"), app.toggle_large_text, 64,
                            selected=app.large_text, icon_only=True),
                 bar_button("language", "globe", LANGUAGE_NAMES.get(lang, lang), app.choose_language, 160, data=True),
                 bar_button("speak", "speaker", _("Read aloud"), app.read_aloud, 160)]
        for widget in (right[::-1] + [self.title] + left[::-1]) if rtl else (left + [self.title] + right):
            self.add_widget(widget)

    def set_title(self, title: str) -> None:
        if self.title is not None:
            self.title.raw = title


class Dimmer(Widget):
    """A dark veil over everything (and the backlight turned down where the Pi lets us)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.active = False
        # Drawn only while dimmed: a transparent veil would still cost a full layer of pixels.
        self._colour = Color(0, 0, 0, 0.85)
        self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        self._backlight = _find_backlight()
        self._bright = None

    def _paint(self, *_):
        self._rect.pos, self._rect.size = self.pos, self.size

    def set(self, dim: bool) -> None:
        if dim == self.active:
            return
        self.active = dim
        if dim:
            self.canvas.add(self._colour)
            self.canvas.add(self._rect)
        else:
            self.canvas.clear()
        if self._backlight:
            try:
                if dim:
                    self._bright = self._backlight.read_text().strip()
                    maximum = int((self._backlight.parent / "max_brightness").read_text())
                    self._backlight.write_text(str(max(1, maximum // 10)))
                elif self._bright:
                    self._backlight.write_text(self._bright)
            except (OSError, ValueError) as exc:
                log.info("backlight not adjustable (%s); dimming with the veil only", exc)
                self._backlight = None

    def on_touch_down(self, touch):
        return self.active      # the waking touch does nothing else

    def on_touch_move(self, touch):
        return self.active

    def on_touch_up(self, touch):
        return self.active


def _find_backlight() -> Path | None:
    for path in sorted(Path("/sys/class/backlight").glob("*/brightness")):
        try:
            with open(path, "a"):
                return path
        except OSError:
            continue
    return None


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
        self.start_lang = self.i18n.lang
        self.large_text = bool(getattr(config.ui, "large_text", False))
        self.metrics = Metrics(*(size or (800, 480)), text=LARGE_TEXT if self.large_text else 1.0)
        self.draft = Draft()
        self.visit = new_visit()
        self.staff = False
        self.history: list[str] = []
        self.last_touch = clock()
        self.at_rest = True
        self._ideas_arg, self._offers_arg, self._store_arg = ideas, offers, store
        self.speaker = speaker or Speaker()
        self._pin_factory = pin_factory
        self.opening = hours.parse(config.ui.opening_hours) if hours.check(config.ui.opening_hours) is None else []
        self.bus = None
        self.pir = None
        self.offers: list = []
        self.offers_ready = False
        self._offers_due = float("inf")
        self._offers_loading: float | None = None   # when the running loader started (monotonic s)
        self._offers_again = False      # a reload was asked for while one ran
        self._offers_watch = None       # notices an edited offers.toml (kiosk.offers.OffersWatch)
        self.screens: dict[str, object] = {}
        self._toast_event = None
        self._ideas = self._live = None
        self._ideas_tried = False
        self._first_frame_done = False
        self._deferred: list[Callable[[], None]] = []
        # Writes to ui.sqlite and the PIN's scrypt: never on the UI thread (see kiosk.ui.background).
        self.background = Background(self.on_ui_thread)

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
        return self.sm.current if getattr(self, "sm", None) else "home"

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
                              lockout_s=getattr(self.station.ui, "pin_lockout_s", 300), clock=self.clock) \
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
        self.screens["home"]          # the first screen added is the one shown
        self.frame.add_widget(self.bar)
        self.frame.add_widget(self.sm)
        root.add_widget(self.frame)
        # On screen only while shown: even at opacity 0 Kivy would draw it every frame.
        self.toast = Panel(orientation="horizontal", size_hint=(None, None), bg=rgb(theme.PURPLE))
        self.dimmer = Dimmer(size_hint=(1, 1), pos_hint={"x": 0, "y": 0})
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
        self.screens.make_all()           # so the first tap on a tile finds its screen ready
        snapshot = os.environ.get("KIOSK_UI_SNAPSHOT")
        if snapshot:                      # `kiosk demo`'s test looks at what a passer-by sees first
            Clock.schedule_once(lambda dt: self.save_png(snapshot), 1.0)
        if not self.offers_ready:
            self.reload_offers()
        if self.connect and self.bus is None:
            self._start_bus()

    def on_stop(self):
        self.speaker.stop()
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
        if not getattr(self, "sm", None):
            return
        for screen in self.screens.values():
            screen.dirty = True
        self.bar.rebuild()
        current = self.screens.get(self.sm.current)
        if current is not None:
            current.rebuild()
        self._place_toast()

    def screen_title(self) -> str:
        screen = self.screens.get(self.current)
        return screen.title() if screen is not None else ""

    # --- navigation ---------------------------------------------------------------------------------
    def go(self, name: str, remember: bool = True) -> None:
        if name not in self.screens:
            raise KeyError(f"no screen {name!r}")
        if name == self.sm.current:
            self.screens[name].rebuild()
            return
        if remember and (not self.history or self.history[-1] != self.sm.current):
            self.history.append(self.sm.current)
        self.speaker.stop()
        screen = self.screens[name]
        self.sm.current = name
        screen.rebuild()               # every visit shows fresh data in the current language
        self.bar.rebuild()

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

    def choose_language(self) -> None:
        from kivy.uix.modalview import ModalView

        m = self.metrics
        view = ModalView(size_hint=(None, None), size=(min(m.width * 0.9, m.px(560)), min(m.height * 0.9, m.px(420))),
                         background_color=(0, 0, 0, 0.6), auto_dismiss=True)
        box = Panel(orientation="vertical", padding=m.px(12), spacing=m.px(8), bg=rgb(theme.PAPER))
        for code in self.i18n.languages:
            b = button(text=LANGUAGE_NAMES.get(code, code), lang=code, colour=rgb(theme.BAR if code == self.lang else theme.CARD),
                       fg=rgb(theme.ON_DARK if code == self.lang else theme.INK), font=m.font(26),
                       action=lambda c=code: (view.dismiss(), self.set_language(c)), tag=f"lang:{code}",
                       border=rgb(theme.LINE), data=True)
            box.add_widget(b)
        view.add_widget(box)
        self.language_view = view
        view.open()

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self._apply_size(self.metrics.width, self.metrics.height)

    def read_aloud(self) -> None:
        screen = self.screens.get(self.current)
        if screen is None:
            return
        if self.speaker.speaking():
            self.speaker.stop()
            return
        self.speaker.say(screen.speech_text(), self.lang)

    # --- idle, dimming, staff ----------------------------------------------------------------------------
    def _touched(self, window, touch):
        self.last_touch = self.clock()
        self.at_rest = False
        if self.dimmer.active:
            self.dimmer.set(False)
            return True          # the first touch only wakes the screen
        return False

    def wake(self) -> None:
        """Motion in front of the window (PIR) or a booth tap: brighten, keep the current screen."""
        self.dimmer.set(False)
        self._woken = self.clock()

    def _tick(self, dt: float = 0.0) -> None:
        from kiosk.service import notify

        notify("WATCHDOG=1")              # the main loop turns: tell systemd's watchdog
        now = self.clock()
        if self.offers_ready and time.monotonic() >= self._offers_due:
            # Calendar feeds change and recurring dates are computed ahead for a while.
            self.reload_offers()
        elif self._offers_watch is not None and self._offers_watch.changed():
            self.reload_offers()          # offers.toml was edited (staff console or by hand)
        idle = now - self.last_touch
        ui = self.station.ui
        if idle >= ui.idle_reset_s and not self.at_rest:
            self.idle_reset()
        woken = getattr(self, "_woken", -1e9)
        quiet = now - max(self.last_touch, woken)
        open_now = hours.is_open(self.opening, self.local())
        limit = ui.dim_after_s if open_now else min(ui.dim_after_s, ui.idle_reset_s)
        if quiet >= limit and not self.dimmer.active:
            self.dimmer.set(True)
        if self._live is not None:
            self._live.poll_connection()
        screen = self.screens.get(self.current)
        if screen is not None:
            screen.tick()

    def idle_reset(self) -> None:
        """Back to the start for the next passer-by: home, default language, nothing half-typed kept."""
        self.at_rest = True
        self.draft.clear()
        self.query.clear()
        self.visit = new_visit()
        self.speaker.stop()
        if getattr(self, "language_view", None) is not None:
            self.language_view.dismiss()
        self.staff = False
        for screen in self.screens.values():
            screen.reset()
        self.history.clear()
        if self.large_text != bool(getattr(self.station.ui, "large_text", False)):
            self.large_text = not self.large_text
            self.metrics = Metrics(self.metrics.width, self.metrics.height,
                                   text=LARGE_TEXT if self.large_text else 1.0)
        if self.lang != self.i18n.default:
            self.i18n.set_language(self.i18n.default)     # relayouts
        else:
            self.relayout()
        self.go("home", remember=False)

    def open_staff(self, via: str = "pin") -> None:
        self.staff = True
        self.last_touch = self.clock()
        self.at_rest = False
        self.wake()
        self.history.clear()
        self.screens["staff"].tab = "alerts"
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
        return not getattr(self, "_quitting", False)     # True blocks closing

    def _key(self, window, key, *args):
        return key == 27       # swallow Escape (and Android back)

    # --- data --------------------------------------------------------------------------------------------
    def reload_offers(self) -> None:
        """Read offers.toml and the calendar feeds again, in a loader thread. One loader at a time: a
        feed server that hangs must not pile up a thread (and its memory) every OFFERS_RELOAD_S; a
        reload asked for meanwhile runs once, when the running one is done."""
        if self._offers_loading is not None:
            if not self._offers_again:
                log.warning("the offers have been loading for %.0f min; reading them again when that is done",
                            (time.monotonic() - self._offers_loading) / 60)
            self._offers_again = True
            self._offers_due = time.monotonic() + OFFERS_RELOAD_S
            return
        self._load_offers()

    def _load_offers(self) -> None:
        import threading

        self._offers_due = time.monotonic() + OFFERS_RELOAD_S
        self._offers_loading = time.monotonic()
        from kiosk.offers import watch_offers
        self._offers_watch = watch_offers(self.station)

        def work():
            offers: list | None = None
            try:
                from kiosk.offers import load_offers
                offers = load_offers(self.station)
            except (ImportError, KioskError) as exc:
                log.warning("offers unavailable: %s", exc)
            except Exception:  # noqa: BLE001 — a bug in one load must not stop the next ones
                log.exception("loading the offers failed")
            Clock.schedule_once(lambda dt: self._offers_loaded(offers), 0)
        threading.Thread(target=work, name="ui-offers", daemon=True).start()

    def _offers_loaded(self, offers: list | None) -> None:
        self._offers_loading = None
        if self._offers_again:
            self._offers_again = False
            self._load_offers()
        if offers is None:                # a broken reload keeps what the screen shows
            if self.offers_ready:
                return
            offers = []
        self.offers, self.offers_ready = offers, True
        for name in ("home", "offers", "offer_list", "offer"):
            screen = self.screens.get(name)
            if screen is not None:
                screen.dirty = True
                if self.current == name:
                    screen.rebuild()

    def _start_bus(self) -> None:
        from kiosk.bus import Bus

        try:
            self.bus = Bus(self.station, "ui")
            self.live.attach(self.bus)
            self.bus.start()
        except KioskError as exc:
            log.warning("bus unavailable (%s); showing what the kiosk last knew", exc)

    def _start_pir(self) -> None:
        pin = self.station.ui.pir_pin
        if pin < 0:
            return
        try:
            from gpiozero import MotionSensor
            self.pir = MotionSensor(pin, pin_factory=self._pin_factory)
            self.pir.when_motion = lambda *_: Clock.schedule_once(lambda dt: self.wake(), 0)
        except Exception as exc:  # noqa: BLE001 — gpiozero raises several kinds off a Pi
            log.warning("motion sensor on BCM %s not available (%s); waking by touch only", pin, exc)

    def _on_live(self, kind: str, key) -> None:
        if kind == "booth_event":
            self._booth_event(key)
        for screen in self.screens.values():
            screen.live_changed(kind, key)

    def _booth_event(self, event: dict) -> None:
        kind = event.get("type")
        if is_staff_card_tap(event):
            if not self.staff:
                self.open_staff(via="card")
            return
        if kind not in ("checkout", "return", "denied", "session_start"):
            return
        self.wake()
        if self.staff:
            return
        if self.current in ("home", "booth") or self.at_rest:
            self.last_touch = self.clock()
            self.at_rest = False
            self.go("booth", remember=self.current != "booth")
        else:
            self.show_toast(self.screens["booth"].event_text(event))

    def show_toast(self, message: str) -> None:
        m = self.metrics
        self.toast.clear_widgets()
        self.toast.padding = m.px(10)
        self.toast.add_widget(Icon(name="book", colour=rgb(theme.ON_DARK), size_hint_x=None, width=m.px(48)))
        self.toast.add_widget(KLabel(raw=message, lang=self.lang, color=rgb(theme.ON_DARK), max_font=m.font(22),
                                     min_font=m.font(14), bold=True, data=True))
        if self.toast.parent is None:
            self.root_box.add_widget(self.toast, index=1)      # under the dimming veil
        self._place_toast()
        if self._toast_event is not None:
            self._toast_event.cancel()
        self._toast_event = Clock.schedule_once(self._hide_toast, TOAST_S)

    def _hide_toast(self, *_):
        if self.toast.parent is not None:
            self.toast.parent.remove_widget(self.toast)

    def _place_toast(self) -> None:
        m = self.metrics
        self.toast.size = (min(m.width - 2 * m.gap, m.px(640)), m.px(96))
        self.toast.pos = ((m.width - self.toast.width) / 2, m.gap)
