"""Every screen at 800×480, in normal and large text, in German and Arabic, as a person with low vision,
a child or an older person meets it: targets of at least 9 mm each way, no text under the floor, text
and edges that stand out, no words cut or spilling out of their box, no button lying on another —
and large text that never comes out smaller than normal text. Each check is shown to catch a bad widget."""

from __future__ import annotations

import pytest
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui import audit, sample, theme
from kiosk.ui.app import SCREENSHOT_SCREENS, KioskApp
from kiosk.ui.driver import Driver
from kiosk.ui.store import UiStore
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, Tap

from tests.ui.conftest import FakeClock, RecordingSpeaker, write_config

LOOKS = (("de", False), ("de", True), ("ar", False), ("ar", True))


@pytest.fixture(scope="module")
def kiosk(module_dir):
    config = sample.config_in(write_config(module_dir), module_dir / "sample")
    store = UiStore.open(config)
    ideas = sample.ideas(config)
    clock = FakeClock()
    app = KioskApp(config, size=(800, 480), connect=False, clock=clock, speaker=RecordingSpeaker(), store=store,
                   ideas=ideas, offers=sample.offers(config))
    driver = Driver(app).start()
    sample.live(app)
    driver.pump(2)
    yield driver
    driver.stop()
    ideas.close()
    store.close()


def look(kiosk, lang: str, large: bool) -> None:
    kiosk.app.set_language(lang)
    if kiosk.app.large_text != large:
        kiosk.app.toggle_large_text()


def walk(kiosk, lang: str, large: bool):
    """(screen, widgets shown) for every main screen in this look."""
    look(kiosk, lang, large)
    for name in SCREENSHOT_SCREENS:
        kiosk.show(name)
        yield name, list(kiosk.visible())
    kiosk.app.staff = False


@pytest.mark.parametrize("lang,large", LOOKS)
def test_every_screen_is_readable_and_tappable(kiosk, lang, large):
    problems = [f"{name}: {p}" for name, shown in walk(kiosk, lang, large) for p in audit.problems(shown, kiosk.app)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_large_text_never_makes_a_text_smaller(kiosk, lang):
    def sizes(large):
        out = {}
        for name, shown in walk(kiosk, lang, large):
            for label in (w for w in shown if isinstance(w, KLabel) and w.raw and audit.seen_box(w)):
                label.fit_now()
                key = (name, label.raw)
                out[key] = min(out.get(key, 999), label.fitted_font)
        return out

    normal, large = sizes(False), sizes(True)
    smaller = [f"{name}: {raw[:30]!r} {normal[(name, raw)]} → {size} px" for (name, raw), size in large.items()
               if (name, raw) in normal and size < normal[(name, raw)]]
    assert smaller == [], "\n".join(smaller)


def test_the_booth_steps_are_full_size_and_inside_their_card_in_large_text(kiosk):
    for large in (False, True):
        look(kiosk, "de", large)
        kiosk.show("booth")
        steps = [w for w in kiosk.visible() if isinstance(w, KLabel) and w.raw.startswith(("Halte", "Dann", "Zum"))]
        assert len(steps) == 3
        assert {w.fitted_font for w in steps} == {kiosk.app.metrics.font(20)}
        assert not any(audit.overflow(w, kiosk.app) for w in steps)


# --- each check catches a bad widget -----------------------------------------------------------------

def with_bad_widgets(kiosk, *widgets) -> list[str]:
    look(kiosk, "de", False)
    kiosk.show("herbs")
    layer = FloatLayout(size=kiosk.app.sm.current_screen.size, pos=kiosk.app.sm.current_screen.pos)
    for widget in widgets:
        layer.add_widget(widget)
    kiosk.app.sm.current_screen.add_widget(layer)
    kiosk.pump(3)
    try:
        return audit.problems(kiosk.visible(), kiosk.app)
    finally:
        kiosk.app.sm.current_screen.remove_widget(layer)


def words(raw: str, **kwargs) -> KLabel:
    kwargs.setdefault("max_font", 22)
    kwargs.setdefault("min_font", 18)
    return KLabel(raw=raw, size_hint=(None, None), **kwargs)


def test_the_walk_catches_a_small_target(kiosk):
    # 48 px across is 9.2 mm, but 48 px up and down only 8.6 mm: each axis counts by its own density
    found = with_bad_widgets(kiosk, Tap(tag="tiny", size_hint=(None, None), size=(48, 48), pos=(300, 120)))
    assert [p for p in found if p.startswith("target tiny")] == ["target tiny is 9.2×8.6 mm"]


def test_the_walk_catches_text_under_the_floor(kiosk):
    found = with_bad_widgets(kiosk, words("Klein", max_font=14, min_font=14, size=(200, 40), pos=(300, 120)))
    assert "text 'Klein' at 14 px, under 18 px" in found


def test_the_walk_catches_pale_text_and_a_pale_edge(kiosk):
    found = with_bad_widgets(
        kiosk, words("Blass", color=rgb("#B8AFA0"), size=(200, 40), pos=(300, 120)),
        Tap(tag="pale", bg=rgb(theme.PAPER), border=rgb("#E0D5C0"), size_hint=(None, None), size=(120, 60),
            pos=(300, 200)))
    assert any(p.startswith("text 'Blass'") for p in found)
    assert any(p.startswith("edge of pale") for p in found)


def test_the_walk_catches_words_that_do_not_fit(kiosk):
    found = with_bad_widgets(kiosk, words("Viel zu viele Wörter für dieses kleine Feld", size=(120, 30),
                                          pos=(300, 120)))
    assert any(p.startswith("overflow: 'Viel zu viele") for p in found)


def test_the_walk_catches_a_button_on_another(kiosk):
    found = with_bad_widgets(kiosk, Tap(tag="under", size_hint=(None, None), size=(120, 80), pos=(300, 120)),
                             Tap(tag="over", size_hint=(None, None), size=(120, 80), pos=(360, 160)))
    assert "under lies over over" in found or "over lies over under" in found
