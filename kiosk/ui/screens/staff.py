"""Staff mode: the PIN pad, then alerts, the moisture plot, idea moderation, loans and sensor calibration.

Staff reach it by holding the motto on the home screen for 3 seconds (PIN) or
by tapping a staff card at the booth. It closes on "Leave" and on the idle reset.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from kivy.clock import Clock
from kivy.graphics import Color, Line, Mesh, Rectangle
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.clock import parse_iso
from kiosk.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.screens.booth import stale_text
from kiosk.ui.screens.idea import CATEGORY_WORDS
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, ScrollBox, Tap, button, hbox

log = logging.getLogger(__name__)

TABS = (("alerts", "alert", N_("Alerts")), ("plot", "chart", N_("Moisture")), ("ideas", "list", N_("Ideas")),
        ("loans", "book", N_("Loans")), ("sensors", "sensor", N_("Sensors")))
SPAN_WORDS = {"24h": N_("24 hours"), "7d": N_("7 days"), "30d": N_("30 days")}
SPAN_SECONDS = {"24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400}
STATUS_TEXT = {"ok": N_("OK"), "dry": N_("Dry"), "stale": N_("Sensor silent"), "fault": N_("Sensor fault"),
               "unknown": N_("No reading yet")}
ALERT_TEXT = {"dry": N_("The bed is dry"), "stale": N_("The sensor is silent"), "fault": N_("The sensor reports nonsense")}
IDEA_STATUS = (("new", N_("New")), ("in_progress", N_("In progress")), ("implemented", N_("Done!")))
MAX_MODERATION_ROWS = 60


class StaffPinScreen(KScreen):
    key = "staff_pin"

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self.entered = ""
        self.note = ""
        self.note_error = False
        self.message = None
        self.checking = False       # a PIN try is on the background thread (scrypt)
        self._try = 0               # counts tries and resets: an answer for an older one is ignored

    def title(self) -> str:
        return _("Staff")

    def build(self):
        m, rtl = self.m, self.rtl
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        left = BoxLayout(orientation="vertical", spacing=m.gap)
        left.add_widget(hbox([Icon(name="lock", colour=rgb(theme.BAR), size_hint_x=None, width=m.px(52)),
                              self.label(_("Enter the staff PIN"), 26, theme.INK, bold=True)], rtl,
                             spacing=m.px(10), size_hint_y=0.22))
        dots = "● " * len(self.entered) + "○ " * max(0, 4 - len(self.entered))
        self.dots = self.label(dots.strip(), 34, theme.INK, align="center", data=True, lang="de", size_hint_y=0.2)
        left.add_widget(self.dots)
        self.message = self.label(self._note(), 20, theme.RED if self.note_error else theme.INK_SOFT,
                                  align="center", size_hint_y=0.3, data=True)
        left.add_widget(self.message)
        left.add_widget(self.label(_("Or hold your staff card to the reader of the book booth."), 18,
                                   theme.INK_SOFT, align="center", size_hint_y=0.28))
        pad = GridLayout(cols=3, spacing=m.px(8), size_hint=(1, 1.3) if m.portrait else (0.5, 1))
        for key in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"):
            if key == "back":
                b = Tap(bg=rgb(theme.ACCENT_SOFT), border=rgb(theme.LINE), radius=m.px(12), padding=m.px(14),
                        action=self._delete, tag="pin:back")
                b.add_widget(Icon(name="backspace", colour=rgb(theme.INK), mirror=rtl))
            elif key == "ok":
                b = Tap(bg=rgb(theme.GREEN), radius=m.px(12), padding=m.px(14), action=self._submit, tag="pin:ok")
                b.add_widget(Icon(name="check", colour=rgb(theme.ON_DARK)))
            else:
                b = Tap(bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(12), padding=m.px(4),
                        action=lambda k=key: self._digit(k), tag=f"pin:{key}")
                b.add_widget(self.label(key, 30, theme.INK, bold=True, align="center", data=True, lang="de"))
            pad.add_widget(b)
        for w in ([pad, left] if rtl and not m.portrait else [left, pad]):
            root.add_widget(w)
        return root

    def _note(self) -> str:
        guard = self.app.guard
        if guard is None:
            return _("Staff mode is not available right now.")
        locked = guard.locked_for()
        if locked > 0:
            minutes = max(1, math.ceil(locked / 60))
            return _("Too many wrong tries. Please wait {minutes} min.").format(minutes=minutes)
        if not guard.stored_hash():
            return _("No PIN is set up yet. Ask the office: kiosk admin pin")
        return self.note

    def _digit(self, key: str) -> None:
        if len(self.entered) < 8:
            self.entered += key
        self.note, self.note_error = "", False
        self.rebuild()

    def _delete(self) -> None:
        self.entered = self.entered[:-1]
        self.rebuild()

    def _submit(self) -> None:
        guard = self.app.guard
        if self.checking:
            return
        pin, self.entered = self.entered, ""
        if guard is None:
            self.rebuild()
            return
        # scrypt over 16 MiB and the lockout count's write (with its fsync) stay off the UI thread.
        self.checking = True
        self._try += 1
        this_try = self._try
        self.app.background.submit(lambda: guard.attempt(pin), done=lambda result: self._answered(this_try, result),
                                   failed=lambda exc: self._failed(this_try, exc))
        self.rebuild()

    def _failed(self, this_try: int, exc: KioskError) -> None:
        if this_try != self._try:
            return
        self.checking = False
        log.warning("the staff PIN could not be checked: %s", exc)
        self.note, self.note_error = _("Staff mode is not available right now."), True
        self.rebuild()

    def _answered(self, this_try: int, result) -> None:
        if this_try != self._try:           # the kiosk was reset meanwhile: the passer-by has gone
            return
        self.checking = False
        if result.ok:
            self.note, self.note_error = "", False
            if self.app.current == self.key:  # not when the pad was left meanwhile
                self.app.open_staff("pin")
            return
        self.note_error = True
        if result.no_pin or result.locked_for_s > 0:
            self.note = ""
        else:
            self.note = _("Wrong PIN. {left} tries left.").format(left=result.tries_left)
        self.rebuild()

    def reset(self) -> None:
        self.entered, self.note, self.note_error = "", "", False
        self.checking = False
        self._try += 1

    def tick(self) -> None:
        guard = self.app.guard
        if guard is not None and guard.locked_for() > 0 and self.message is not None:
            self.message.raw = self._note()

    def speech_text(self) -> str:
        return _("Enter the staff PIN")


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


class StaffScreen(KScreen):
    key = "staff"

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self.tab = "alerts"
        self.span = "24h"
        self.node = None
        self.feedback = ""
        self.confirm_quit = False
        self._asked: set = set()

    def title(self) -> str:
        words = dict((k, w) for k, _i, w in TABS)
        return _("Staff") + " · " + _(words.get(self.tab, "Alerts"))

    def sensors(self):
        return list(self.app.station.garden.sensors)

    def build(self):
        m, rtl = self.m, self.rtl
        if not self.app.staff:
            box = BoxLayout(padding=m.gap)
            box.add_widget(self.label(_("Enter the staff PIN"), 24, align="center"))
            return box
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        tabs = GridLayout(cols=3 if m.portrait else 1, spacing=m.px(6),
                          size_hint=(1, None) if m.portrait else (None, 1),
                          height=2 * m.touch + m.px(6), width=m.px(178))
        for key, icon, words in TABS:
            chosen = key == self.tab
            tabs.add_widget(button(text=_(words), lang=self.lang, colour=rgb(theme.BAR if chosen else theme.CARD),
                                   fg=rgb(theme.ON_DARK if chosen else theme.INK), border=rgb(theme.LINE),
                                   font=m.font(18), icon=icon if not m.portrait else None, rtl=rtl,
                                   action=lambda k=key: self.show_tab(k), tag=f"tab:{key}", radius=m.px(10)))
        tabs.add_widget(button(text=_("Leave"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                               font=m.font(18), icon="exit" if not m.portrait else None, rtl=rtl,
                               action=self.app.leave_staff, tag="leave", radius=m.px(10)))
        content = BoxLayout(orientation="vertical", spacing=m.px(6))
        body = getattr(self, f"_tab_{self.tab}")()
        content.add_widget(body)
        self.feedback_label = self.label(self.feedback, 17, theme.INK_SOFT, size_hint_y=None, height=m.px(28),
                                         data=True)
        content.add_widget(self.feedback_label)
        for w in ([content, tabs] if rtl and not m.portrait else [tabs, content]):
            root.add_widget(w)
        return root

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        self.feedback = ""
        self.confirm_quit = False
        self.rebuild()
        self.app.bar.set_title(self.title())

    def say(self, message: str) -> None:
        self.feedback = message
        if getattr(self, "feedback_label", None) is not None:
            self.feedback_label.raw = message

    def _panel(self, **kwargs):
        m = self.m
        kwargs.setdefault("border", rgb(theme.LINE))
        return Panel(orientation=kwargs.pop("orientation", "vertical"), bg=rgb(theme.CARD),
                     radius=m.px(12), padding=m.px(10), spacing=m.px(6), **kwargs)

    def _scroll(self, rows: list):
        m = self.m
        scroll = ScrollBox(do_scroll_x=False, bar_width=m.px(8), scroll_type=["bars", "content"])
        box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=m.px(6))
        box.bind(minimum_height=box.setter("height"))
        for row in rows:
            box.add_widget(row)
        scroll.add_widget(box)
        return scroll

    def _local_time(self, ts: str | None) -> str:
        if not ts:
            return "–"
        try:
            return parse_iso(ts).astimezone(self.app.zone).strftime("%d.%m. %H:%M")
        except ValueError:
            return str(ts)

    # --- alerts ---------------------------------------------------------------------------------------
    def _tab_alerts(self):
        m, rtl, live = self.m, self.rtl, self.app.live
        rows = []
        for sensor in self.sensors():
            state = live.state.get(sensor.node)
            alert = live.alert.get(sensor.node)
            status = str(state.payload.get("status", "unknown")) if state else "unknown"
            moisture = state.payload.get("moisture") if state else None
            line1 = f"{sensor.name}: {_(STATUS_TEXT.get(status, STATUS_TEXT['unknown']))}"
            if isinstance(moisture, (int, float)):
                line1 += f" – {moisture:.0f} %"
            active = bool(alert and alert.payload.get("active"))
            acknowledged = bool(alert and alert.payload.get("acknowledged"))
            if active:
                kind = alert.payload.get("kind", "dry")
                line2 = _("{what} since {time}.").format(what=_(ALERT_TEXT.get(kind, ALERT_TEXT["dry"])),
                                                          time=self._local_time(alert.payload.get("since")))
                if acknowledged:
                    line2 += " " + _("Seen by staff.")
            else:
                line2 = _("No alert.")
            row = self._panel(orientation="horizontal", size_hint_y=None, height=m.px(100),
                              border=rgb(theme.RED if active and not acknowledged else theme.LINE))
            words = BoxLayout(orientation="vertical")
            words.add_widget(self.label(line1, 21, theme.INK, bold=True, data=True))
            words.add_widget(self.label(line2, 18, theme.RED if active else theme.INK_SOFT, data=True))
            icon = Icon(name="alert" if active else "check", colour=rgb(theme.RED if active else theme.GREEN),
                        size_hint_x=None, width=m.px(48))
            parts = [icon, words]
            if active and not acknowledged:
                parts.append(button(text=_("Acknowledge"), lang=self.lang, colour=rgb(theme.RED),
                                    fg=rgb(theme.ON_DARK), font=m.font(18), action=lambda n=sensor.node: self.ack(n),
                                    tag=f"ack:{sensor.node}", size_hint_x=None, width=m.px(170), radius=m.px(10)))
            for p in (parts[::-1] if rtl else parts):
                row.add_widget(p)
            rows.append(row)
        if not rows:
            rows.append(self.label(_("No sensors are set up."), 20, theme.INK_SOFT, size_hint_y=None,
                                   height=m.px(60)))
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        stale = stale_text(self.app, "garden", max((k.received for k in live.state.values()), default=None))
        if stale:
            box.add_widget(self.label(stale, 17, theme.RED, size_hint_y=None, height=m.px(28), data=True))
        box.add_widget(self._scroll(rows))
        return box

    def ack(self, node: str) -> None:
        self.say(_("Sending …"))

        def done(reply, error):
            self.say(_("Done.") if not error else _("That did not work: the garden service does not answer."))
            if not error and node in self.app.live.alert:
                known = self.app.live.alert[node]
                self.app.live.apply(self.app.live.topics.garden_alert(node),
                                    dict(known.payload, acknowledged=True), remember=False)
        self.app.live.request("garden", "ack", {"node": node}, done)

    # --- plot ------------------------------------------------------------------------------------------
    def _tab_plot(self):
        m, rtl, live = self.m, self.rtl, self.app.live
        sensors = self.sensors()
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        if not sensors:
            box.add_widget(self.label(_("No sensors are set up."), 20, theme.INK_SOFT))
            return box
        if self.node not in [s.node for s in sensors]:
            self.node = sensors[0].node
        sensor = next(s for s in sensors if s.node == self.node)
        chips = []
        for span, words in SPAN_WORDS.items():
            chosen = span == self.span
            chips.append(button(text=_(words), lang=self.lang, colour=rgb(theme.BAR if chosen else theme.CARD),
                                fg=rgb(theme.ON_DARK if chosen else theme.INK), border=rgb(theme.LINE),
                                font=m.font(18), action=lambda s=span: self._span(s), tag=f"span:{span}",
                                radius=m.px(10)))
        if len(sensors) > 1:
            for s in sensors:
                chips.append(button(text=s.name, lang=self.lang, data=True,
                                    colour=rgb(theme.GREEN if s.node == self.node else theme.CARD),
                                    fg=rgb(theme.ON_DARK if s.node == self.node else theme.INK), font=m.font(16),
                                    action=lambda n=s.node: self._pick_node(n), tag=f"node:{s.node}",
                                    radius=m.px(10)))
        box.add_widget(hbox(chips, rtl, spacing=m.px(6), size_hint_y=None, height=m.touch))
        known = live.history.get((self.node, self.span))
        now = self.app.now()
        points = []
        if known:
            for p in known.payload.get("points", []):
                try:
                    t = parse_iso(p["ts"])
                    x = 1 - (now - t).total_seconds() / SPAN_SECONDS[self.span]
                    if 0 <= x <= 1.05:
                        points.append((min(1.0, x), float(p["min"]), float(p["avg"]), float(p["max"])))
                except (KeyError, TypeError, ValueError):
                    continue
        elif (self.node, self.span) not in self._asked:
            self._ask_history(self.node, self.span)
        plot_row = BoxLayout(orientation="horizontal", spacing=m.px(4))
        scale = BoxLayout(orientation="vertical", size_hint_x=None, width=m.px(56))
        for v in ("100 %", "50 %", "0 %"):
            scale.add_widget(self.label(v, 15, theme.INK_SOFT, align="end", data=True, lang="de"))
        plot = Plot(points=points, dry_below=sensor.dry_below)
        plot_row.add_widget(scale)
        plot_row.add_widget(plot)
        box.add_widget(plot_row)
        start = (now - timedelta(seconds=SPAN_SECONDS[self.span])).astimezone(self.app.zone)
        axis = hbox([self.label(start.strftime("%d.%m. %H:%M"), 15, theme.INK_SOFT, data=True, lang="de"),
                     self.label(_("now"), 15, theme.INK_SOFT, align="end")], False,
                    size_hint_y=None, height=m.px(24), padding=(m.px(60), 0, 0, 0))
        box.add_widget(axis)
        if not points:
            box.add_widget(self.label(_("No readings for this time yet."), 17, theme.INK_SOFT, size_hint_y=None,
                                      height=m.px(26)))
        return box

    def _span(self, span: str) -> None:
        self.span = span
        self.rebuild()

    def _pick_node(self, node: str) -> None:
        self.node = node
        self.rebuild()

    def _ask_history(self, node: str, span: str) -> None:
        self._asked.add((node, span))
        live = self.app.live
        if live.bus is None:
            return

        def done(reply, error):
            if reply and not error and "points" in reply:
                live.apply(live.topics.garden_history(node, span), {k: v for k, v in reply.items() if k != "ok"},
                           remember=False)
        live.request("garden", "history", {"node": node, "span": span}, done)

    # --- ideas -----------------------------------------------------------------------------------------
    def _tab_ideas(self):
        m, ideas = self.m, self.app.ideas
        if ideas is None:
            return self.label(_("The ideas are not available right now."), 20, theme.INK_SOFT)
        try:
            pending = list(ideas.pending())[:MAX_MODERATION_ROWS]
            approved = list(ideas.wall(MAX_MODERATION_ROWS, 0))
        except KioskError as exc:
            log.warning("ideas unavailable: %s", exc)
            return self.label(_("The ideas are not available right now."), 20, theme.INK_SOFT)
        rows = [self.label(_("New ideas to check: {n}").format(n=len(pending)), 20, theme.INK, bold=True,
                           size_hint_y=None, height=m.px(36))]
        for idea in pending:
            rows.append(self._idea_row(idea, [("approve", _("Show"), theme.GREEN), ("reject", _("Hide"), theme.RED)]))
        rows.append(self.label(_("On the wall"), 20, theme.INK, bold=True, size_hint_y=None, height=m.px(36)))
        for idea in approved:
            rows.append(self._idea_row(idea, [(key, _(words), theme.BAR) for key, words in IDEA_STATUS],
                                       current=idea.status))
        return self._scroll(rows)

    def _idea_row(self, idea, actions, current=None):
        m, rtl = self.m, self.rtl
        row = self._panel(orientation="vertical", size_hint_y=None, height=m.px(150))
        head = _(CATEGORY_WORDS.get(idea.category, "Something else"))
        if idea.has_contact:
            head += " · " + _("with contact")
        row.add_widget(self.label(f"#{idea.id} · {head}", 16, theme.INK_SOFT, size_hint_y=None, height=m.px(30),
                                  data=True))
        row.add_widget(self.label(idea.text, 18, theme.INK, data=True, min_size=11, ellipsis=True))
        buttons = []
        for action, words, colour in actions:
            chosen = current == action
            buttons.append(button(text=words, lang=self.lang, colour=rgb(colour if current is None or chosen
                                                                            else theme.CARD),
                                  fg=rgb(theme.ON_DARK if current is None or chosen else theme.INK),
                                  border=rgb(theme.LINE), font=m.font(17),
                                  action=lambda a=action, i=idea.id: self.moderate(i, a),
                                  tag=f"idea:{idea.id}:{action}", radius=m.px(10)))
        row.add_widget(hbox(buttons, rtl, spacing=m.px(6), size_hint_y=None, height=m.px(50)))
        return row

    def moderate(self, idea_id: int, action: str) -> None:
        try:
            self.app.ideas.moderate(idea_id, action)
        except KioskError as exc:
            log.warning("moderation failed: %s", exc)
            self.feedback = _("That did not work.")
        else:
            self.feedback = _("Saved.")
            self.app.screens["wall"].dirty = True
        self.rebuild()

    # --- loans -----------------------------------------------------------------------------------------
    def _tab_loans(self):
        m, rtl, live = self.m, self.rtl, self.app.live
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        summary = live.summary.payload if live.summary else None
        stale = stale_text(self.app, "booth", live.summary.received if live.summary else None)
        if stale:
            box.add_widget(self.label(stale, 17, theme.RED, size_hint_y=None, height=m.px(28), data=True))
        month = (summary or {}).get("month", {})
        figures = [(_("Books out now"), (summary or {}).get("active_loans", "–")),
                   (_("Loans this month"), month.get("loans", "–")),
                   (_("Returns this month"), month.get("returns", "–")),
                   (_("Readers this month"), month.get("readers", "–"))]
        grid = GridLayout(cols=4 if not m.portrait else 2, spacing=m.px(6), size_hint_y=None,
                          height=m.px(84) if not m.portrait else m.px(160))
        for words, number in figures:
            cell = self._panel()
            cell.add_widget(self.label(str(number), 26, theme.PURPLE, bold=True, align="center", data=True,
                                       lang="de"))
            cell.add_widget(self.label(words, 15, theme.INK_SOFT, align="center"))
            grid.add_widget(cell)
        box.add_widget(grid)
        overdue = (summary or {}).get("overdue", [])
        rows = [self.label(_("Overdue books: {n}").format(n=len(overdue)), 20, theme.INK, bold=True,
                           size_hint_y=None, height=m.px(34))]
        for item in overdue:
            row = self._panel(orientation="horizontal", size_hint_y=None, height=m.px(70))
            words = BoxLayout(orientation="vertical")
            words.add_widget(self.label((item.get("book") or {}).get("title", "?"), 18, theme.INK, bold=True,
                                        data=True))
            words.add_widget(self.label(_("{card}, due {date}").format(card=item.get("card", "?"),
                                                                       date=self._local_time(item.get("due"))),
                                        16, theme.INK_SOFT, data=True))
            block = button(text=_("Block card"), lang=self.lang, colour=rgb(theme.CARD), fg=rgb(theme.RED),
                           border=rgb(theme.RED), font=m.font(16), action=lambda c=item.get("card"): self.block(c),
                           tag=f"block:{item.get('card')}", size_hint_x=None, width=m.px(150), radius=m.px(10))
            for p in ([block, words] if rtl else [words, block]):
                row.add_widget(p)
            rows.append(row)
        box.add_widget(self._scroll(rows))
        modes = [("books", _("Register books")), ("cards", _("Register cards")), ("off", _("Registering off"))]
        box.add_widget(hbox([button(text=words, lang=self.lang, colour=rgb(theme.PURPLE), fg=rgb(theme.ON_DARK),
                                    font=m.font(16), action=lambda mode=mode: self.register(mode),
                                    tag=f"register:{mode}", radius=m.px(10)) for mode, words in modes],
                            rtl, spacing=m.px(6), size_hint_y=None, height=m.touch))
        return box

    def block(self, card: str | None) -> None:
        if not card:
            return
        self.say(_("Sending …"))
        self.app.live.request("booth", "block", {"card": card, "blocked": True},
                              lambda reply, error: self.say(_("Done.") if not error else
                                                            _("That did not work: the book booth does not answer.")))

    def register(self, mode: str) -> None:
        self.say(_("Sending …"))
        self.app.live.request("booth", "register", {"mode": mode},
                              lambda reply, error: self.say(_("Done.") if not error else
                                                            _("That did not work: the book booth does not answer.")))

    # --- sensors ---------------------------------------------------------------------------------------
    def _tab_sensors(self):
        m, rtl, live = self.m, self.rtl, self.app.live
        rows = [self.label(_("Calibrate: put the sensor in dry air and tap “Dry”. Then put it in water and tap "
                             "“Wet”."), 17, theme.INK_SOFT, size_hint_y=None, height=m.px(52))]
        for sensor in self.sensors():
            state = live.state.get(sensor.node)
            moisture = state.payload.get("moisture") if state else None
            value = f"{moisture:.0f} %" if isinstance(moisture, (int, float)) else "–"
            row = self._panel(orientation="horizontal", size_hint_y=None, height=m.px(84))
            words = self.label(f"{sensor.name} ({sensor.node}): {value}", 19, theme.INK, bold=True, data=True)
            dry = button(text=_("Dry"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                         font=m.font(18), action=lambda n=sensor.node: self.calibrate(n, "dry"),
                         tag=f"calibrate:{sensor.node}:dry", size_hint_x=None, width=m.px(120), radius=m.px(10))
            wet = button(text=_("Wet"), lang=self.lang, colour=rgb(theme.TEAL), fg=rgb(theme.ON_DARK),
                         font=m.font(18), action=lambda n=sensor.node: self.calibrate(n, "wet"),
                         tag=f"calibrate:{sensor.node}:wet", size_hint_x=None, width=m.px(120), radius=m.px(10))
            for p in ([wet, dry, words] if rtl else [words, dry, wet]):
                row.add_widget(p)
            rows.append(row)
        quit_words = _("Tap again to close the kiosk") if self.confirm_quit else _("Close the kiosk")
        rows.append(button(text=quit_words, lang=self.lang, colour=rgb(theme.CARD), fg=rgb(theme.RED),
                           border=rgb(theme.RED), font=m.font(17), icon="exit", rtl=rtl, action=self._quit,
                           tag="quit", size_hint_y=None, height=m.touch, radius=m.px(10)))
        return self._scroll(rows)

    def calibrate(self, node: str, point: str) -> None:
        self.say(_("Sending …"))

        def done(reply, error):
            if error:
                self.say(_("That did not work: the garden service does not answer."))
            else:
                self.say(_("Saved: raw value {raw}.").format(raw=(reply or {}).get("raw", "?")))
        self.app.live.request("garden", "calibrate", {"node": node, "point": point}, done)

    def _quit(self) -> None:
        if self.confirm_quit:
            self.app.quit_kiosk()
            return
        self.confirm_quit = True
        self.rebuild()

    # --- hooks -------------------------------------------------------------------------------------------
    def live_changed(self, kind: str, key) -> None:
        relevant = {"alerts": ("state", "alert", "connection", "status"), "plot": ("history",),
                    "loans": ("summary", "connection", "status"), "sensors": ("state",)}.get(self.tab, ())
        if kind in relevant:
            if self.app.current == self.key:
                feedback = self.feedback
                self.rebuild()
                self.say(feedback)
            else:
                self.dirty = True

    def reset(self) -> None:
        self.tab, self.span, self.feedback, self.confirm_quit = "alerts", "24h", "", False
        self._asked = set()

    def speech_text(self) -> str:
        return self.title()
