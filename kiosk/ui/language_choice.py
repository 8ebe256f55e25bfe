"""The language choice: one big button per language of the station, each in its own words."""

from __future__ import annotations

from typing import Callable

from kivy.uix.modalview import ModalView

from kiosk.ui import theme
from kiosk.ui.i18n import LANGUAGE_NAMES
from kiosk.ui.theme import Metrics, rgb
from kiosk.ui.widgets import Panel, button


def open_language_choice(m: Metrics, languages: tuple[str, ...], current: str,
                         choose: Callable[[str], None]) -> ModalView:
    """Open the choice over the screen; a tap on a language closes it and calls `choose(code)`,
    a tap beside it only closes it. Returns the view (idle reset closes it)."""
    view = ModalView(size_hint=(None, None), size=(min(m.width * 0.9, m.px(560)), min(m.height * 0.9, m.px(420))),
                     background_color=(0, 0, 0, 0.6), auto_dismiss=True)
    box = Panel(orientation="vertical", padding=m.px(12), spacing=m.px(8), bg=rgb(theme.PAPER))
    for code in languages:
        box.add_widget(button(text=LANGUAGE_NAMES.get(code, code), lang=code,
                              colour=rgb(theme.BAR if code == current else theme.CARD),
                              fg=rgb(theme.ON_DARK if code == current else theme.INK), font=m.font(26),
                              min_font=m.shrink(26),
                              action=lambda c=code: (view.dismiss(), choose(c)), tag=f"lang:{code}",
                              border=rgb(theme.LINE), data=True))
    view.add_widget(box)
    view.open()
    return view
