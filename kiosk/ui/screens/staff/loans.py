"""The loans tab: the booth's retained summary, overdue books with "Block card", register mode."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.booth import staff_commands
from kiosk.ui import theme
from kiosk.ui.i18n import N_, _
from kiosk.ui.screens.booth import stale_text
from kiosk.ui.screens.staff.tab import StaffTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import button, hbox

MODE_WORDS = (("books", N_("Register books")), ("cards", N_("Register cards")), ("off", N_("Registering off")))


class LoansTab(StaffTab):
    live = ("summary", "connection", "status")

    def build(self):
        s = self.screen
        m, rtl, live = s.m, s.rtl, s.app.live
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        summary = live.summary.value if live.summary else None      # a Summary
        stale = stale_text(s.app, "booth", live.summary.received if live.summary else None)
        if stale:
            box.add_widget(s.label(stale, 17, theme.RED, size_hint_y=None, height=m.px(28), data=True))
        month = summary.month if summary else None
        figures = [(_("Books out now"), summary.active_loans if summary else "–"),
                   (_("Loans this month"), month.loans if month else "–"),
                   (_("Returns this month"), month.returns if month else "–"),
                   (_("Readers this month"), month.readers if month else "–")]
        grid = GridLayout(cols=4 if not m.portrait else 2, spacing=m.px(6), size_hint_y=None,
                          height=round(m.px(104) * m.text) if not m.portrait else m.px(200))
        for words, number in figures:
            cell = s.panel()
            cell.add_widget(s.label(str(number), 26, theme.PURPLE, bold=True, align="center", data=True, lang="de"))
            cell.add_widget(s.label(words, 15, theme.INK_SOFT, align="center", grow=True))
            grid.add_widget(cell)
        box.add_widget(grid)
        overdue = summary.overdue if summary else ()
        rows = [s.label(_("Overdue books: {n}").format(n=len(overdue)), 20, theme.INK, bold=True,
                        size_hint_y=None, height=m.px(34))]
        for item in overdue:
            row = s.panel(orientation="horizontal", size_hint_y=None, height=round(m.px(80) * m.text))
            words = BoxLayout(orientation="vertical")
            words.add_widget(s.label(item.book.title or "?", 18, theme.INK, bold=True, data=True))
            words.add_widget(s.label(_("{card}, due {date}").format(card=item.card or "?",
                                                                    date=s.local_time(item.due)),
                                     16, theme.INK_SOFT, data=True))
            block = button(text=_("Block card"), lang=s.lang, colour=rgb(theme.CARD), fg=rgb(theme.RED),
                           border=rgb(theme.RED), font=m.font(16), min_font=m.least,
                           action=lambda c=item.card: self.block(c),
                           tag=f"block:{item.card}", size_hint_x=None, width=m.px(150), radius=m.px(10))
            for p in ([block, words] if rtl else [words, block]):
                row.add_widget(p)
            rows.append(row)
        box.add_widget(s.scroll(rows))
        box.add_widget(hbox([button(text=_(words), lang=s.lang, colour=rgb(theme.PURPLE), fg=rgb(theme.ON_DARK),
                                    font=m.font(16), min_font=m.least, action=lambda mode=mode: self.register(mode),
                                    tag=f"register:{mode}", radius=m.px(10)) for mode, words in MODE_WORDS],
                            rtl, spacing=m.px(6), size_hint_y=None, height=max(m.touch, m.px(62))))
        return box

    def block(self, card) -> None:
        if card:     # an overdue entry whose card is gone has nothing to block
            self.screen.send(staff_commands.block(card))

    def register(self, mode: str) -> None:
        self.screen.send(staff_commands.register(mode))
