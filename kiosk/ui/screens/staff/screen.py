"""Staff mode: the tab bar, the chosen tab, and a line of feedback under it.

Staff reach it by holding the motto on the home screen for 3 seconds (PIN) or
by tapping a staff card at the booth. It closes on "Leave" and on the idle reset.
Each tab is a small class in its own module (TABS below); what a tab changes
goes through the domain (kiosk.ideas.moderation, kiosk.booth / kiosk.garden
staff_commands), which also words the outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.clock import parse_iso
from kiosk.staff_requests import StaffRequest
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.screens import KScreen
from kiosk.ui.screens.staff.alerts import AlertsTab
from kiosk.ui.screens.staff.ideas import IdeasTab
from kiosk.ui.screens.staff.loans import LoansTab
from kiosk.ui.screens.staff.plot import PlotTab
from kiosk.ui.screens.staff.sensors import SensorsTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, ScrollBox, button

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tab:
    key: str
    icon: str
    words: str
    kind: type


TABS = (Tab("alerts", "alert", N_("Alerts"), AlertsTab), Tab("plot", "chart", N_("Moisture"), PlotTab),
        Tab("ideas", "list", N_("Ideas"), IdeasTab), Tab("loans", "book", N_("Loans"), LoansTab),
        Tab("sensors", "sensor", N_("Sensors"), SensorsTab))


class StaffScreen(KScreen):
    key = "staff"

    def __init__(self, app, **kwargs):
        self.tabs = {tab.key: tab.kind(self) for tab in TABS}
        self.tab = TABS[0].key
        self.feedback = ""
        super().__init__(app, **kwargs)

    @property
    def m(self):
        # Staff read tables at a lower floor than passers-by (see theme.STAFF_TEXT_FLOOR).
        return replace(self.app.metrics, floor=theme.STAFF_TEXT_FLOOR)

    @property
    def current_tab(self):
        return self.tabs[self.tab]

    @property
    def keyboard(self):
        """The on-screen keyboard of the tab shown, when it has one (typing an answer)."""
        return getattr(self.current_tab, "keyboard", None)

    def title(self) -> str:
        words = {tab.key: tab.words for tab in TABS}
        return _("Staff") + " · " + _(words[self.tab])

    def sensors(self):
        return list(self.app.station.garden.sensors)

    def build(self):
        m, rtl = self.m, self.rtl
        if not self.app.staff:
            box = BoxLayout(padding=m.gap)
            box.add_widget(self.label(_("Enter the staff PIN"), 24, align="center"))
            return box
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        bar = GridLayout(cols=3 if m.portrait else 1, spacing=m.px(6),
                         size_hint=(1, None) if m.portrait else (None, 1),
                         height=2 * m.touch + m.px(6), width=m.px(178))
        for tab in TABS:
            chosen = tab.key == self.tab
            bar.add_widget(button(text=_(tab.words), lang=self.lang, colour=rgb(theme.BAR if chosen else theme.CARD),
                                  fg=rgb(theme.ON_DARK if chosen else theme.INK), border=rgb(theme.LINE),
                                  font=m.font(18), min_font=m.least, icon=tab.icon if not m.portrait else None, rtl=rtl,
                                  action=lambda k=tab.key: self.show_tab(k), tag=f"tab:{tab.key}", radius=m.px(10)))
        bar.add_widget(button(text=_("Leave"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                              font=m.font(18), min_font=m.least, icon="exit" if not m.portrait else None, rtl=rtl,
                              action=self.app.leave_staff, tag="leave", radius=m.px(10)))
        content = BoxLayout(orientation="vertical", spacing=m.px(6))
        content.add_widget(self.current_tab.build())
        self.feedback_label = self.label(self.feedback, 17, theme.INK_SOFT, size_hint_y=None, height=m.px(28),
                                         data=True)
        content.add_widget(self.feedback_label)
        for w in ([content, bar] if rtl and not m.portrait else [bar, content]):
            root.add_widget(w)
        return root

    def show_tab(self, key: str) -> None:
        self.current_tab.leave()
        self.tab = key
        self.feedback = ""
        self.rebuild()
        self.app.bar.set_title(self.title())

    def say(self, message: str) -> None:
        self.feedback = message
        if getattr(self, "feedback_label", None) is not None:
            self.feedback_label.raw = message

    def send(self, request: StaffRequest, then=None) -> None:
        """Send a staff command and say its outcome in the domain's words; then(reply) after a success."""
        self.say(_("Sending …"))

        def done(reply, error):
            outcome = request.outcome(reply, error)
            if not outcome.ok:
                log.warning("%s %s: %s", request.service, request.name, outcome.detail)
            self.say(outcome.text(_))
            if outcome.ok and then is not None:
                then(reply)
        self.app.live.request(request.service, request.name, request.payload, done)

    # --- what the tabs share ------------------------------------------------------------------------
    def panel(self, **kwargs):
        m = self.m
        kwargs.setdefault("border", rgb(theme.LINE))
        return Panel(orientation=kwargs.pop("orientation", "vertical"), bg=rgb(theme.CARD),
                     radius=m.px(12), padding=m.px(10), spacing=m.px(6), **kwargs)

    def scroll(self, rows: list):
        m = self.m
        scroll = ScrollBox(do_scroll_x=False, bar_width=m.px(8), scroll_type=["bars", "content"])
        box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=m.px(6), padding=(0, 0, m.px(14), 0))
        box.bind(minimum_height=box.setter("height"))
        for row in rows:
            box.add_widget(row)
        scroll.add_widget(box)
        return scroll

    def local_time(self, ts: str | None) -> str:
        if not ts:
            return "–"
        try:
            return parse_iso(ts).astimezone(self.app.zone).strftime("%d.%m. %H:%M")
        except ValueError:
            return str(ts)

    # --- hooks -------------------------------------------------------------------------------------------
    def live_changed(self, kind: str, key) -> None:
        if kind in self.current_tab.live:
            if self.app.current == self.key:
                feedback = self.feedback
                self.rebuild()
                self.say(feedback)
            else:
                self.dirty = True

    def reset(self) -> None:
        self.tab, self.feedback = TABS[0].key, ""
        for tab in self.tabs.values():
            tab.reset()

    def speech_text(self) -> str:
        return self.title()
