"""The staff PIN pad: four or more digits, checked off the UI thread, with the lockout shown."""

from __future__ import annotations

import logging
import math

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.i18n import _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Dots, Tap, hbox

log = logging.getLogger(__name__)


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
        self.dots = Dots(filled=len(self.entered), total=4, colour=rgb(theme.INK), size_hint_y=0.2)
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
            return ngettext("Too many wrong tries. Please wait {minutes} minute.",
                            "Too many wrong tries. Please wait {minutes} minutes.", minutes).format(minutes=minutes)
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
                self.app.open_staff()
            return
        self.note_error = True
        if result.no_pin or result.locked_for_s > 0:
            self.note = ""
        else:
            self.note = ngettext("Wrong PIN. {left} try left.", "Wrong PIN. {left} tries left.",
                                 result.tries_left).format(left=result.tries_left)
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

