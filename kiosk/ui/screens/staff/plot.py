"""The moisture tab: the plot of one sensor over 24 hours, 7 days or 30 days, asked of the garden."""

from __future__ import annotations

from datetime import timedelta

from kivy.clock import Clock
from kivy.graphics import Color, Line, Mesh, Rectangle
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.clock import parse_iso
from kiosk.garden import staff_commands
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.screens.staff.tab import StaffTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import button, hbox

SPAN_WORDS = {"24h": N_("24 hours"), "7d": N_("7 days"), "30d": N_("30 days")}
SPAN_SECONDS = {"24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400}


class Plot(Widget):
    """Moisture over time: the min–max band, the average line, the dry mark, 0/50/100 % lines."""

    points = ListProperty([])        # [(x 0..1, min, avg, max)]
    dry_below = NumericProperty(30)
    caption_left = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._draw, -1)
        self.bind(pos=self._trigger, size=self._trigger, points=self._trigger, dry_below=self._trigger)

    def _draw(self, *_):
        self.canvas.clear()
        x0, y0, w, h = self.x, self.y, self.width, self.height
        if w < 10 or h < 10:
            return

        def Y(v):
            return y0 + h * max(0.0, min(100.0, v)) / 100

        with self.canvas:
            Color(*rgb(theme.CARD))
            Rectangle(pos=self.pos, size=self.size)
            Color(*rgb(theme.LINE))
            for v in (0, 25, 50, 75, 100):
                Line(points=[x0, Y(v), x0 + w, Y(v)], width=1)
            Color(*rgb(theme.RED))
            Line(points=[x0, Y(self.dry_below), x0 + w, Y(self.dry_below)], width=1.5, dash_length=8,
                 dash_offset=6)
            pts = self.points
            if len(pts) >= 2:
                Color(*rgb("#B7D7E8"))
                vertices, indices = [], []
                for i, (x, low, _avg, high) in enumerate(pts):
                    vertices += [x0 + x * w, Y(low), 0, 0, x0 + x * w, Y(high), 0, 0]
                for i in range(len(pts) - 1):
                    a = 2 * i
                    indices += [a, a + 1, a + 2, a + 1, a + 3, a + 2]
                Mesh(vertices=vertices, indices=indices, mode="triangles")
            if pts:
                Color(*rgb(theme.BAR))
                flat = [c for x, _low, avg, _high in pts for c in (x0 + x * w, Y(avg))]
                if len(flat) >= 4:
                    Line(points=flat, width=2)
                else:
                    Line(circle=(flat[0], flat[1], 3), width=2)



class PlotTab(StaffTab):
    """Chips for span and sensor, the plot, its time axis; a missing series is asked for once."""

    live = ("history",)

    def reset(self) -> None:
        # Span and sensor stay chosen across tabs while staff mode is open.
        self.span = "24h"
        self.node = None
        self._asked: set = set()

    def build(self):
        s = self.screen
        m, rtl, live = s.m, s.rtl, s.app.live
        sensors = s.sensors()
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        if not sensors:
            box.add_widget(s.label(_("No sensors are set up."), 20, theme.INK_SOFT))
            return box
        if self.node not in [sensor.node for sensor in sensors]:
            self.node = sensors[0].node
        sensor = next(sensor for sensor in sensors if sensor.node == self.node)
        chips = []
        for span, words in SPAN_WORDS.items():
            chosen = span == self.span
            chips.append(button(text=_(words), lang=s.lang, colour=rgb(theme.BAR if chosen else theme.CARD),
                                fg=rgb(theme.ON_DARK if chosen else theme.INK), border=rgb(theme.LINE),
                                font=m.font(18), min_font=m.least, action=lambda span=span: self.pick_span(span),
                                tag=f"span:{span}",
                                radius=m.px(10)))
        if len(sensors) > 1:
            for other in sensors:
                chosen = other.node == self.node
                chips.append(button(text=other.name, lang=s.lang, data=True,
                                    colour=rgb(theme.GREEN if chosen else theme.CARD),
                                    fg=rgb(theme.ON_DARK if chosen else theme.INK), font=m.font(16), min_font=m.least,
                                    action=lambda n=other.node: self.pick_node(n), tag=f"node:{other.node}",
                                    radius=m.px(10)))
        box.add_widget(hbox(chips, rtl, spacing=m.px(6), size_hint_y=None, height=m.touch))
        known = live.history.get((self.node, self.span))
        now = s.app.now()
        points = []
        if known:
            for p in known.value.points:        # HistoryPoints: their times and numbers are checked on arrival
                x = 1 - (now - parse_iso(p.ts)).total_seconds() / SPAN_SECONDS[self.span]
                if 0 <= x <= 1.05:
                    points.append((min(1.0, x), p.min, p.avg, p.max))
        elif (self.node, self.span) not in self._asked:
            self.ask_history(self.node, self.span)
        plot_row = BoxLayout(orientation="horizontal", spacing=m.px(4))
        scale = BoxLayout(orientation="vertical", size_hint_x=None, width=m.px(56))
        for v in ("100 %", "50 %", "0 %"):
            scale.add_widget(s.label(v, 15, theme.INK_SOFT, align="end", data=True, lang="de"))
        plot_row.add_widget(scale)
        plot_row.add_widget(Plot(points=points, dry_below=sensor.dry_below))
        box.add_widget(plot_row)
        start = (now - timedelta(seconds=SPAN_SECONDS[self.span])).astimezone(s.app.zone)
        axis = hbox([s.label(start.strftime("%d.%m. %H:%M"), 15, theme.INK_SOFT, data=True, lang="de"),
                     s.label(_("now"), 15, theme.INK_SOFT, align="end")], False,
                    size_hint_y=None, height=m.px(24), padding=(m.px(60), 0, 0, 0))
        box.add_widget(axis)
        if not points:
            box.add_widget(s.label(_("No readings for this time yet."), 17, theme.INK_SOFT, size_hint_y=None,
                                   height=m.px(26)))
        return box

    def pick_span(self, span: str) -> None:
        self.span = span
        self.screen.rebuild()

    def pick_node(self, node: str) -> None:
        self.node = node
        self.screen.rebuild()

    def ask_history(self, node: str, span: str) -> None:
        self._asked.add((node, span))
        live = self.screen.app.live
        if live.bus is None:
            return
        request = staff_commands.history(node, span)

        def done(reply, error):
            if request.outcome(reply, error).ok and "points" in reply:
                live.apply(live.topics.garden_history(node, span), {k: v for k, v in reply.items() if k != "ok"},
                           remember=False)
        live.request(request.service, request.name, request.payload, done)
