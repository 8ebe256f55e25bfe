"""What a person with low vision, a child or an older person meets on the 7" display, in the real
kiosk: a booth message while typing, the warning before the idle reset, the staff PIN's dots, and
outlines, pressed and switched-on looks that stand out from what they lie on (WCAG 1.4.11)."""

from __future__ import annotations

import pytest
from kivy.graphics import Ellipse, Line

from kiosk.ui import audit, theme
from kiosk.ui.app import SCREENSHOT_SCREENS
from kiosk.ui.widgets import Dots, KLabel

from tests.ui.conftest import sample_kiosk


@pytest.fixture(scope="module")
def kiosk(module_dir):
    with sample_kiosk(module_dir) as driver:
        yield driver


@pytest.fixture(autouse=True)
def fresh(kiosk):
    kiosk.app.idle_reset()
    kiosk.app.toast.hide()
    kiosk.app.idle.last_touch = kiosk.clock()
    kiosk.app.dimmer.set(False)
    kiosk.pump(2)
    yield


window_box = audit.window_box


def overlaps(a, b) -> bool:
    return audit.overlap(a, b) is not None


def start_typing(kiosk, text: str) -> None:
    kiosk.tap("idea")
    kiosk.tap("category:play")
    kiosk.type_text(text)


# --- a booth message while someone types --------------------------------------------------------------

def test_a_booth_message_while_typing_leaves_every_key_free_and_tappable(kiosk):
    start_typing(kiosk, "Ba")
    kiosk.app.show_toast("Lina hat „Der Grüffelo“ ausgeliehen.")
    kiosk.pump(2)
    toast = window_box(kiosk.app.toast)
    keyboard = kiosk.app.sm.current_screen.keyboard
    covered = [char for char, key in keyboard.keys.items() if overlaps(toast, window_box(key))]
    assert covered == []
    for char in "vbn ":
        kiosk.tap(keyboard.keys[char], frames=1)
    assert kiosk.app.draft.text == "Bavbn "
    assert kiosk.app.toast.parent is not None


def test_a_tap_on_the_booth_message_closes_it_and_reaches_nothing_under_it(kiosk):
    start_typing(kiosk, "Ba")
    kiosk.app.show_toast("Lina hat „Der Grüffelo“ ausgeliehen.")
    kiosk.pump(2)
    under = [tap for tap in kiosk.app.bar.buttons.values() if overlaps(window_box(kiosk.app.toast), window_box(tap))]
    assert under, "over the bar while typing"
    kiosk.tap(kiosk.app.toast)
    assert kiosk.app.toast.parent is None
    assert kiosk.app.current == "idea_text" and kiosk.app.language_view is None and not kiosk.app.large_text
    assert kiosk.app.draft.text == "Ba"


def test_without_the_keyboard_the_booth_message_lies_at_the_bottom_and_swallows_its_taps(kiosk):
    kiosk.app.show_toast("Lina hat „Der Grüffelo“ zurückgebracht.")
    kiosk.pump(2)
    assert not overlaps(window_box(kiosk.app.toast), window_box(kiosk.app.bar))
    kiosk.tap(kiosk.app.toast)
    assert kiosk.app.toast.parent is None and kiosk.app.current == "home"


def test_the_message_moves_up_when_the_keyboard_opens_under_it(kiosk):
    kiosk.tap("idea")
    kiosk.app.show_toast("Lina hat „Der Grüffelo“ ausgeliehen.")
    kiosk.pump(2)
    kiosk.tap("category:play")
    keyboard = kiosk.app.sm.current_screen.keyboard
    assert not any(overlaps(window_box(kiosk.app.toast), window_box(key)) for key in keyboard.keys.values())


# --- the warning before the idle reset ---------------------------------------------------------------------

def test_the_kiosk_asks_before_it_forgets_and_a_touch_keeps_the_half_typed_idea(kiosk):
    start_typing(kiosk, "halb")
    kiosk.app.toggle_large_text()
    kiosk.clock.advance(46)
    kiosk.app._tick()
    kiosk.pump(2)
    warning = kiosk.app.idle_warning
    assert warning.shown
    assert warning.question.raw == "Bist du noch da? Tippe, um weiterzumachen."
    assert warning.countdown.raw == "In 14 Sekunden geht es zurück zum Start."
    kiosk.clock.advance(13)
    kiosk.app._tick()
    assert warning.countdown.raw == "In 1 Sekunde geht es zurück zum Start."
    kiosk.tap(kiosk.app.sm.current_screen.keyboard.keys["x"])      # the finger lands on a key
    assert not warning.shown
    assert kiosk.app.draft.text == "halb"                           # kept, and no "x" typed
    kiosk.clock.advance(30)
    kiosk.app._tick()
    assert kiosk.app.current == "idea_text" and kiosk.app.large_text and not warning.shown


