"""Home and attract screen: the motto, four big tiles, the Wi-Fi QR code and the languages."""

from __future__ import annotations

from functools import lru_cache

from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.languages import NAMES as LANGUAGE_NAMES
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, QRCode, ScrollBox, Tap, button, tile

STAFF_HOLD_S = 3.0
ATTRACT_EVERY_S = 4.0
TILES = (("offers", "offers", N_("Offers")), ("idea", "idea", N_("Your idea")),
         ("booth", "booth", N_("Book booth")), ("herbs", "herbs", N_("Herb bed")))
TOUCH_HINT = N_("Touch the screen – we are glad you are here!")


def wifi_matrix(ssid: str) -> list[list[bool]]:
    """The join-this-network QR code (same payload as kiosk.offers.wifi_qr_text, without importing the
    offers package and its calendar libraries before the first frame)."""
    return [list(row) for row in _wifi_matrix(ssid)]


@lru_cache(maxsize=4)
def _wifi_matrix(ssid: str) -> tuple[tuple[bool, ...], ...]:
    # Finding the best of qrcode's eight masks takes ~10 ms; every rebuild of home (language,
    # text size) would pay it again for the same SSID.
    import qrcode
    import qrcode.constants

    escaped = "".join("\\" + c if c in '\\;,:"' else c for c in ssid)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(f"WIFI:T:nopass;S:{escaped};;".encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


class HoldTap(Tap):
    """A panel that also reacts to being held down for `hold_s` seconds (staff door)."""

    def __init__(self, on_hold=None, hold_s: float = STAFF_HOLD_S, **kwargs):
        super().__init__(**kwargs)
        self.on_hold = on_hold
        self.hold_s = hold_s
        self._hold = None

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos) and self.on_hold:
            self._hold = Clock.schedule_once(lambda dt: self.on_hold(), self.hold_s)
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        if self._hold is not None:
            self._hold.cancel()
            self._hold = None
        return super().on_touch_up(touch)


