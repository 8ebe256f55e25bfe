"""Herb bed: the live soil moisture as a friendly gauge, and which herbs can be picked this month."""

from __future__ import annotations

import math

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.screens.booth import stale_text
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, hbox

# Months (1–12) in which a herb of the bed can be picked, in the Ruhr area's climate.
HERBS = (
    (N_("Chives"), range(3, 11)), (N_("Parsley"), range(4, 12)), (N_("Mint"), range(5, 10)),
    (N_("Thyme"), range(5, 11)), (N_("Sage"), range(5, 10)), (N_("Lemon balm"), range(5, 10)),
    (N_("Basil"), range(6, 10)), (N_("Oregano"), range(6, 10)), (N_("Rosemary"), range(1, 13)),
)


def herbs_in_season(month: int) -> list[str]:
    return [name for name, months in HERBS if month in months]


class Gauge(Widget):
    """A half-ring from 0 to 100 %: red below the dry mark, green above, a dot for the value."""

    value = NumericProperty(-1)          # -1: unknown
    dry_below = NumericProperty(30)
    muted = BooleanProperty(False)
    face = StringProperty("happy")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._draw, -1)
        self.bind(pos=self._trigger, size=self._trigger, value=self._trigger, dry_below=self._trigger,
                  muted=self._trigger)

    def _draw(self, *_):
        self.canvas.clear()
        r = min(self.width / 2, self.height) * 0.9
        if r <= 4:
            return
        cx, cy = self.center_x, self.y + (self.height - r) / 2 + r * 0.08
        w = max(3, r * 0.12)
        dry_angle = -90 + 180 * self.dry_below / 100
        with self.canvas:
            # Not by colour alone: the dry part is a thin arc, the wet part a thick one, and a dark
            # mark stands at the dry line.
            Color(*rgb(theme.GAUGE_QUIET if self.muted else theme.GAUGE_DRY))
            Line(circle=(cx, cy, r - w, -90, dry_angle), width=w * 0.45, cap="none")
            Color(*rgb(theme.GAUGE_QUIET if self.muted else theme.GAUGE_WET))
            Line(circle=(cx, cy, r - w, dry_angle, 90), width=w, cap="none")
            mark = math.radians(dry_angle)
            Color(*rgb(theme.INK_SOFT))
            Line(points=[cx + (r - 2.2 * w) * math.sin(mark), cy + (r - 2.2 * w) * math.cos(mark),
                         cx + r * math.sin(mark), cy + r * math.cos(mark)], width=max(1.5, w * 0.18))
            if self.value >= 0:
                angle = -90 + 180 * max(0, min(100, self.value)) / 100
                Color(*rgb(theme.INK_SOFT if self.muted else theme.INK))
                Line(circle=(cx, cy, r - w, -90, angle), width=w * 0.35, cap="round")
                a = math.radians(angle)
                x, y = cx + (r - w) * math.sin(a), cy + (r - w) * math.cos(a)
                Color(*rgb(theme.CARD))
                Ellipse(pos=(x - w * 1.1, y - w * 1.1), size=(w * 2.2, w * 2.2))
                Color(*rgb(theme.INK_SOFT if self.muted else theme.INK))
                Ellipse(pos=(x - w * 0.8, y - w * 0.8), size=(w * 1.6, w * 1.6))


class HerbsScreen(KScreen):
    key = "herbs"

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self.gauge: Gauge | None = None

    def title(self) -> str:
        return _("Herb bed")

    def sensor(self):
        sensors = self.app.station.garden.sensors
        return sensors[0] if sensors else None

    def reading(self) -> tuple[float | None, str, float | None]:
        """(moisture %, status, received) of the first sensor, or (None, "unknown", None)."""
        sensor = self.sensor()
        known = self.app.live.state.get(sensor.node) if sensor else None
        if known is None:
            return None, "unknown", None
        state = known.value
        return (None if state.moisture is None else float(state.moisture)), state.status, known.received

    def message(self) -> tuple[str, str, str]:
        """(headline, explanation, face icon)."""
        moisture, status, _received = self.reading()
        if status == "dry":
            return (_("Please water me!"), _("The soil is dry. A can of water helps – thank you!"), "thirsty")
        if status == "ok":
            return (_("Thank you! I have enough water."), _("Pick what you need, and leave the roots."), "happy")
        return (_("The herb bed is growing."), _("The moisture sensor is quiet right now."), "happy")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        moisture, status, received = self.reading()
        headline, explanation, face = self.message()
        dry = status == "dry"
        card = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.RED if dry else theme.LINE),
                     radius=m.px(16), padding=m.px(12), spacing=m.px(4),
                     size_hint=(1, 1) if m.portrait else (1.25, 1))
        # The words take the room they need; the gauge, a drawing, takes what is left.
        card.add_widget(self.label(headline, 30, theme.RED if dry else theme.GREEN, bold=True, align="center",
                                   grow=True))
        sensor = self.sensor()
        self.gauge = Gauge(value=moisture if moisture is not None else -1,
                           dry_below=sensor.dry_below if sensor else 30,
                           muted=status not in ("ok", "dry") or not app.live.is_current("garden"))
        card.add_widget(self.gauge)
        number = f"{moisture:.0f} %" if moisture is not None else "–"
        value = self.label(_("Soil moisture: {value}").format(value=number), 22, theme.INK, bold=True,
                           align="center", grow=True)
        card.add_widget(self.row_for(value, [Icon(name=face, colour=rgb(theme.RED if dry else theme.GREEN),
                                                  size_hint_x=None, width=m.px(44)), value], least=m.px(44)))
        card.add_widget(self.label(explanation, 19, theme.INK_SOFT, align="center", grow=True))
        self.notice = self.label(stale_text(app, "garden", received) if received or app.live.bus else "", 18,
                                 theme.INK_SOFT, align="center", grow=True, data=True)
        card.add_widget(self.notice)
        side = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(16),
                     padding=m.px(12), spacing=m.px(6))
        side.add_widget(self.label(_("You may pick now:"), 24, theme.GREEN, bold=True, grow=True))
        herbs = herbs_in_season(app.local().month)
        grid = GridLayout(cols=2 if not m.portrait else 3, spacing=m.px(6))
        for name in herbs:
            grid.add_widget(hbox([Icon(name="herb", colour=rgb(theme.GREEN), size_hint_x=None, width=m.px(34)),
                                  self.label(_(name), 20, theme.INK)], rtl, spacing=m.px(6)))
        for _i in range(max(0, 6 - len(herbs))):
            grid.add_widget(Widget())
        side.add_widget(grid)
        side.add_widget(self.label(_("Everyone may pick. Please take only a little, so there is enough for all."),
                                   18, theme.INK_SOFT, grow=True))
        for w in ([side, card] if rtl and not m.portrait else [card, side]):
            root.add_widget(w)
        return root

    def live_changed(self, kind: str, key) -> None:
        if kind in ("state", "connection", "status") and self.app.current == self.key:
            self.rebuild()
        elif kind in ("state",):
            self.dirty = True

    def speech_text(self) -> str:
        headline, explanation, _face = self.message()
        moisture, _status, _r = self.reading()
        parts = [headline, explanation]
        if moisture is not None:
            parts.append(_("Soil moisture: {value}").format(value=f"{moisture:.0f} %"))
        parts.append(_("You may pick now:"))
        parts += [_(n) for n in herbs_in_season(self.app.local().month)]
        return ". ".join(parts)
