"""The alerts tab: each sensor's state and alert, with "Acknowledge" for an alert nobody has seen."""

from __future__ import annotations

import dataclasses

from kivy.uix.boxlayout import BoxLayout

from kiosk.garden import staff_commands
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.icons import Icon
from kiosk.ui.screens.booth import stale_text
from kiosk.ui.screens.staff.tab import StaffTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import button

STATUS_TEXT = {"ok": N_("OK"), "dry": N_("Dry"), "stale": N_("Sensor silent"), "fault": N_("Sensor fault"),
               "unknown": N_("No reading yet")}
ALERT_TEXT = {"dry": N_("The bed is dry"), "stale": N_("The sensor is silent"), "fault": N_("The sensor reports nonsense")}


class AlertsTab(StaffTab):
    live = ("state", "alert", "connection", "status")

    def build(self):
        s = self.screen
        m, rtl, live = s.m, s.rtl, s.app.live
        rows = []
        for sensor in s.sensors():
            state = live.state[sensor.node].value if sensor.node in live.state else None      # a BedState
            alert = live.alert[sensor.node].value if sensor.node in live.alert else None      # a BedAlert
            line1 = f"{sensor.name}: {_(STATUS_TEXT[state.status if state else 'unknown'])}"
            if state is not None and state.moisture is not None:
                line1 += f" – {state.moisture:.0f} %"
            active = bool(alert and alert.active)
            acknowledged = bool(alert and alert.acknowledged)
            if active:
                line2 = _("{what} since {time}.").format(what=_(ALERT_TEXT[alert.kind]),
                                                          time=s.local_time(alert.since))
                if acknowledged:
                    line2 += " " + _("Seen by staff.")
            else:
                line2 = _("No alert.")
            row = s.panel(orientation="horizontal", size_hint_y=None, height=m.px(100),
                          border=rgb(theme.RED if active and not acknowledged else theme.LINE))
            words = BoxLayout(orientation="vertical")
            words.add_widget(s.label(line1, 21, theme.INK, bold=True, data=True))
            words.add_widget(s.label(line2, 18, theme.RED if active else theme.INK_SOFT, data=True))
            icon = Icon(name="alert" if active else "check", colour=rgb(theme.RED if active else theme.GREEN),
                        size_hint_x=None, width=m.px(48))
            parts = [icon, words]
            if active and not acknowledged:
                parts.append(button(text=_("Acknowledge"), lang=s.lang, colour=rgb(theme.RED),
                                    fg=rgb(theme.ON_DARK), font=m.font(18), min_font=m.least,
                                    action=lambda n=sensor.node: self.ack(n),
                                    tag=f"ack:{sensor.node}", size_hint_x=None, width=m.px(170), radius=m.px(10)))
            for p in (parts[::-1] if rtl else parts):
                row.add_widget(p)
            rows.append(row)
        if not rows:
            rows.append(s.label(_("No sensors are set up."), 20, theme.INK_SOFT, size_hint_y=None,
                                height=m.px(60)))
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        stale = stale_text(s.app, "garden", max((k.received for k in live.state.values()), default=None))
        if stale:
            box.add_widget(s.label(stale, 17, theme.RED, size_hint_y=None, height=m.px(28), data=True))
        box.add_widget(s.scroll(rows))
        return box

    def ack(self, node: str) -> None:
        live = self.screen.app.live

        def seen(_reply) -> None:
            # Shown at once; the garden's retained alert says the same a moment later.
            if node in live.alert:
                seen_alert = dataclasses.replace(live.alert[node].value, acknowledged=True)
                live.apply(live.topics.garden_alert(node), seen_alert.to_payload(), remember=False)
        self.screen.send(staff_commands.acknowledge(node), then=seen)