def test_the_warning_speaks_the_visitors_language_and_goes_with_the_reset(kiosk):
    kiosk.tap("language")
    kiosk.tap("lang:ar")
    assert kiosk.app.lang == "ar"
    kiosk.clock.advance(50)
    kiosk.app._tick()
    assert kiosk.app.idle_warning.shown and "هل ما زلت هنا" in kiosk.app.idle_warning.question.raw
    assert kiosk.app.idle_warning.countdown.raw.endswith("ثوانٍ.")
    kiosk.clock.advance(10)
    kiosk.app._tick()
    kiosk.pump(2)
    assert not kiosk.app.idle_warning.shown and kiosk.app.lang == "de"


def test_nothing_to_lose_no_warning(kiosk):
    kiosk.app.idle.touched()
    kiosk.clock.advance(50)
    kiosk.app._tick()
    assert kiosk.app.current == "home" and not kiosk.app.idle_warning.shown


# --- the staff PIN's dots --------------------------------------------------------------------------------

def test_the_pin_dots_are_drawn_full_for_each_digit_and_as_rings_for_the_rest(kiosk):
    kiosk.app.go("staff_pin")
    kiosk.tap("pin:1")
    kiosk.tap("pin:2")
    kiosk.pump(2)
    dots = [w for w in kiosk.visible() if isinstance(w, Dots)]
    assert len(dots) == 1 and dots[0].filled == 2
    drawn = dots[0].canvas.children
    assert sum(isinstance(i, Ellipse) for i in drawn) == 2 and sum(isinstance(i, Line) for i in drawn) == 2
    assert not [w for w in kiosk.visible() if isinstance(w, KLabel) and set(w.raw) & set("●○")]


# --- edges and looks a person must see -------------------------------------------------------------------

def look_problems(kiosk) -> list[str]:
    shown = list(kiosk.visible())
    low = [(r, w) for r, w in audit.text_contrasts(shown, kiosk.app) if r < 4.5]
    low += [(r, w) for r, w in audit.edge_contrasts(shown, kiosk.app) if r < 3.0]
    return [f"{what} {ratio:.2f}:1 on {kiosk.app.current}" for ratio, what in low]


@pytest.mark.parametrize("large", [False, True])
def test_every_button_stands_out_and_keeps_its_words_readable_when_pressed(kiosk, large):
    if large:
        kiosk.app.toggle_large_text()
    problems = []
    for name in SCREENSHOT_SCREENS:
        kiosk.show(name)
        problems += look_problems(kiosk)
    kiosk.app.staff = False
    assert problems == [], "\n".join(problems)


def test_large_text_switched_on_is_plain_to_see(kiosk):
    before = tuple(kiosk.find("textsize").bg)
    kiosk.tap("textsize")
    after = kiosk.find("textsize")
    assert kiosk.app.large_text
    assert theme.contrast(tuple(after.bg), before) >= 3.0
    assert theme.contrast(tuple(after.children[0].colour), tuple(after.bg)) >= 3.0


def test_every_colour_pair_of_the_theme_holds_its_line():
    low = [(fg, bg, round(theme.contrast(fg, bg), 2)) for fg, bg in theme.TEXT_PAIRS
           if min(theme.contrast(fg, bg), theme.contrast(fg, theme.pressed(bg))) < 4.5]
    low += [(edge, bg, round(theme.contrast(edge, bg), 2)) for edge, bg in theme.EDGE_PAIRS
            if theme.contrast(edge, bg) < 3.0]
    assert low == []


def test_the_contrast_check_catches_a_pale_outline():
    assert theme.contrast("#D9CBB5", theme.PAPER) < 3.0 <= theme.contrast(theme.LINE, theme.PAPER)
    assert theme.contrast(theme.ORANGE, theme.rgb(theme.PAPER)[:3]) >= 4.5 > theme.contrast(
        theme.ORANGE, tuple(c * 0.78 for c in theme.rgb(theme.PAPER)[:3]))
