"""The sensors tab: calibrate each sensor (dry, wet), and close the kiosk (asked twice)."""

from __future__ import annotations

from kiosk.garden import staff_commands
from kiosk.ui import theme
from kiosk.ui.i18n import _
from kiosk.ui.screens.staff.tab import StaffTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import button


class SensorsTab(StaffTab):
    live = ("state",)

    def reset(self) -> None:
        self.confirm_quit = False

    leave = reset

    def build(self):
        s = self.screen
        m, rtl, live = s.m, s.rtl, s.app.live
        rows = [s.label(_("Calibrate: put the sensor in dry air and tap “Dry”. Then put it in water and tap "
                          "“Wet”."), 17, theme.INK_SOFT, size_hint_y=None, height=m.px(52))]
        for sensor in s.sensors():
            state = live.state.get(sensor.node)
            moisture = state.value.moisture if state else None
            value = f"{moisture:.0f} %" if moisture is not None else "–"
            row = s.panel(orientation="horizontal", size_hint_y=None, height=m.px(84))
            words = s.label(f"{sensor.name} ({sensor.node}): {value}", 19, theme.INK, bold=True, data=True)
            dry = button(text=_("Dry"), lang=s.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                         font=m.font(18), min_font=m.least, action=lambda n=sensor.node: self.calibrate(n, "dry"),
                         tag=f"calibrate:{sensor.node}:dry", size_hint_x=None, width=m.px(120), radius=m.px(10))
            wet = button(text=_("Wet"), lang=s.lang, colour=rgb(theme.TEAL), fg=rgb(theme.ON_DARK),
                         font=m.font(18), min_font=m.least, action=lambda n=sensor.node: self.calibrate(n, "wet"),
                         tag=f"calibrate:{sensor.node}:wet", size_hint_x=None, width=m.px(120), radius=m.px(10))
            for p in ([wet, dry, words] if rtl else [words, dry, wet]):
                row.add_widget(p)
            rows.append(row)
        quit_words = _("Tap again to close the kiosk") if self.confirm_quit else _("Close the kiosk")
        rows.append(button(text=quit_words, lang=s.lang, colour=rgb(theme.CARD), fg=rgb(theme.RED),
                           border=rgb(theme.RED), font=m.font(17), min_font=m.least, icon="exit", rtl=rtl,
                           action=self.quit,
                           tag="quit", size_hint_y=None, height=m.touch, radius=m.px(10)))
        return s.scroll(rows)

    def calibrate(self, node: str, point: str) -> None:
        self.screen.send(staff_commands.calibrate(node, point))

    def quit(self) -> None:
        if self.confirm_quit:
            self.screen.app.quit_kiosk()
            return
        self.confirm_quit = True
        self.screen.rebuild()
