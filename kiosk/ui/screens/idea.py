"""Your idea: pick a topic, type it on the on-screen keyboard, maybe leave a contact, thank you."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.ui import theme
from kiosk.ui.i18n import N_, _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.keyboard.widget import Keyboard
from kiosk.ui.screens import KScreen
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, Tap, button, hbox, tile

CATEGORY_WORDS = {"play": N_("Play"), "green": N_("Green spaces"), "meeting": N_("Meeting people"),
                  "clean": N_("Clean streets"), "other": N_("Something else")}
REASON_WORDS = {
    "empty": N_("Please write a few words first."),
    "too_long": N_("That is a lot! Please keep it a little shorter."),
    "contact_without_consent": N_("Please tick the box, or leave the contact empty."),
    "contact_too_long": N_("The contact is too long."),
    "unknown_category": N_("Please choose a topic first."),
    "slow_down": N_("Many ideas just arrived. Please wait a moment and try again."),
    "broken": N_("That did not work. Please tell us in the office."),
}
CURSOR = "|"


def limits():
    try:
        from kiosk.ideas import MAX_CONTACT_CHARS, MAX_TEXT_CHARS
    except ImportError:      # pragma: no cover - the ideas domain ships with the kiosk
        return 500, 120
    return MAX_TEXT_CHARS, MAX_CONTACT_CHARS


class IdeaScreen(KScreen):
    key = "idea"

    def title(self) -> str:
        return _("Your idea")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.gap)
        root.add_widget(self.label(_("What is your idea for Batenbrock about?"), 28, theme.INK, bold=True,
                                   size_hint_y=None, height=m.px(52)))
        grid = GridLayout(cols=3 if not m.portrait else 2, spacing=m.gap)
        keys = list(CATEGORY_WORDS)
        for key in keys:
            grid.add_widget(tile(icon=key, text=_(CATEGORY_WORDS[key]), lang=self.lang, colour=rgb(theme.ORANGE),
                                 fg=rgb(theme.ON_DARK), action=lambda k=key: self._pick(k), font=m.font(24),
                                 min_font=m.shrink(24), tag=f"category:{key}", horizontal=not m.portrait, rtl=rtl,
                                 radius=m.px(16),
                                 pad=m.px(10), icon_share=0.34 if not m.portrait else 0.55))
        grid.add_widget(tile(icon="list", text=_("Ideas of others"), lang=self.lang, colour=rgb(theme.CARD),
                             fg=rgb(theme.ORANGE), action=lambda: app.go("wall"), font=m.font(24),
                             min_font=m.shrink(24), tag="to_wall",
                             horizontal=not m.portrait, rtl=rtl, radius=m.px(16), pad=m.px(10),
                             icon_share=0.34 if not m.portrait else 0.55))
        grid.children[0].border = rgb(theme.ORANGE)
        grid.children[0].set_colour(rgb(theme.CARD))
        root.add_widget(grid)
        return root

    def _pick(self, key: str) -> None:
        self.app.draft.category = key
        self.app.draft.error = ""
        self.app.go("idea_text")

    def speech_text(self) -> str:
        return ". ".join([_("What is your idea for Batenbrock about?")] + [_(w) for w in CATEGORY_WORDS.values()])


class _Typing(KScreen):
    """Shared by the text and the contact step: a text box fed by the keyboard."""

    field = "text"

    def limit(self) -> int:
        raise NotImplementedError

    def value(self) -> str:
        return getattr(self.app.draft, self.field)

    def set_value(self, value: str) -> None:
        setattr(self.app.draft, self.field, value[: self.limit()])
        self.app.draft.error = ""
        self.refresh_box()

    def type_text(self, chars: str) -> None:
        """Add characters at the end (what a key does)."""
        if len(self.value()) + len(chars) <= self.limit():
            self.set_value(self.value() + chars)
        else:
            self.app.draft.error = "too_long" if self.field == "text" else "contact_too_long"
            self.refresh_box()

    def backspace(self) -> None:
        self.set_value(self.value()[:-1])

    def make_box(self, placeholder: str, size_hint_y: float):
        m = self.m
        self.box_panel = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.INK_SOFT),
                               radius=m.px(12), padding=(m.px(12), m.px(6)), size_hint_y=size_hint_y)
        self.placeholder = placeholder
        self.box_label = self.label("", 22, theme.INK, data=True, min_size=13)
        self.box_panel.add_widget(self.box_label)
        self.status = self.label("", 18, theme.INK_SOFT, data=True, size_hint_y=None, height=m.px(26))
        self.refresh_box()
        return self.box_panel

    def refresh_box(self) -> None:
        if not hasattr(self, "box_label"):
            return
        value = self.value()
        typing_lang = self.keyboard.layout_lang if getattr(self, "keyboard", None) else self.lang
        if value:
            self.box_label.color = rgb(theme.INK)
            self.box_label.lang = self.lang if typing_lang != "ar" else "ar"
            self.box_label.raw = value + CURSOR
        else:
            self.box_label.color = rgb(theme.INK_SOFT)
            self.box_label.lang = self.lang
            self.box_label.raw = self.placeholder
        error = self.app.draft.error
        if error:
            self.status.color = rgb(theme.RED)
            self.status.raw = _(REASON_WORDS.get(error, REASON_WORDS["broken"]))
        else:
            self.status.color = rgb(theme.INK_SOFT)
            limit = self.limit()      # the noun agrees with the limit: "von 500 Zeichen", "من 500 حرف"
            self.status.raw = ngettext("{used} of {limit} letter", "{used} of {limit} letters",
                                       limit).format(used=len(value), limit=limit)

    def make_keyboard(self):
        m = self.m
        self.keyboard = Keyboard(lang=self.lang, languages=tuple(self.app.i18n.languages), metrics=m,
                                 on_text=self.type_text, on_backspace=self.backspace, ui_lang=self.lang,
                                 size_hint_y=None, height=4 * m.px(52) + 3 * m.px(5))
        return self.keyboard


class IdeaTextScreen(_Typing):
    key = "idea_text"
    field = "text"

    def limit(self) -> int:
        return limits()[0]

    def title(self) -> str:
        category = self.app.draft.category
        return _(CATEGORY_WORDS[category]) if category in CATEGORY_WORDS else _("Your idea")

    def build(self):
        m, rtl = self.m, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.px(6))
        self.keyboard = None
        question = self.label(_("Write your idea:"), 22, theme.INK, bold=True)
        next_button = button(text=_("Next"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                             font=m.font(22), min_font=m.shrink(22), icon="forward", rtl=rtl, action=self._next,
                             tag="next",
                             size_hint_x=None, width=m.px(180), radius=m.px(12))
        root.add_widget(hbox([question, next_button], rtl, spacing=m.gap, size_hint_y=None, height=m.touch))
        box = self.make_box(_("For example: a bench by the playground"), 1)
        root.add_widget(box)
        root.add_widget(self.status)
        root.add_widget(self.make_keyboard())
        self.refresh_box()
        return root

    def _next(self) -> None:
        if not self.app.draft.text.strip():
            self.app.draft.error = "empty"
            self.refresh_box()
            return
        self.app.go("idea_contact")

    def speech_text(self) -> str:
        from kiosk.languages import reads_free_text

        # What the visitor typed, where the voice can read it (not in Arabic: kiosk.languages).
        typed = self.app.draft.text if reads_free_text(self.lang) else ""
        return ". ".join([_("Write your idea:"), typed or _("For example: a bench by the playground")])


class IdeaContactScreen(_Typing):
    key = "idea_contact"
    field = "contact"

    def limit(self) -> int:
        return limits()[1]

    def title(self) -> str:
        return _("Would you like an answer?")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.px(6))
        self.keyboard = None
        if m.portrait:
            root.add_widget(self.label(_("You may leave a phone number or e-mail. You do not have to."), 20,
                                       theme.INK, size_hint_y=None, height=m.px(52)))
        box = self.make_box(_("Phone or e-mail (optional)"), None)
        box.height = m.touch
        self.consent = Tap(orientation="horizontal", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(12),
                           padding=m.px(8), spacing=m.px(10), size_hint_y=None, height=m.touch,
                           action=self._toggle_consent, tag="consent")
        self.tick_box = Panel(bg=rgb(theme.GREEN if app.draft.consent else theme.CARD), border=rgb(theme.INK),
                              radius=m.px(6), size_hint_x=None, width=m.px(40), padding=m.px(4))
        if app.draft.consent:
            self.tick_box.add_widget(Icon(name="check", colour=rgb(theme.ON_DARK)))
        consent_words = self.label(_("Yes, the office may keep my contact to answer me."), 18, theme.INK)
        two_lines = m.px(68)        # the consent's words take two lines at 18 px
        for w in ([consent_words, self.tick_box] if rtl else [self.tick_box, consent_words]):
            self.consent.add_widget(w)
        send_without = button(text=_("Send without contact"), lang=self.lang, colour=rgb(theme.CARD),
                              fg=rgb(theme.ORANGE), border=rgb(theme.ORANGE), font=m.font(19),
                              min_font=m.shrink(19), action=self._send_anonymous, tag="send_anonymous", radius=m.px(12),
                              size_hint_x=0.42 if not m.portrait else 1)
        send = button(text=_("Send"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                      font=m.font(22), min_font=m.shrink(22), icon="check", rtl=rtl, action=self._send, tag="send",
                      radius=m.px(12),
                      size_hint_x=0.42 if not m.portrait else 0.8)
        self.status.size_hint_y = None
        self.status.height = m.px(26)
        if m.portrait:
            root.add_widget(box)
            root.add_widget(self.consent)
            root.add_widget(self.status)
            root.add_widget(hbox([send_without, send], rtl, spacing=m.gap, size_hint_y=None, height=m.touch))
            root.add_widget(BoxLayout())
        else:
            root.add_widget(hbox([box, send_without], rtl, spacing=m.gap, size_hint_y=None, height=two_lines))
            self.consent.height = two_lines
            root.add_widget(hbox([self.consent, send], rtl, spacing=m.gap, size_hint_y=None, height=two_lines))
            root.add_widget(self.status)
        root.add_widget(self.make_keyboard())
        self.refresh_box()
        return root

    def _toggle_consent(self) -> None:
        self.app.draft.consent = not self.app.draft.consent
        self.app.draft.error = ""
        self.rebuild()

    def _send_anonymous(self) -> None:
        self.app.draft.contact = ""
        self.app.draft.consent = False
        self._send()

    def _send(self) -> None:
        app, draft = self.app, self.app.draft
        if app.ideas is None:
            draft.error = "broken"
            self.refresh_box()
            return
        from kiosk.errors import KioskError
        from kiosk.ideas import IdeaRejected

        try:
            idea = app.ideas.submit(draft.text, draft.category, contact=draft.contact.strip(),
                                    consent=draft.consent and bool(draft.contact.strip()), lang=app.lang)
        except IdeaRejected as exc:
            draft.error = exc.reason if exc.reason in REASON_WORDS else "broken"
            if exc.reason in ("empty", "too_long", "unknown_category"):
                app.go("idea_text" if exc.reason != "unknown_category" else "idea")
            else:
                self.refresh_box()
            return
        except KioskError:
            draft.error = "broken"
            self.refresh_box()
            return
        draft.clear()
        app.usage.idea()
        app.screens.build("idea_thanks").number = idea.number
        app.go("idea_thanks", remember=False)
        app.history.clear()

    def speech_text(self) -> str:
        return ". ".join([_("Would you like an answer?"),
                          _("You may leave a phone number or e-mail. You do not have to."),
                          _("Yes, the office may keep my contact to answer me.")])


class IdeaThanksScreen(KScreen):
    key = "idea_thanks"
    number: int | None = None       # the number the idea just sent was given


    def title(self) -> str:
        return _("Thank you!")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.px(20), spacing=m.gap)
        root.add_widget(Icon(name="done", colour=rgb(theme.GREEN), size_hint_y=0.32))
        root.add_widget(self.label(_("Thank you! Your idea has arrived."), 34, theme.INK, bold=True, align="center",
                                   grow=True))
        if self.number is not None:
            root.add_widget(self.label(self._number_words(), 28, theme.ORANGE, bold=True, align="center",
                                       grow=True))
        root.add_widget(self.label(_("Our team reads every idea. Good ideas appear on the ideas wall."), 22,
                                   theme.INK_SOFT, align="center", grow=True))
        root.add_widget(hbox([
            button(text=_("Ideas of others"), lang=self.lang, colour=rgb(theme.CARD), fg=rgb(theme.ORANGE),
                   border=rgb(theme.ORANGE), font=m.font(22), min_font=m.shrink(22), icon="list", rtl=rtl,
                   action=lambda: app.go("wall"),
                   tag="to_wall", radius=m.px(14)),
            button(text=_("Start"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                   font=m.font(22), min_font=m.shrink(22), icon="home", rtl=rtl, action=app.go_home, tag="to_home",
                   radius=m.px(14)),
        ], rtl, spacing=m.gap, size_hint_y=None, height=m.px(68)))
        return root

    def _number_words(self) -> str:
        return _("Your idea has the number {number}.").format(number=self.number)

    def speech_text(self) -> str:
        said = [_("Thank you! Your idea has arrived.")]
        if self.number is not None:
            said.append(self._number_words().rstrip("."))
        return ". ".join(said + [_("Our team reads every idea. Good ideas appear on the ideas wall.")])