class HomeScreen(KScreen):
    key = "home"

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self._attract_step = 0
        self._attract_clock = 0.0
        self.hint = None
        self.tiles: dict[str, Tap] = {}

    def title(self) -> str:
        return ""

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.gap)
        # Motto; held for 3 s it opens the staff PIN pad.
        motto = HoldTap(orientation="vertical", bg=rgb(theme.PAPER), radius=0, tag="motto",
                        on_hold=lambda: app.go("staff_pin"), size_hint_y=None,
                        height=round(m.px(92 if m.portrait else 74) * m.text))
        motto.add_widget(self.label(_("Batenbrock – your voice counts!"), 34, theme.INK, bold=True, align="center",
                                    size_hint_y=0.62))
        self.hint = self.label(_(TOUCH_HINT), 19, theme.INK_SOFT, align="center", size_hint_y=0.38, data=True)
        motto.add_widget(self.hint)
        root.add_widget(motto)

        # Large text: the four tiles take the full width, the Wi-Fi card moves under them and the
        # middle scrolls (its bar shows that more is below).
        large = m.text > 1.0 and not m.portrait
        body = BoxLayout(orientation="vertical" if m.portrait or large else "horizontal", spacing=m.gap)
        grid = GridLayout(cols=2, spacing=m.gap, size_hint=(1, 1) if m.portrait else (0.68, 1))
        if large:
            grid.size_hint = (1, None)
            grid.row_force_default, grid.row_default_height = True, m.px(106)
            grid.bind(minimum_height=grid.setter("height"))
            body.size_hint_y, body.padding = None, (0, 0, m.px(14), 0)      # clear of the scroll bar
            body.bind(minimum_height=body.setter("height"))
        self.tiles = {}
        for target, icon, words in TILES:
            t = tile(icon=icon, text=_(words), lang=self.lang, colour=rgb(theme.TILE_COLOURS[target]),
                     fg=rgb(theme.ON_DARK), action=lambda t=target: app.go(t), font=m.font(30), min_font=m.shrink(30),
                     tag=target, horizontal=not m.portrait, rtl=rtl, radius=m.px(16), pad=m.px(12),
                     icon_share=0.55 if m.portrait else 0.26 if large else 0.36)
            self.tiles[target] = t
            grid.add_widget(t)
        side = self._wifi_panel(across=m.portrait or large)
        if rtl and not m.portrait and not large:
            body.add_widget(side)
            body.add_widget(grid)
        else:
            body.add_widget(grid)
            body.add_widget(side)
        if large:
            scroll = ScrollBox(do_scroll_x=False, bar_width=m.px(8), scroll_type=["bars", "content"])
            scroll.add_widget(body)
            body = scroll
        root.add_widget(body)

        codes = list(app.i18n.languages)
        # Upright, five names at the floor do not fit in one row: two rows of three.
        cols = 3 if m.portrait and len(codes) > 3 else len(codes)
        rows = -(-len(codes) // cols)
        langs = GridLayout(cols=cols, spacing=m.gap, size_hint_y=None, height=rows * m.touch + (rows - 1) * m.gap)
        for code in (codes[::-1] if rtl else codes):
            chosen = code == self.lang
            langs.add_widget(button(text=LANGUAGE_NAMES.get(code, code), lang=code, data=True,
                                    colour=rgb(theme.BAR if chosen else theme.CARD),
                                    fg=rgb(theme.ON_DARK if chosen else theme.INK), border=rgb(theme.LINE),
                                    font=m.font(21), action=lambda c=code: app.set_language(c), tag=f"lang:{code}",
                                    radius=m.px(12), pad=m.px(4), min_font=m.shrink(21)))
        root.add_widget(langs)
        return root

    def _wifi_panel(self, across: bool):
        m, app = self.m, self.app
        ssid = app.station.ui.wifi_name
        portrait = across
        panel = Panel(orientation="horizontal" if portrait else "vertical", bg=rgb(theme.CARD),
                      border=rgb(theme.LINE), radius=m.px(16), padding=m.px(10), spacing=m.px(6),
                      size_hint=(1, None) if portrait else (0.32, 1), height=m.px(150))
        words = BoxLayout(orientation="vertical", spacing=m.px(2))
        head = BoxLayout(orientation="horizontal", size_hint_y=0.64, spacing=m.px(6))
        icon = Icon(name="wifi", colour=rgb(theme.TEAL), size_hint_x=0.22)
        caption = self.label(_("Free Wi-Fi"), 22, theme.TEAL, bold=True, align="center", min_size=11)
        for w in ([caption, icon] if self.rtl else [icon, caption]):
            head.add_widget(w)
        words.add_widget(head)
        words.add_widget(self.label(ssid, 18, theme.INK, align="center", data=True, size_hint_y=0.36, lang="de",
                                    min_size=10))
        code = QRCode()
        # Choosing the QR code's mask takes ~10 ms of pure Python: not before the first frame.
        app.after_first_frame(lambda: setattr(code, "matrix", wifi_matrix(ssid)))
        if portrait:
            parts = [code, words] if not self.rtl else [words, code]
            code.size_hint_x = 0.4
            for w in parts:
                panel.add_widget(w)
        else:
            words.size_hint_y = 0.58
            panel.add_widget(words)
            panel.add_widget(code)
        return panel

    def speech_text(self) -> str:
        return ". ".join([_("Batenbrock – your voice counts!"), _(TOUCH_HINT)] + [_(w) for _t, _i, w in TILES])

    def tick(self) -> None:
        """The attract loop: while nobody uses the kiosk, the greeting walks through the languages."""
        if not self.app.idle.at_rest or self.hint is None:
            if self.hint is not None and self.hint.raw != _(TOUCH_HINT):
                self.hint.lang, self.hint.raw = self.lang, _(TOUCH_HINT)
            for t in self.tiles.values():
                t.selected = False
            return
        self._attract_clock += 1
        if self._attract_clock < ATTRACT_EVERY_S:
            return
        self._attract_clock = 0
        self._attract_step += 1
        codes = list(self.app.i18n.languages)
        code = codes[self._attract_step % len(codes)]
        self.hint.lang = code
        self.hint.raw = self.app.i18n.gettext(TOUCH_HINT, code)
        names = list(self.tiles)
        for i, name in enumerate(names):
            self.tiles[name].selected = i == self._attract_step % len(names)
