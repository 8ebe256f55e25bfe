"""The ideas tab: new ideas to show or hide, ideas on the wall with their status and public answer.

Every change goes through kiosk.ideas.moderation, as `kiosk admin idea` and the console do.
"""

from __future__ import annotations

import logging

from kivy.uix.boxlayout import BoxLayout

from kiosk.errors import KioskError
from kiosk.ideas import moderation
from kiosk.ideas.store import MAX_ANSWER_CHARS
from kiosk.ui import theme
from kiosk.ui.i18n import _, ngettext
from kiosk.ui.keyboard.widget import Keyboard
from kiosk.ui.screens.idea import CATEGORY_WORDS, CURSOR
from kiosk.ui.screens.staff.tab import StaffTab
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, button, hbox

log = logging.getLogger(__name__)

MAX_MODERATION_ROWS = 60


class IdeasTab(StaffTab):
    def reset(self) -> None:
        self.answering: int | None = None   # the idea whose answer is being typed
        self.draft = ""
        self.keyboard = None

    leave = reset       # a half-typed answer is dropped

    def build(self):
        s = self.screen
        m, ideas = s.m, s.app.ideas
        self.keyboard = None
        if ideas is None:
            return s.label(_("The ideas are not available right now."), 20, theme.INK_SOFT)
        try:
            if self.answering is not None:
                return self._answer_editor(ideas.get(self.answering))
            pending = list(ideas.pending())[:MAX_MODERATION_ROWS]
            approved = list(ideas.wall(MAX_MODERATION_ROWS, 0))
        except KioskError as exc:
            log.warning("ideas unavailable: %s", exc)
            self.answering = None
            return s.label(_("The ideas are not available right now."), 20, theme.INK_SOFT)
        rows = [s.label(_("New ideas to check: {n}").format(n=len(pending)), 20, theme.INK, bold=True,
                        size_hint_y=None, height=m.px(36))]
        for idea in pending:
            rows.append(self._row(idea, [("approve", _("Show"), theme.GREEN), ("reject", _("Hide"), theme.RED)]))
        rows.append(s.label(_("On the wall"), 20, theme.INK, bold=True, size_hint_y=None, height=m.px(36)))
        for idea in approved:
            actions = [(key, _(words), theme.BAR) for key, words in moderation.STATUS_WORDS.items()]
            rows.append(self._row(idea, actions, current=idea.status, answerable=True))
        return s.scroll(rows)

    def _row(self, idea, actions, current=None, answerable=False):
        s = self.screen
        m, rtl = s.m, s.rtl
        row = s.panel(orientation="vertical", size_hint_y=None,
                      height=round(m.px(230 if idea.answer else 190) * m.text))
        head = _(CATEGORY_WORDS.get(idea.category, "Something else"))
        if idea.has_contact:
            head += " · " + _("with contact")
        head_label = s.label(f"#{idea.number} · {head}", 16, theme.INK_SOFT, data=True)
        if answerable:
            answer = button(text=_("Answer"), lang=s.lang, colour=rgb(theme.CARD), fg=rgb(theme.TEAL),
                            border=rgb(theme.TEAL), font=m.font(16), min_font=m.least, size_hint_x=None,
                            width=m.px(150),
                            action=lambda: self.start_answer(idea.id, idea.answer), tag=f"idea:{idea.id}:answer",
                            radius=m.px(10))
            row.add_widget(hbox([head_label, answer], rtl, spacing=m.px(6), size_hint_y=None, height=m.touch))
        else:
            head_label.size_hint_y, head_label.height = None, m.px(30)
            row.add_widget(head_label)
        row.add_widget(s.label(idea.text, 18, theme.INK, data=True, min_size=11, ellipsis=True))
        if idea.answer:
            row.add_widget(s.label(_("Our answer: {answer}").format(answer=idea.answer), 16, theme.TEAL, data=True,
                                   min_size=11, ellipsis=True, size_hint_y=None, height=m.px(40)))
        buttons = []
        for action, words, colour in actions:
            lit = current is None or current == action
            buttons.append(button(text=words, lang=s.lang, colour=rgb(colour if lit else theme.CARD),
                                  fg=rgb(theme.ON_DARK if lit else theme.INK), border=rgb(theme.LINE),
                                  font=m.font(16), min_font=m.least,
                                  action=lambda a=action, i=idea.id: self.moderate(i, a),
                                  tag=f"idea:{idea.id}:{action}", radius=m.px(10)))
        # two lines of 15 px fit ("Nicht möglich" on a quarter of the row)
        row.add_widget(hbox(buttons, rtl, spacing=m.px(6), size_hint_y=None, height=m.px(62)))
        return row

    def moderate(self, idea_id: int, action: str) -> None:
        store = self.screen.app.ideas
        if action == "approve":
            self._change(lambda: moderation.approve(store, idea_id))
        elif action == "reject":
            self._change(lambda: moderation.reject(store, idea_id))
        else:
            self._change(lambda: moderation.set_status(store, idea_id, action))

    def _change(self, change) -> None:
        s = self.screen
        try:
            change()
        except KioskError as exc:
            log.warning("the change of an idea failed: %s", exc)
            s.feedback = _("That did not work.")
        else:
            s.feedback = _("Saved.")
            wall = s.app.screens.if_built("wall")     # a wall not made yet is built fresh anyway
            if wall is not None:
                wall.dirty = True
        s.rebuild()

    # --- the public answer -------------------------------------------------------------------------
    def start_answer(self, idea_id: int, current: str) -> None:
        self.answering, self.draft = idea_id, current
        self.screen.feedback = ""
        self.screen.rebuild()

    def _answer_editor(self, idea):
        s = self.screen
        m, rtl = s.m, s.rtl
        box = BoxLayout(orientation="vertical", spacing=m.px(6))
        box.add_widget(s.label(f"#{idea.number} · {idea.text}", 17, theme.INK_SOFT, data=True, min_size=11,
                               ellipsis=True, size_hint_y=None, height=m.px(30)))
        panel = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.INK_SOFT), radius=m.px(12),
                      padding=(m.px(12), m.px(6)))
        self.box_label = s.label("", 19, theme.INK, data=True, min_size=11)
        panel.add_widget(self.box_label)
        buttons = BoxLayout(orientation="vertical", spacing=m.px(6), size_hint_x=None, width=m.px(150))
        buttons.add_widget(button(text=_("Save"), lang=s.lang, colour=rgb(theme.GREEN), fg=rgb(theme.ON_DARK),
                                  font=m.font(17), min_font=m.least, action=self.save_answer, tag="answer:save",
                                  radius=m.px(10)))
        buttons.add_widget(button(text=_("Back"), lang=s.lang, colour=rgb(theme.CARD), fg=rgb(theme.INK),
                                  border=rgb(theme.LINE), font=m.font(17), min_font=m.least, action=self.cancel_answer,
                                  tag="answer:back", radius=m.px(10)))
        box.add_widget(hbox([panel, buttons], rtl, spacing=m.px(6)))
        self.count_label = s.label("", 15, theme.INK_SOFT, data=True, size_hint_y=None, height=m.px(22))
        box.add_widget(self.count_label)
        self.keyboard = Keyboard(lang=s.lang, languages=tuple(s.app.i18n.languages), metrics=m,
                                 on_text=self.type_text, on_backspace=self.backspace, ui_lang=s.lang,
                                 size_hint_y=None, height=4 * m.px(42) + 3 * m.px(5))
        box.add_widget(self.keyboard)
        self._refresh()
        return box

    def _refresh(self) -> None:
        if self.draft:
            self.box_label.color, self.box_label.raw = rgb(theme.INK), self.draft + CURSOR
        else:
            self.box_label.color = rgb(theme.INK_SOFT)
            self.box_label.raw = _("Write a short answer for the ideas wall:")
        self.count_label.raw = ngettext("{used} of {limit} letter", "{used} of {limit} letters",
                                        MAX_ANSWER_CHARS).format(used=len(self.draft), limit=MAX_ANSWER_CHARS)

    def type_text(self, chars: str) -> None:
        if len(self.draft) + len(chars) <= MAX_ANSWER_CHARS:
            self.draft += chars
            self._refresh()

    def backspace(self) -> None:
        self.draft = self.draft[:-1]
        self._refresh()

    def cancel_answer(self) -> None:
        self.reset()
        self.screen.rebuild()

    def save_answer(self) -> None:
        store, idea_id, draft = self.screen.app.ideas, self.answering, self.draft
        self.reset()
        # Telling the author (a later step) hooks into moderation.answer, not into this face.
        self._change(lambda: moderation.answer(store, idea_id, draft))
